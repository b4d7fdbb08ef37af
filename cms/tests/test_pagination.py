import pytest

from cms.graphql.errors import ErrorCode
from cms.graphql.pagination import ApiError, paginate


def test_paginate_reports_total_and_next_page():
    page = paginate(list(range(25)), limit=10, offset=10)
    assert page.items == list(range(10, 20))
    assert page.total_count == 25
    assert page.has_next_page


def test_paginate_past_the_end_is_empty_not_an_error():
    page = paginate(list(range(5)), limit=10, offset=50)
    assert page.items == []
    assert not page.has_next_page


@pytest.mark.parametrize(
    ("limit", "offset", "code"),
    [
        (10000, 0, ErrorCode.PAGE_SIZE_TOO_LARGE),
        (51, 0, ErrorCode.PAGE_SIZE_TOO_LARGE),
        (0, 0, ErrorCode.INVALID_PAGINATION),
        (-5, 0, ErrorCode.INVALID_PAGINATION),
        (10, -1, ErrorCode.INVALID_PAGINATION),
    ],
)
def test_paginate_rejects_bad_arguments_with_a_code(limit, offset, code):
    with pytest.raises(ApiError) as excinfo:
        paginate([], limit=limit, offset=offset)
    assert excinfo.value.extensions["code"] == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offset", "queries", "items"),
    [(0, 2, ["a", "b"]), (4, 2, ["e"]), (9, 1, [])],
    ids=["first-page", "last-page", "past-the-end"],
)
def test_a_queryset_page_is_a_count_and_its_rows(
    offset, queries, items, django_assert_num_queries
):
    # A COUNT, then the page's rows; past the end there are no rows to read.
    from taggit.models import Tag

    Tag.objects.bulk_create(Tag(name=n, slug=n) for n in "abcde")
    with django_assert_num_queries(queries):
        page = paginate(Tag.objects.order_by("name"), limit=2, offset=offset)
    assert [t.name for t in page.items] == items
    assert page.total_count == 5


@pytest.mark.django_db
def test_a_distinct_queryset_is_counted_without_duplicates(
    django_assert_num_queries,
):
    from taggit.models import Tag

    Tag.objects.bulk_create(Tag(name=n, slug=n) for n in "abc")
    doubled = Tag.objects.filter(name__in="ab") | Tag.objects.filter(name="a")
    with django_assert_num_queries(2):  # COUNT, then the rows
        page = paginate(doubled.distinct().order_by("name"), limit=10, offset=0)
    assert page.total_count == 2

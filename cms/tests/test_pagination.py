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

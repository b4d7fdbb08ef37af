import pytest
from django.db import connection
from taggit.models import Tag

from cms.db import ids_subquery


@pytest.mark.django_db
def test_an_id_list_is_bound_as_one_parameter():
    tags = Tag.objects.bulk_create(Tag(name=n, slug=n) for n in "abcd")
    wanted = [tags[0].pk, tags[2].pk]
    # More ids than PostgreSQL accepts as separate parameters (65,535).
    ids = wanted + list(range(10**9, 10**9 + 70_000))
    bound = []

    def record(execute, sql, params, many, context):
        bound.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        names = Tag.objects.filter(pk__in=ids_subquery(ids)).values_list("name")
        found = sorted(name for (name,) in names)
    assert found == ["a", "c"]
    assert bound == [1]
    assert not Tag.objects.filter(pk__in=ids_subquery([])).exists()

"""Steps 3 and 7, the response cache: generation, key, hit, store."""

import pytest
from django.test import RequestFactory

from cms.graphql import cache as response_cache
from cms.graphql.persisted import sha256_hex
from cms.graphql.pipeline import caching
from cms.graphql.pipeline.caching import Lookup
from cms.graphql.pipeline.lookup import Query
from cms.graphql.pipeline.transport import Params

pytestmark = pytest.mark.django_db

TEXT = "query Items($n: Int) { items(limit: $n) { totalCount } }"
QUERY = Query(TEXT, sha256_hex(TEXT), False)
PARAMS = Params(query=TEXT, variables={"n": 2})
factory = RequestFactory()


@pytest.fixture
def cache_on(settings):
    settings.GRAPHQL_RESPONSE_CACHE = True


def test_no_generation_is_read_when_neither_cache_is_on(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        found = caching.lookup(factory.get("/graphql/"), QUERY, PARAMS)

    assert found == Lookup(None, None)


def test_the_visibility_snapshot_alone_reads_the_generation(settings):
    settings.PUBLIC_VISIBILITY_CACHE = True

    found = caching.lookup(factory.get("/graphql/"), QUERY, PARAMS)

    assert found == Lookup(response_cache.current_generation(), None)


def test_a_miss_then_a_stored_body_is_a_hit(cache_on):
    request = factory.get("/graphql/")
    generation = response_cache.current_generation()
    key = response_cache.response_key(QUERY.id, {"n": 2}, None, "testserver")

    miss = caching.lookup(request, QUERY, PARAMS)
    caching.store(miss, '{"data":{}}')
    hit = caching.lookup(request, QUERY, PARAMS)

    assert miss == Lookup(generation, key)
    assert hit == Lookup(generation, key, '{"data":{}}')


def test_the_key_depends_on_variables_operation_and_host(cache_on):
    request = factory.get("/graphql/")
    other_host = factory.get("/graphql/", HTTP_HOST="localhost")
    keys = {
        caching.key_for(request, QUERY, PARAMS),
        caching.key_for(request, QUERY, Params(query=TEXT, variables={"n": 3})),
        caching.key_for(request, QUERY, Params(query=TEXT, operation_name="Items")),
        caching.key_for(other_host, QUERY, PARAMS),
    }

    assert len(keys) == 4
    assert None not in keys


def test_preview_and_bench_bypass_have_no_key(cache_on, settings):
    preview = factory.get("/graphql/", HTTP_X_PREVIEW_TOKEN="t")
    bypass = factory.get("/graphql/", HTTP_X_BENCH_BYPASS_CACHE="1")

    assert caching.key_for(preview, QUERY, PARAMS) is None
    assert caching.key_for(bypass, QUERY, PARAMS) == response_cache.response_key(
        QUERY.id, {"n": 2}, None, "testserver"
    )
    settings.BENCH_ENDPOINTS = True
    assert caching.key_for(bypass, QUERY, PARAMS) is None


def test_an_unknown_generation_stores_nothing(cache_on):
    request = factory.get("/graphql/")
    miss = caching.lookup(request, QUERY, PARAMS)

    caching.store(Lookup(None, miss.key), '{"data":{}}')

    assert caching.lookup(request, QUERY, PARAMS).body is None


def test_storing_without_a_key_stores_nothing(cache_on):
    caching.store(Lookup(1, None), "{}")

    found = caching.lookup(factory.get("/graphql/"), QUERY, PARAMS)
    assert found.body is None


def test_mutations_previews_and_token_arguments_are_not_cacheable():
    plain = factory.get("/graphql/")
    preview = factory.get("/graphql/", HTTP_X_PREVIEW_TOKEN="t")

    assert [
        caching.cacheable(plain, is_mutation=False, mentions_preview=False),
        caching.cacheable(plain, is_mutation=True, mentions_preview=False),
        caching.cacheable(plain, is_mutation=False, mentions_preview=True),
        caching.cacheable(preview, is_mutation=False, mentions_preview=False),
    ] == [True, False, False, False]

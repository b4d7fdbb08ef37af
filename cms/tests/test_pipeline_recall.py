"""Requests seen before go from their bytes to the cache lookup
(``cms.graphql.pipeline.recall``), and only a hit is answered there."""

import json

import pytest

from cms.graphql import cache as response_cache
from cms.graphql.pipeline import lookup, recall, transport
from cms.tests import graphql_schema

pytestmark = [pytest.mark.urls("cms.tests.graphql_urls"), pytest.mark.django_db]

ITEMS = "query Items($n: Int) { items(limit: $n) { totalCount } }"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.GRAPHQL_RESPONSE_CACHE = True
    recall.forget()
    yield
    recall.forget()


@pytest.fixture
def reads(monkeypatch):
    """How often a request's parameters were parsed and its query resolved."""
    calls = {"parse": 0, "resolve": 0}
    parse, resolve = transport.parse_params, lookup.resolve

    def counting_parse(*args):
        calls["parse"] += 1
        return parse(*args)

    def counting_resolve(*args):
        calls["resolve"] += 1
        return resolve(*args)

    monkeypatch.setattr(transport, "parse_params", counting_parse)
    monkeypatch.setattr(lookup, "resolve", counting_resolve)
    graphql_schema.CALLS["items"] = 0
    return calls


def get(gql, variables, **extra):
    params = {"query": ITEMS, "variables": json.dumps(variables)}
    return gql.raw("GET", params=params, **extra)


def test_a_repeated_request_is_answered_from_its_bytes(gql, reads):
    first = gql.post(ITEMS, {"n": 2})
    second = gql.post(ITEMS, {"n": 2})

    assert second.json() == first.json()
    assert "errors" not in first.json()
    assert second["Cache-Control"] == "no-store"
    assert reads == {"parse": 1, "resolve": 1}
    assert graphql_schema.CALLS["items"] == 1
    # Other bytes are another request: a GET, other variables.
    get(gql, {"n": 2})
    gql.post(ITEMS, {"n": 3})
    assert reads == {"parse": 3, "resolve": 3}


def test_a_recalled_get_keeps_its_etag_and_head_has_no_body(gql, reads):
    first = get(gql, {"n": 2})
    again = get(gql, {"n": 2}, HTTP_IF_NONE_MATCH=first["ETag"])
    head = gql.client.head(
        "/graphql/", {"query": ITEMS, "variables": json.dumps({"n": 2})}
    )

    assert again.status_code == 304
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == first["ETag"]
    # A HEAD reads its parameters as a GET does: the same bytes.
    assert reads["parse"] == 1


def test_a_change_is_seen_and_the_miss_goes_the_whole_way(gql, reads):
    gql.post(ITEMS, {"n": 2})
    response_cache.bump_generation()
    again = gql.post(ITEMS, {"n": 2})

    assert "errors" not in again.json()
    assert graphql_schema.CALLS["items"] == 2
    assert reads == {"parse": 2, "resolve": 2}
    gql.post(ITEMS, {"n": 2})  # stored again: a hit from its bytes
    assert reads == {"parse": 2, "resolve": 2}


def test_requests_that_skip_the_cache_are_never_recalled(gql, reads, settings):
    settings.BENCH_ENDPOINTS = True
    gql.post(ITEMS, {"n": 2})  # the same bytes, remembered
    for _ in range(2):
        gql.post(ITEMS, {"n": 2}, HTTP_X_PREVIEW_TOKEN="t")
        gql.post(ITEMS, {"n": 2}, HTTP_X_BENCH_BYPASS_CACHE="1")

    assert reads["parse"] == 5
    assert graphql_schema.CALLS["items"] == 5
    assert len(recall._memory.entries) == 1


def test_a_settings_change_forgets_what_was_recalled(gql, settings):
    assert gql.post(ITEMS, {"n": 2}).status_code == 200
    settings.GRAPHQL_LIMITS = {"MAX_QUERY_BYTES": 10}

    refused = gql.post(ITEMS, {"n": 2})

    assert refused.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"


def test_every_request_is_still_checked_and_counted(gql, settings):
    settings.GRAPHQL_RATE_LIMIT_ENABLED = True
    settings.GRAPHQL_RATE_LIMIT_REQUESTS = 2
    assert gql.post(ITEMS, {"n": 2}).status_code == 200
    # Header text is checked before the bytes are looked at.
    bad = gql.post(ITEMS, {"n": 2}, HTTP_X_API_KEY="caf\xc3")
    assert bad.json()["errors"][0]["extensions"]["code"] == "INVALID_UNICODE"
    assert gql.post(ITEMS, {"n": 2}).status_code == 429
    # The host too, by the shortcut: the same bytes under a foreign host.
    settings.ALLOWED_HOSTS = ["testserver"]
    assert gql.post(ITEMS, {"n": 2}, HTTP_HOST="evil.example").status_code == 400


def test_the_memory_is_bounded(gql, monkeypatch):
    monkeypatch.setattr(recall, "MAX_ENTRIES", 2)
    for n in (1, 2, 3):
        gql.post(ITEMS, {"n": n})

    def remembered():
        bodies = [json.loads(raw) for _post, raw, _host in recall._memory.entries]
        return [body["variables"] for body in bodies]

    assert remembered() == [{"n": 2}, {"n": 3}]
    # A body over MAX_RAW bytes is never kept (nor does it evict one).
    big = "#" + "x" * recall.MAX_RAW + "\n" + ITEMS
    gql.post(big, {"n": 4})
    assert remembered() == [{"n": 2}, {"n": 3}]

"""Local copies of shared-cache responses: one round trip per hit, never stale."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches

from cms.graphql import cache as response_cache
from cms.graphql.cache import LocalCopies
from cms.tests import graphql_schema

pytestmark = [pytest.mark.urls("cms.tests.graphql_urls"), pytest.mark.django_db]

ITEMS = "query Items($n: Int) { items(limit: $n) { totalCount } }"


@pytest.fixture(autouse=True)
def shared_cache(settings, tmp_path):
    settings.GRAPHQL_RESPONSE_CACHE = True
    settings.CACHES = {  # shared, like Redis: every process sees it
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    response_cache.local_copies.clear()
    graphql_schema.CALLS["items"] = 0
    yield caches["default"]
    response_cache.local_copies.clear()


def shared_reads(monkeypatch, cache) -> list:
    """The round trips to the shared cache: a key for ``get``, a tuple of
    keys for ``get_many`` (not the rate limiter's counters)."""
    reads = []
    original_get, original_many = cache.get, cache.get_many
    nested = []
    ours = ("gql:resp:", "gql:generation", "gql:tag:")

    def get(key, *args, **kwargs):
        if not nested and key.startswith(ours):
            reads.append(key)
        return original_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        keys = list(keys)
        if any(key.startswith(ours) for key in keys):
            reads.append(tuple(keys))
        nested.append(True)  # the file cache's get_many calls get
        try:
            return original_many(keys, *args, **kwargs)
        finally:
            nested.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


def test_a_hit_reads_only_the_versions_from_the_shared_cache(
    gql, shared_cache, monkeypatch
):
    first = gql.post(ITEMS, {"n": 2}).json()
    reads = shared_reads(monkeypatch, shared_cache)

    assert gql.post(ITEMS, {"n": 2}).json() == first
    # One round trip: the generation and the response's tag versions.
    assert reads == [
        (response_cache.GENERATION_KEY, "gql:tag:graphql", "gql:tag:overflow")
    ]
    assert graphql_schema.CALLS["items"] == 1


def test_another_process_answers_from_the_shared_cache_then_keeps_a_copy(
    gql, shared_cache, monkeypatch
):
    first = gql.post(ITEMS, {"n": 2}).json()
    response_cache.local_copies.clear()  # as in a second worker
    reads = shared_reads(monkeypatch, shared_cache)

    assert gql.post(ITEMS, {"n": 2}).json() == first
    assert gql.post(ITEMS, {"n": 2}).json() == first
    assert [isinstance(read, tuple) for read in reads] == [False, True, True]
    assert reads[0].startswith(response_cache.RESPONSE_PREFIX)
    assert graphql_schema.CALLS["items"] == 1


def test_a_bump_makes_every_copy_unreachable(gql):
    gql.post(ITEMS, {"n": 2})
    response_cache.bump_generation()
    gql.post(ITEMS, {"n": 2})
    assert graphql_schema.CALLS["items"] == 2


def test_a_copy_lives_no_longer_than_its_shared_entry(
    settings, shared_cache, monkeypatch
):
    settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT = 300
    clocks = SimpleNamespace(time=lambda: 10_000.0, monotonic=lambda: 50.0)
    monkeypatch.setattr(response_cache, "time", clocks)
    # Stored by another process 299.5 s ago: half a second left.
    shared_cache.set("gql:resp:old", (10_000.0 - 299.5, "{}"), timeout=300)
    assert response_cache.get_response("gql:resp:old") == "{}"
    assert response_cache.local_copies.entries["gql:resp:old"] == (50.5, "{}", None)


def test_copies_expire_are_bounded_and_least_recently_used_go_first(monkeypatch):
    copies = LocalCopies(max_chars=80)
    later = time.monotonic() + 60
    copies.set("a", "x" * 10, later)
    copies.set("b", "x" * 10, later)
    copies.set("big", "x" * 11, later)  # over an eighth of the bound: not kept
    assert copies.get("big") is None
    for key in "cdefghi":
        assert copies.get("a") == ("x" * 10, None)  # "a": the most recently used
        copies.set(key, "x" * 10, later)
    assert copies.size == 80
    assert copies.get("b") is None  # the least recently used went first
    assert copies.get("a") == ("x" * 10, None)

    copies.set("soon", "x", time.monotonic() + 0.01)
    monkeypatch.setattr(time, "monotonic", lambda: later + 1)
    assert copies.get("soon") is None
    assert copies.get("a") is None

"""The shared response cache: hits, keys, invalidation on publish, outages."""

import json
import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from wagtail.models import Collection, Page

from cms.graphql import cache as response_cache
from cms.tests import graphql_schema
from home.models import HomePage

# The generation lives in the database when the cache is per-process.
pytestmark = [pytest.mark.urls("cms.tests.graphql_urls"), pytest.mark.django_db]

URL = "/graphql/"
ITEMS = "query Items($n: Int) { items(limit: $n) { totalCount } }"


class BrokenCache(BaseCache):
    """Every operation fails, like Redis refusing connections."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("cache down")

    add = get = set = delete = incr = touch = clear = has_key = _fail
    get_many = set_many = delete_many = _fail


# The Redis the "redis" variant uses; it is skipped when none answers there.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True, params=["local-memory", "shared", "redis"])
def _response_cache_on(request, settings, tmp_path):
    settings.GRAPHQL_RESPONSE_CACHE = True
    if request.param == "shared":
        # A cache every process sees (like Redis): the generation lives there.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    if request.param == "redis":
        if not _redis_answers():
            pytest.skip(f"no Redis at {REDIS_TEST_URL}")
        # What settings.base configures for REDIS_URL; a key prefix of its
        # own keeps parallel test workers apart.
        settings.CACHES = {
            "default": {
                "BACKEND": "cms.redis_cache.ResilientRedisCache",
                "LOCATION": REDIS_TEST_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 1,
                    "SOCKET_TIMEOUT": 1,
                },
            }
        }
    assert response_cache._process_local() is (request.param == "local-memory")
    response_cache.local_copies.clear()
    cache = caches["default"]  # a test may swap CACHES again
    yield
    if request.param == "redis":
        cache.delete_pattern("*")  # this test's prefix only


@pytest.fixture
def items_calls():
    graphql_schema.CALLS["items"] = 0
    return graphql_schema.CALLS


def test_a_repeated_query_is_answered_from_the_cache(client, gql, items_calls):
    first = gql.post(ITEMS, {"n": 2})
    second = client.get(URL, {"query": ITEMS, "variables": json.dumps({"n": 2})})
    assert first.json() == second.json()
    assert items_calls["items"] == 1


def test_variables_operation_and_host_are_part_of_the_key(gql, items_calls):
    gql.post(ITEMS, {"n": 2})
    gql.post(ITEMS, {"n": 3})
    gql.post(ITEMS, {"n": 2}, HTTP_HOST="localhost")
    assert items_calls["items"] == 3
    gql.post(ITEMS, {"n": 3})
    assert items_calls["items"] == 3


def test_variables_key_is_canonical():
    one = response_cache.response_key("d", {"a": 1, "b": 2}, None, "h")
    two = response_cache.response_key("d", {"b": 2, "a": 1}, None, "h")
    assert one == two
    assert one != response_cache.response_key("d", {"a": 1, "b": 3}, None, "h")


def test_responses_with_errors_are_not_cached(gql):
    graphql_schema.CALLS["boom"] = 0
    gql.post("{ boom }")
    gql.post("{ boom }")
    assert graphql_schema.CALLS["boom"] == 2


def test_preview_requests_bypass_the_cache(client, gql):
    first = gql.post('{ preview(token: "a") }')
    assert first.json() == {"data": {"preview": "draft for a"}}
    assert client.get(URL, {"query": '{ preview(token: "a") }'})["Cache-Control"] == (
        "no-store"
    )


def test_the_cache_can_be_switched_off(gql, settings, items_calls):
    settings.GRAPHQL_RESPONSE_CACHE = False
    gql.post(ITEMS, {"n": 2})
    gql.post(ITEMS, {"n": 2})
    assert items_calls["items"] == 2


def test_bump_generation_invalidates_every_entry(gql, items_calls):
    gql.post(ITEMS, {"n": 2})
    response_cache.bump_generation()
    gql.post(ITEMS, {"n": 2})
    assert items_calls["items"] == 2


# The page Wagtail's migrations create under the root.
WELCOME = "Welcome to your new Wagtail site!"


def _publish_home(title):
    root = Page.get_first_root_node()
    home = HomePage(title=title, slug="home-test")
    root.add_child(instance=home)
    home.save_revision().publish()
    return home


@pytest.mark.django_db
def test_a_published_change_is_seen_on_the_next_request(client, gql):
    home = _publish_home("Before")
    query = "{ liveTitles }"
    assert gql.post(query).json()["data"]["liveTitles"] == [WELCOME, "Before"]
    home.title = "After"
    home.save_revision().publish()
    titles = client.get(URL, {"query": query}).json()["data"]["liveTitles"]
    assert titles == [WELCOME, "After"]
    home.unpublish()
    assert gql.post(query).json()["data"]["liveTitles"] == [WELCOME]


@pytest.mark.django_db
def test_content_changes_bump_the_generation():
    before = response_cache.current_generation()
    Collection.get_first_root_node().add_child(name="Clinic photos")
    after_collection = response_cache.current_generation()
    assert after_collection != before
    home = _publish_home("Home")
    after_publish = response_cache.current_generation()
    assert after_publish != after_collection
    home.delete()
    assert response_cache.current_generation() != after_publish


@pytest.mark.django_db
def test_unrelated_models_do_not_bump_the_generation(django_user_model):
    before = response_cache.current_generation()
    django_user_model.objects.create(username="editor")
    assert response_cache.current_generation() == before


@pytest.mark.django_db
def test_a_broken_cache_degrades_to_no_cache(gql, settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "cms.tests.test_graphql_cache.BrokenCache"}
    }
    for _ in range(2):
        response = gql.post(ITEMS, {"n": 2})
        assert response.status_code == 200
        assert response.json() == {"data": {"items": {"totalCount": 100}}}
    apq = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    missing = gql.raw("POST", {"extensions": apq})
    assert missing.json()["errors"][0]["extensions"]["code"] == (
        "PERSISTED_QUERY_NOT_FOUND"
    )
    response_cache.bump_generation()  # must not raise either
    _publish_home("Published while the cache is down")
    assert "response cache unavailable" in caplog.text
    assert "rate-limit counters unavailable" in caplog.text


@pytest.mark.django_db
def test_one_commit_bump_is_scheduled_per_transaction(
    django_capture_on_commit_callbacks,
):
    from cms.graphql.versions import _OnCommit

    with django_capture_on_commit_callbacks() as callbacks:
        for name in ("a", "b", "c"):
            Collection.get_first_root_node().add_child(name=name)
    scheduled = [c for c in callbacks if isinstance(c, _OnCommit)]
    if response_cache._process_local():
        # The versions are rows written in the change's own transaction.
        assert scheduled == []
    else:
        assert len(scheduled) == 1
        assert "graphql" in scheduled[0].tags

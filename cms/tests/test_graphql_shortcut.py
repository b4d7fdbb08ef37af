"""The GraphQL endpoint skips the admin's and the site's middleware
(``cms.graphql.shortcut``), and the lean tag-version read of the Redis cache
(``ResilientRedisCache.get_ints``)."""

import logging
import os
import uuid

import pytest
import redis
from django.template import engines
from django.test import Client
from django.urls import path
from django_redis.exceptions import ConnectionInterrupted

from cms.redis_cache import ResilientRedisCache, breaker
from cms.tests.test_graphql_cache import REDIS_TEST_URL

pytestmark = pytest.mark.django_db

SEEN: list[str] = []


class Recorder:
    """Installed last: sees what reaches the bottom of MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        SEEN.append(request.path)
        return self.get_response(request)


@pytest.fixture
def recorder(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.Recorder"]
    SEEN.clear()
    return SEEN


def test_the_endpoint_skips_the_inner_middleware(recorder, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="cms.request"):
        response = client.post(
            "/graphql/", {"query": "{ apiVersion }"}, content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json()["data"]["apiVersion"]
    assert recorder == []
    # Routed as URL resolution would have: the request log and the metrics
    # label it with the endpoint's route.
    (record,) = [r for r in caplog.records if r.name == "cms.request"]
    assert record.route == "graphql"
    # What the skipped middleware would have added, the view adds.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Accept" in response["Vary"]
    assert response["Content-Length"] == str(len(response.content))
    assert not response.cookies


def test_other_paths_keep_the_whole_chain(recorder):
    client = Client()
    assert client.get("/healthz").status_code == 200
    # No slash: CommonMiddleware's redirect, below the shortcut, still runs.
    response = client.get("/graphql", {"query": "{ apiVersion }"})
    assert response.status_code == 301
    assert response["Location"].startswith("/graphql/")
    assert recorder == ["/healthz", "/graphql"]


def test_a_session_cookie_is_neither_read_nor_written(recorder):
    client = Client()
    client.cookies["sessionid"] = "not-a-session"
    client.cookies["csrftoken"] = "malformed"
    response = client.post(
        "/graphql/", {"query": "{ apiVersion }"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert not response.cookies
    assert recorder == []


def _template_view(request):
    from django.template.response import SimpleTemplateResponse

    template = engines["django"].from_string("rendered {{ n }}")
    return SimpleTemplateResponse(template, {"n": 1})


urlpatterns = [path("graphql/", _template_view, name="graphql")]


def test_a_response_left_to_render_is_rendered(settings, recorder):
    """As Django's handler does for a TemplateResponse."""
    settings.ROOT_URLCONF = __name__
    response = Client().get("/graphql/")
    assert response.content == b"rendered 1"
    assert recorder == []


# --- get_ints -----------------------------------------------------------------


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    breaker.open_until = 0.0
    breaker.failing = False
    cache = ResilientRedisCache(
        REDIS_TEST_URL,
        {
            "KEY_PREFIX": f"ints-{uuid.uuid4().hex}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    )
    yield cache
    cache.clear()


def test_get_ints_reads_counters_in_order(redis_cache):
    redis_cache.set("a", 3, timeout=None)
    redis_cache.set("b", 2**62, timeout=None)
    redis_cache.set("not-a-number", "text", timeout=None)
    redis_cache.set("pickled", {"a": 1}, timeout=None)
    keys = ["b", "missing", "a", "not-a-number", "pickled"]
    assert redis_cache.get_ints(keys) == [2**62, None, 3, None, None]
    # The same values get_many decodes, where both are integers.
    assert redis_cache.get_many(["a", "b"]) == {"a": 3, "b": 2**62}
    redis_cache.incr("a")
    assert redis_cache.get_ints(["a"]) == [4]


def test_get_ints_opens_its_own_connection_again_after_a_fork(redis_cache):
    redis_cache.set("a", 1, timeout=None)
    assert redis_cache.get_ints(["a"]) == [1]
    first = redis_cache._own.reads
    redis_cache._own.pid = os.getpid() + 1  # as a forked child sees it
    assert redis_cache.get_ints(["a"]) == [1]
    assert redis_cache._own.reads is not first


def test_get_ints_fails_fast_and_opens_the_breaker(redis_cache, settings):
    settings.REDIS_RETRY_SECONDS = 30
    redis_cache.set("a", 1, timeout=None)
    assert redis_cache.get_ints(["a"]) == [1]
    # Redis goes away under the kept connection.
    redis_cache._own.reads.conn.disconnect()
    redis_cache._own.reads.conn.port = 1  # nothing listens there
    with pytest.raises(ConnectionInterrupted):
        redis_cache.get_ints(["a"])
    assert breaker.failing
    assert not breaker.allow()
    # While it is open, no call waits on a socket.
    with pytest.raises(ConnectionInterrupted):
        redis_cache.get_ints(["a"])
    breaker.open_until = 0.0
    breaker.failing = False

"""Redis failing under the service, through a real socket (``fault_proxy``).

The service reaches Redis through the suite's TCP proxy, configured as
production configures ``REDIS_URL`` (``cms.redis_cache``). Each fault in
turn: the service keeps answering as the README's table says (no 5xx, no
request waiting on Redis more than once per outage), and is back to normal
within 5 s of Redis answering again.
"""

import time
import uuid

import pytest
import redis

from cms.graphql.persisted import sha256_hex
from cms.redis_cache import breaker
from cms.tests.fault_proxy import TcpProxy
from cms.tests.test_graphql_cache import REDIS_TEST_URL

pytestmark = pytest.mark.django_db

QUERY = "{ apiVersion }"


def _redis_target():
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    kwargs = client.connection_pool.connection_kwargs
    return kwargs["host"], kwargs["port"], kwargs.get("db", 0)


@pytest.fixture
def proxy(settings):
    host, port, db = _redis_target()
    with TcpProxy(host, port) as proxy:
        url = f"redis://127.0.0.1:{proxy.port}/{db}"
        settings.REDIS_URL = url
        settings.REDIS_RETRY_SECONDS = 1
        settings.CACHES = {
            "default": {
                "BACKEND": "cms.redis_cache.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": f"faults-{uuid.uuid4().hex}",
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 1,
                    "SOCKET_TIMEOUT": 1,
                },
            }
        }
        settings.GRAPHQL_RESPONSE_CACHE = True
        settings.GRAPHQL_RATE_LIMIT_ENABLED = True
        settings.GRAPHQL_RATE_LIMIT_REQUESTS = 4
        settings.GRAPHQL_RATE_LIMIT_WINDOW = 3600
        breaker.open_until = 0.0
        breaker.failing = False
        yield proxy


def cache_status(response) -> str:
    return response.get("X-Cache", "")


def ask(gql, query=QUERY, **extra):
    started = time.monotonic()
    response = gql.raw("POST", {"query": query, **extra})
    return response, time.monotonic() - started


def apq(query):
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}


@pytest.mark.parametrize("fault", ["cut", "drop", "slow"])
def test_the_service_keeps_answering_while_redis_fails_and_recovers(gql, proxy, fault):
    # Normal: counted by the rate limit (4 requests an hour here).
    response, _ = ask(gql)
    assert response.status_code == 200
    assert response.json() == {"data": {"apiVersion": "1.0.0"}}

    if fault == "cut":
        proxy.cut()
    elif fault == "drop":
        proxy.drop()
        proxy.slow(30)  # and what reconnects then hangs
    else:
        proxy.slow(30)

    # Six requests: past the rate limit, each answered; only the first waits
    # for Redis (a socket timeout, 1 s), the breaker answers the rest at once.
    timings = []
    for _ in range(6):
        response, took = ask(gql)
        assert response.status_code == 200, response.content
        assert response.json() == {"data": {"apiVersion": "1.0.0"}}
        timings.append(took)
    assert max(timings[1:]) < 0.5, timings
    # APQ: a hash alone cannot be found (the client sends the query with it,
    # as the protocol says); hash and query together run.
    missing = gql.raw("POST", {"extensions": apq("{ __typename }")})
    assert missing.status_code == 200
    assert missing.json()["errors"][0]["extensions"]["code"] == (
        "PERSISTED_QUERY_NOT_FOUND"
    )
    both = gql.raw(
        "POST", {"query": "{ __typename }", "extensions": apq("{ __typename }")}
    )
    assert both.json() == {"data": {"__typename": "Query"}}
    ready = gql.client.get("/readyz")
    assert (ready.status_code, ready.json()["status"]) == (200, "degraded")
    assert gql.client.get("/healthz").status_code == 200

    proxy.restore()
    deadline = time.monotonic() + 5
    while True:
        # Back to normal: counters count again, so the limit bites.
        response, _ = ask(gql)
        if response.status_code == 429 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert gql.client.get("/readyz").json()["status"] == "ready"

"""Integer reads that Redis keeps current (``cms.tracked_reads``): the tag
versions a cache hit checks are answered from what the thread read before,
until Redis says one changed; against a real Redis."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ResponseError

from cms import tracked_reads
from cms.graphql import versions
from cms.redis_cache import ResilientRedisCache, breaker
from cms.tests.test_graphql_cache import REDIS_TEST_URL


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    breaker.open_until = 0.0
    breaker.failing = False
    cache = ResilientRedisCache(
        REDIS_TEST_URL,
        {
            "KEY_PREFIX": f"tracked-{uuid.uuid4().hex}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    )
    yield cache
    cache.clear()


@pytest.fixture
def writer():
    """Another client, as another worker or host would be."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1)
    yield client
    client.close()


def round_trips(cache) -> list:
    """The MGETs the thread's connection sends from now on."""
    sent = []
    conn = cache._own.reads.conn
    send = conn.send_packed_command

    def counting(command, *args, **kwargs):
        sent.append(command)
        return send(command, *args, **kwargs)

    conn.send_packed_command = counting
    return sent


def wait_for_message(cache) -> None:
    """Until Redis's invalidation reached the thread's connection."""
    assert cache._own.reads.conn.can_read(timeout=1)


def test_values_read_once_are_answered_without_a_round_trip(cache):
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a", "missing"]) == [1, None]
    sent = round_trips(cache)
    for _ in range(5):
        assert cache.get_ints(["missing", "a"]) == [None, 1]
    assert sent == []
    # A key not held yet costs one MGET of all of them.
    cache.set("b", 2, timeout=None)
    assert cache.get_ints(["a", "b"]) == [1, 2]
    assert len(sent) == 1


def test_a_write_by_another_client_is_seen(cache, writer):
    cache.set("a", 1, timeout=None)
    cache.set("b", 5, timeout=None)
    assert cache.get_ints(["a", "b", "c"]) == [1, 5, None]
    sent = round_trips(cache)
    writer.incr(cache.make_key("a"))
    writer.set(cache.make_key("c"), 7)
    wait_for_message(cache)
    assert cache.get_ints(["a", "b", "c"]) == [2, 5, 7]
    assert len(sent) == 1
    # Read again, so tracked again: the next write is seen too.
    writer.incr(cache.make_key("a"))
    wait_for_message(cache)
    assert cache.get_ints(["a", "b", "c"]) == [3, 5, 7]
    assert len(sent) == 2


def test_values_are_dropped_when_the_connection_opens_again(cache, writer):
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a"]) == [1]
    conn = cache._own.reads.conn
    # The connection closes without an error reaching get_ints (redis-py
    # dropped it); a write meanwhile sends its message to nobody.
    conn.disconnect()
    writer.set(cache.make_key("a"), 9)
    assert cache.get_ints(["a"]) == [9]
    # Tracking is on again for the new server-side client.
    writer.set(cache.make_key("a"), 10)
    wait_for_message(cache)
    assert cache.get_ints(["a"]) == [10]


def test_a_connection_closed_by_the_server_is_an_error_then_recovers(
    cache, writer, settings
):
    settings.REDIS_RETRY_SECONDS = 30
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a"]) == [1]
    conn = cache._own.reads.conn
    conn.send_command("CLIENT", "ID")
    writer.client_kill_filter(_id=conn.read_response())
    writer.set(cache.make_key("a"), 4)
    with pytest.raises(ConnectionInterrupted):
        cache.get_ints(["a"])
    assert breaker.failing
    breaker.open_until = 0.0
    assert cache.get_ints(["a"]) == [4]
    assert not breaker.failing


def test_a_flush_drops_every_value(cache):
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a"]) == [1]
    reads = cache._own.reads
    # What Redis sends on FLUSHDB or FLUSHALL: no keys, everything changed.
    reads._invalidated([b"invalidate", None])
    assert reads.values == {}


def test_values_are_not_trusted_past_max_age(cache, monkeypatch):
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a"]) == [1]
    sent = round_trips(cache)
    monkeypatch.setattr(tracked_reads, "MAX_AGE", 0.0)
    assert cache.get_ints(["a"]) == [1]
    assert cache.get_ints(["a"]) == [1]
    assert len(sent) == 2


def test_values_held_are_bounded(cache, monkeypatch):
    monkeypatch.setattr(tracked_reads, "MAX_VALUES", 4)
    cache.set_many({f"k{n}": n for n in range(6)}, timeout=None)
    for n in range(6):
        assert cache.get_ints([f"k{n}", f"k{(n + 1) % 6}"]) == [n, (n + 1) % 6]
        assert len(cache._own.reads.values) <= 4


def test_without_tracking_every_read_is_a_round_trip(cache, monkeypatch, writer):
    def refuse(self, conn):
        raise ResponseError("unknown command 'HELLO'")

    monkeypatch.setattr(tracked_reads.TrackedInts, "_on_connect", refuse)
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a"]) == [1]
    assert not cache._own.reads.tracked
    sent = round_trips(cache)
    writer.set(cache.make_key("a"), 2)
    assert cache.get_ints(["a"]) == [2]
    assert cache.get_ints(["a"]) == [2]
    assert len(sent) == 2


def test_a_bump_in_this_process_is_never_followed_by_the_old_version(cache, settings):
    """Redis may answer the bump before it sends the invalidations: the
    process that bumped drops what its threads held."""
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": cache.key_prefix,
        }
    }
    shared = caches["default"]
    tag = f"article:{uuid.uuid4().hex}"
    generation = versions._shared_generation()
    versions.note_tags([tag], generation)
    assert versions.check([tag], generation) == (generation, versions.CURRENT)
    # The invalidation is late: it has not been taken in yet.
    shared._own.reads.conn._parser.set_invalidation_push_handler(lambda _: None)
    versions.invalidate([tag])
    current, state = versions.check([tag], generation)
    assert state == versions.CHANGED
    assert current > generation


# --- get_ints -----------------------------------------------------------------


def test_get_ints_reads_counters_in_order(cache):
    cache.set("a", 3, timeout=None)
    cache.set("b", 2**62, timeout=None)
    cache.set("not-a-number", "text", timeout=None)
    cache.set("pickled", {"a": 1}, timeout=None)
    keys = ["b", "missing", "a", "not-a-number", "pickled"]
    assert cache.get_ints(keys) == [2**62, None, 3, None, None]
    # The same values get_many decodes, where both are integers.
    assert cache.get_many(["a", "b"]) == {"a": 3, "b": 2**62}
    cache.incr("a")
    wait_for_message(cache)
    assert cache.get_ints(["a"]) == [4]


def test_get_ints_opens_its_own_connection_again_after_a_fork(cache):
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a"]) == [1]
    first = cache._own.reads
    cache._own.pid = os.getpid() + 1  # as a forked child sees it
    assert cache.get_ints(["a"]) == [1]
    assert cache._own.reads is not first


def test_get_ints_fails_fast_and_opens_the_breaker(cache, settings):
    settings.REDIS_RETRY_SECONDS = 30
    cache.set("a", 1, timeout=None)
    assert cache.get_ints(["a"]) == [1]
    # Redis goes away under the kept connection.
    cache._own.reads.conn.disconnect()
    cache._own.reads.conn.port = 1  # nothing listens there
    with pytest.raises(ConnectionInterrupted):
        cache.get_ints(["a"])
    assert breaker.failing
    assert not breaker.allow()
    # While it is open, no call waits on a socket.
    with pytest.raises(ConnectionInterrupted):
        cache.get_ints(["a"])
    breaker.open_until = 0.0
    breaker.failing = False

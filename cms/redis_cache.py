"""django-redis with a circuit breaker: a Redis outage costs one timeout.

django-redis with ``IGNORE_EXCEPTIONS`` already turns a failed call into a
miss, but every call still waits for its socket timeout: a request making
five cache calls against a Redis that stopped answering would take five
seconds. Here the first failure opens the breaker; for
``REDIS_RETRY_SECONDS`` every call fails at once (a miss, as before), then
one call is let through to try again. Each outage is logged once, not once
per call.

``recoveries`` counts the times Redis answered again after failing in this
process. ``cms.graphql.cache`` reads it: content published while Redis was
down could not bump the response-cache generation kept there, so the first
request after a recovery bumps it (README, "When Redis or PostgreSQL fail").
"""

import functools
import logging
import os
import threading
import time

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from cms.tracked_reads import TrackedInts

logger = logging.getLogger("cms.cache")


class Breaker:
    def __init__(self):
        self.open_until = 0.0
        self.failing = False
        self.recoveries = 0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = not self.failing
            self.failing = True
            self.open_until = time.monotonic() + settings.REDIS_RETRY_SECONDS
        if first:
            logger.warning(
                "Redis unavailable (%s): the cache, rate limits and APQ fall "
                "back for %ss at a time until it answers",
                error,
                settings.REDIS_RETRY_SECONDS,
            )

    def succeeded(self) -> None:
        if not self.failing:
            return
        with self._lock:
            if not self.failing:
                return
            self.failing = False
            self.recoveries += 1
        logger.warning("Redis answers again")


breaker = Breaker()


class _GuardedClient:
    """The django-redis client, its calls refused at once while the breaker
    is open and reported to it otherwise."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if not breaker.allow():
                raise ConnectionInterrupted(connection=None) from _OPEN
            try:
                result = attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                breaker.failed(error)
                raise
            breaker.succeeded()
            return result

        return call


_OPEN = ConnectionError("circuit open: Redis failed a moment ago")


class ResilientRedisCache(RedisCache):
    @property
    def client(self):
        guarded = getattr(self, "_guarded", None)
        real = super().client
        if guarded is None or guarded._client is not real:
            guarded = self._guarded = _GuardedClient(real)
        return guarded

    def get_ints(self, keys) -> list[int | None]:
        """The integer values (counters, versions) under ``keys``, in order;
        None for a missing key or a value that is not an integer.

        ``get_many`` for the one read every response-cache hit makes, on a
        connection this thread keeps (``cms.tracked_reads``): values read
        before are answered without a round trip while Redis has sent no
        invalidation for them; the rest cost one MGET, packed by hand.
        ``get_many`` would check a connection out of redis-py's pool and
        decode each value. Failures open the breaker and raise
        ``ConnectionInterrupted``, as every other call does."""
        if not breaker.allow():
            raise ConnectionInterrupted(connection=None) from _OPEN
        made = [self.make_key(key) for key in keys]
        try:
            values = self._own_reads().read(made, _as_int)
        except RedisError as error:
            interrupted = ConnectionInterrupted(connection=None)
            breaker.failed(error)
            raise interrupted from error
        breaker.succeeded()
        return values

    def _own_reads(self) -> TrackedInts:
        """This thread's connection for ``get_ints``: opened on first use,
        again in a forked child (a socket is never shared across processes)."""
        own = self._own.__dict__
        reads = own.get("reads")
        if reads is None or own.get("pid") != os.getpid():
            pool = super().client.get_client(write=False).connection_pool
            reads = own["reads"] = TrackedInts(
                pool.connection_class, pool.connection_kwargs
            )
            own["pid"] = os.getpid()
        return reads

    @functools.cached_property
    def _own(self):
        return threading.local()


def _as_int(value) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None

"""The shared response cache and its generation counter.

Entries are keyed on the document hash, the canonical JSON of the variables,
the operation name, the site host and the current generation. Publishing,
unpublishing, moving or deleting content bumps the generation, so every older
entry is unreachable at once (and expires on its own). Any cache failure
(Redis down) degrades to "no cache": the request is answered uncached.

The generation must be the same in every worker process. A shared cache
(Redis, Memcached) holds it; with a per-process cache (local memory, the
default without ``REDIS_URL``) it lives in one database row instead
(``cms.models.ContentGeneration``), read with one primary-key lookup.

With a shared cache, each process also keeps local copies of the responses it
has read or written (``LocalCopies``), so a hit costs one round trip for the
generation rather than two. The key carries the generation, and an entry
carries the time it was stored, so a copy is never served after a bump nor
after its shared entry would have expired.
"""

import functools
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import InterfaceError, OperationalError, connection, transaction

from cms.graphql.config import graphql_settings

logger = logging.getLogger("cms.graphql")

GENERATION_KEY = "gql:generation"
RESPONSE_PREFIX = "gql:resp:"
# Local copies of shared-cache responses, per process (about 4 MB of text).
LOCAL_COPIES_CHARS = 4 * 1024 * 1024


def _cache():
    return caches["default"]


def _fresh_generation() -> int:
    # Time-based, so a counter lost to eviction never repeats an older value.
    return time.time_ns() // 1000


def _process_local() -> bool:
    return isinstance(_cache(), LocMemCache | DummyCache)


@functools.cache
def _statements(vendor: str) -> tuple[str, str]:
    from cms.models import ContentGeneration

    table = connection.ops.quote_name(ContentGeneration._meta.db_table)
    return (
        f"SELECT value FROM {table} WHERE id = 1",
        f"UPDATE {table} SET value = value + 1 WHERE id = 1",
    )


def _read_generation():
    # Raw SQL: this runs on every request, and compiling an ORM query would
    # cost more than the lookup itself.
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)[0])
        return cursor.fetchone()


def _read_as_health_check():
    """Read the generation; the read doubles as the connection health check.

    With ``CONN_HEALTH_CHECKS`` (on for ``DATABASE_URL``), Django probes a
    persistent connection with a query of its own before the first query of
    each request: a second round trip for a response-cache hit, whose only
    query is this read. The read is the request's first query, so it serves
    as the probe: if the connection went stale (the database restarted),
    reconnect once and read again, as Django's check would have.
    """
    pending = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if not pending:
        return _read_generation()
    connection.health_check_done = True
    try:
        return _read_generation()
    except (OperationalError, InterfaceError):
        logger.info("stale database connection: reconnecting", exc_info=True)
        connection.close()
        return _read_generation()


def _db_generation() -> int:
    row = _read_as_health_check()
    if row is not None:
        return row[0]
    from cms.models import ContentGeneration

    row, _ = ContentGeneration.objects.get_or_create(
        id=1, defaults={"value": _fresh_generation()}
    )
    return row.value


def _db_bump() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)[1])
        if cursor.rowcount == 0:
            _db_generation()


# The last generation this process read from the database, for answers
# from the cache while the database cannot be reached (stale-if-error).
_last_read: list = [None]


def current_generation() -> int | None:
    return generation_or_last_known()[0]


def generation_or_last_known() -> tuple[int | None, bool]:
    """The content generation, and whether it is only the last one this
    process read because the database cannot be reached now (then cached
    answers may be served stale, ``get_stale_response``)."""
    if not _process_local():
        return _shared_generation(), False
    try:
        generation = _last_read[0] = _db_generation()
        return generation, False
    except (OperationalError, InterfaceError):
        logger.warning("generation unavailable (database down)", exc_info=True)
        return _last_read[0], _last_read[0] is not None
    except Exception:
        logger.warning("generation unavailable (database read)", exc_info=True)
        return None, False


def _shared_generation() -> int | None:
    try:
        generation = _cache().get(GENERATION_KEY)
        if _redis_recovered():
            # Changes saved while Redis was down could not bump it there.
            _bump()
            generation = _cache().get(GENERATION_KEY)
        if generation is None:
            generation = _fresh_generation()
            if not _cache().add(GENERATION_KEY, generation, timeout=None):
                generation = _cache().get(GENERATION_KEY)
        return generation
    except Exception:
        logger.warning("response cache unavailable (generation read)", exc_info=True)
        return None


_recoveries_seen = [0]


def _redis_recovered() -> bool:
    """True once per time Redis answered again after failing in this process
    (``cms.redis_cache``)."""
    from cms.redis_cache import breaker

    if breaker.recoveries == _recoveries_seen[0]:
        return False
    _recoveries_seen[0] = breaker.recoveries
    return True


def _bump() -> None:
    if _process_local():
        try:
            _db_bump()
        except Exception:
            logger.warning("generation bump failed (database)", exc_info=True)
        return
    try:
        try:
            _cache().incr(GENERATION_KEY)
        except ValueError:  # no counter yet (or evicted)
            _cache().set(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception:
        logger.warning("response cache unavailable (generation bump)", exc_info=True)


def bump_generation() -> None:
    """Invalidate every cached response: now, and again once committed (a
    request racing the transaction could cache the old rows under the new
    generation otherwise)."""
    _bump()
    try:
        connection = transaction.get_connection()
        # One bump per transaction is enough, however many rows it saves.
        pending = any(entry[1] is _bump for entry in connection.run_on_commit)
        if not pending:
            transaction.on_commit(_bump)
    except Exception:
        logger.warning("could not schedule a generation bump", exc_info=True)


def response_key(
    generation: int, document_id: str, variables, operation_name, host: str
) -> str:
    canonical = json.dumps(
        variables or {}, sort_keys=True, separators=(",", ":"), default=str
    )
    raw = "\x1f".join(
        [str(generation), document_id, canonical, operation_name or "", host]
    )
    return RESPONSE_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def enabled() -> bool:
    return graphql_settings().response_cache


class LocalCopies:
    """This process's copies of responses from a shared cache (Redis).

    A hit then costs one round trip (the generation) instead of two. Keys
    carry the generation, so a copy can never be served after a bump; each
    copy also expires when its shared entry does. Bounded in characters,
    least recently used first out.
    """

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            expires, body = entry
            if expires <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return body

    def set(self, key: str, body: str, expires: float) -> None:
        if len(body) > self.max_chars // 8 or expires <= time.monotonic():
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (expires, body)
            self.size += len(body)
            while self.size > self.max_chars:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        _, body = self.entries.pop(key)
        self.size -= len(body)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local_copies = LocalCopies(LOCAL_COPIES_CHARS)


def _read_entry(key: str):
    """``(body, age in seconds, fresh for seconds)``, or None."""
    try:
        value = _cache().get(key)
    except Exception:
        logger.warning("response cache unavailable (read)", exc_info=True)
        return None
    if value is None:
        return None
    if not isinstance(value, tuple):  # written before entries were stamped
        return value, 0.0, graphql_settings().response_cache_timeout
    stored_at, body, *rest = value
    timeout = rest[0] if rest else graphql_settings().response_cache_timeout
    # Wall clock across processes.
    return body, max(time.time() - stored_at, 0.0), timeout


def get_response(key: str) -> str | None:
    """A fresh cached body; entries are kept ``stale_if_error`` seconds past
    their freshness, for ``get_stale_response`` only."""
    shared = not _process_local()
    if shared:
        body = local_copies.get(key)
        if body is not None:
            return body
    entry = _read_entry(key)
    if entry is None:
        return None
    body, age, timeout = entry
    if age >= timeout:  # as the cache's own expiry: gone at the timeout
        return None
    if shared:
        # The copy lives no longer than the entry is fresh.
        local_copies.set(key, body, time.monotonic() + timeout - age)
    return body


def get_stale_response(key: str) -> tuple[str, int] | None:
    """The cached body and its age, if within ``stale_if_error`` seconds of
    its freshness: what a request may be answered with while the database
    cannot be reached."""
    entry = _read_entry(key)
    if entry is None:
        return None
    body, age, timeout = entry
    if age > timeout + graphql_settings().stale_if_error:
        return None
    return body, int(age)


def set_response(key: str, body: str, timeout: int | None = None) -> None:
    """Store ``body``; ``timeout`` (seconds) may cut the configured one short
    (``cms.graphql.horizon``); 0 stores nothing."""
    if timeout is None:
        timeout = graphql_settings().response_cache_timeout
    if timeout <= 0:
        return
    kept = timeout + graphql_settings().stale_if_error
    try:
        _cache().set(key, (time.time(), body, timeout), timeout=kept)
    except Exception:
        logger.warning("response cache unavailable (write)", exc_info=True)
        return
    if not _process_local():
        local_copies.set(key, body, time.monotonic() + timeout)

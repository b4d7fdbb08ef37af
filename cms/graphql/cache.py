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
"""

import functools
import hashlib
import json
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction

logger = logging.getLogger("cms.graphql")

GENERATION_KEY = "gql:generation"
RESPONSE_PREFIX = "gql:resp:"


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


def _db_generation() -> int:
    # Raw SQL: this runs on every request, and compiling an ORM query would
    # cost more than the lookup itself.
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)[0])
        row = cursor.fetchone()
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


def current_generation() -> int | None:
    if _process_local():
        try:
            return _db_generation()
        except Exception:
            logger.warning("generation unavailable (database read)", exc_info=True)
            return None
    try:
        generation = _cache().get(GENERATION_KEY)
        if generation is None:
            generation = _fresh_generation()
            if not _cache().add(GENERATION_KEY, generation, timeout=None):
                generation = _cache().get(GENERATION_KEY)
        return generation
    except Exception:
        logger.warning("response cache unavailable (generation read)", exc_info=True)
        return None


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
    return bool(getattr(settings, "GRAPHQL_RESPONSE_CACHE", True))


def get_response(key: str) -> str | None:
    try:
        return _cache().get(key)
    except Exception:
        logger.warning("response cache unavailable (read)", exc_info=True)
        return None


def set_response(key: str, body: str) -> None:
    try:
        _cache().set(key, body, timeout=settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT)
    except Exception:
        logger.warning("response cache unavailable (write)", exc_info=True)

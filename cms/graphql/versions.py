"""The content generation and the cache-tag versions: whether a cached
response is still current.

Every change increments the generation and writes it as the version of each
tag the change touched (``invalidate``): ``article:12``, its list tags, the
tags of what refers to it (``cms.graphql.changes``). A response is cached
with its tags and the generation read before it was computed (its stamp);
it is current while none of its tags has a version above the stamp
(``check``). ``graphql`` is on every response, so a change without precise
tags invalidates with it (``bump_generation``).

The generation must be the same in every process. A shared cache (Redis,
Memcached, files) holds it and the tag versions; with a per-process cache
(local memory, the default without ``REDIS_URL``) the database does
(``cms.models.ContentGeneration`` and ``TagVersion``), written in the
change's transaction, and a hit reads the generation and its tags' newest
version in one query.

In a shared cache the versions are written when the change happens and
again once it commits: a request racing the transaction could otherwise
cache the old rows under a stamp that is already past the version.
"""

import functools
import logging
import time

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)

from cms import tracked_reads
from cms.graphql import sqlite_versions
from cms.graphql.tags import EVERY_RESPONSE, purge_tags

logger = logging.getLogger("cms.graphql")

GENERATION_KEY = "gql:generation"
TAG_PREFIX = "gql:tag:"
EVERYTHING = (EVERY_RESPONSE,)

CURRENT = "current"
CHANGED = "changed"
DOWN = "database-down"

# Raise a tag's version to ARGV[1], never lower it (bumps may race).
MAX_SET = """
for _, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key) or '0') or 0
  if current < tonumber(ARGV[1]) then redis.call('SET', key, ARGV[1]) end
end
return 1
"""


def _cache():
    return caches["default"]


def _fresh_generation() -> int:
    # Time-based, so a counter lost to eviction never repeats an older value.
    return time.time_ns() // 1000


# (the CACHES settings it was computed for, whether the cache is per process):
# asked several times per request, and looking the cache up costs more than
# the answer. ``override_settings(CACHES=...)`` replaces ``caches.settings``.
_kind: list = [None, False]


def _process_local() -> bool:
    config = caches.settings
    if _kind[0] is not config:
        _kind[1] = isinstance(_cache(), LocMemCache | DummyCache)
        _kind[0] = config
    return _kind[1]


@functools.cache
def _tables(vendor: str) -> tuple[str, str]:
    from cms.models import ContentGeneration, TagVersion

    quote = connection.ops.quote_name
    return (
        quote(ContentGeneration._meta.db_table),
        quote(TagVersion._meta.db_table),
    )


def _query(sql: str, params=(), db=None):
    with (db or connection).cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _read_generation():
    # Raw SQL: this runs on every request, and compiling an ORM query would
    # cost more than the lookup itself.
    generations, _ = _tables(connection.vendor)
    return _query(f"SELECT value FROM {generations} WHERE id = 1")


@functools.lru_cache(maxsize=256)
def _with_tags_sql(vendor: str, count: int) -> str:
    generations, versions = _tables(vendor)
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT value, (SELECT MAX(version) FROM {versions} WHERE tag IN ({marks}))"
        f" FROM {generations} WHERE id = 1"
    )


def _read_with_tags(tags, db=None):
    """The generation and the newest version of ``tags``, in one query."""
    db = db or connections[DEFAULT_DB_ALIAS]
    return _query(_with_tags_sql(db.vendor, len(tags)), list(tags), db)


def _read_as_health_check(read=_read_generation, db=None):
    """Run ``read``, the request's first query, as the connection check.

    With ``CONN_HEALTH_CHECKS`` (on for ``DATABASE_URL``), Django probes a
    persistent connection with a query of its own before the first query of
    each request: a second round trip for a response-cache hit, whose only
    query is this read. The read serves as the probe: if the connection went
    stale (the database restarted), reconnect once and read again.

    ``db``: the default connection, when the caller already has it (one
    lookup of the thread's connection instead of one per attribute).
    """
    db = db or connections[DEFAULT_DB_ALIAS]
    pending = (
        db.connection is not None
        and db.health_check_enabled
        and not db.health_check_done
        and not db.in_atomic_block
    )
    if not pending:
        return read()
    db.health_check_done = True
    try:
        return read()
    except (OperationalError, InterfaceError):
        logger.info("stale database connection: reconnecting", exc_info=True)
        db.close()
        return read()


def _db_generation() -> int:
    row = _read_as_health_check()
    if row is not None:
        return row[0]
    from cms.models import ContentGeneration

    row, _ = ContentGeneration.objects.get_or_create(
        id=1, defaults={"value": _fresh_generation()}
    )
    return row.value


def _db_bump(tags) -> None:
    from cms.models import TagVersion

    generations, _ = _tables(connection.vendor)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {generations} SET value = value + 1 WHERE id = 1")
            if cursor.rowcount == 0:  # no row yet: create it, then bump it
                _db_generation()
                cursor.execute(
                    f"UPDATE {generations} SET value = value + 1 WHERE id = 1"
                )
        # The row stays locked until the change commits: bumps are serial,
        # so versions only grow.
        value = _db_generation()
        TagVersion.objects.bulk_create(
            [TagVersion(tag=tag[:255], version=value) for tag in tags],
            update_conflicts=True,
            unique_fields=["tag"],
            update_fields=["version"],
        )


# The last generation this process read from the database, for answers
# from the cache while the database cannot be reached (stale-if-error).
_last_read: list = [None]


def current_generation() -> int | None:
    return generation_or_last_known()[0]


def generation_or_last_known() -> tuple[int | None, bool]:
    """The content generation, and whether it is only the last one this
    process read because the database cannot be reached now."""
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


def check(tags, stamp: int) -> tuple[int | None, str]:
    """The generation now, and whether a response tagged ``tags`` computed
    at generation ``stamp`` is ``CURRENT``, ``CHANGED`` (or unknown), or
    cannot be checked because the database is ``DOWN``."""
    if not _process_local():
        return _shared_check(tags, stamp)
    db = connections[DEFAULT_DB_ALIAS]
    try:
        row = sqlite_versions.read(
            db,
            tuple(tags),
            lambda: _read_as_health_check(lambda: _read_with_tags(tags, db), db),
        )
    except (OperationalError, InterfaceError):
        logger.warning("tag versions unavailable (database down)", exc_info=True)
        return _last_read[0], DOWN
    except Exception:
        logger.warning("tag versions unavailable (database read)", exc_info=True)
        return None, CHANGED
    if row is None:  # no generation yet
        return current_generation(), CHANGED
    generation, newest = row
    _last_read[0] = generation
    return generation, CURRENT if newest is None or newest <= stamp else CHANGED


def _shared_check(tags, stamp: int) -> tuple[int | None, str]:
    keys = [TAG_PREFIX + tag for tag in tags]
    try:
        if _redis_recovered():
            _bump_shared(EVERYTHING)  # changes made while Redis was down
            return _shared_generation(), CHANGED
        generation, *versions = _read_ints([GENERATION_KEY, *keys])
    except Exception:
        logger.warning("response cache unavailable (tag versions)", exc_info=True)
        return None, CHANGED
    if generation is None:
        return _shared_generation(), CHANGED
    # A missing version was evicted, or never written (``note_tags``).
    if None in versions or max(versions, default=0) > stamp:
        return generation, CHANGED
    return generation, CURRENT


def _read_ints(keys) -> list:
    """The values under ``keys``, in order (None when missing): one round
    trip, by the Redis backend's lean read when it has one."""
    cache = _cache()
    get_ints = getattr(cache, "get_ints", None)
    if get_ints is not None:
        return get_ints(keys)
    found = cache.get_many(keys)
    return [found.get(key) for key in keys]


def note_tags(tags, generation: int) -> None:
    """Before a response tagged ``tags`` is stored in a shared cache: give
    each tag without a version one (the generation the lookup read), so
    that a missing version means evicted, and evicted means changed."""
    if _process_local():
        return
    keys = [TAG_PREFIX + tag for tag in tags]
    try:
        found = _cache().get_many(keys)
        for key in keys:
            if key not in found:
                _cache().add(key, generation, timeout=None)
    except Exception:
        logger.warning("response cache unavailable (tag versions)", exc_info=True)


def _shared_generation() -> int | None:
    try:
        generation = _cache().get(GENERATION_KEY)
        if _redis_recovered():
            # Changes saved while Redis was down could not bump it there.
            _bump_shared(EVERYTHING)
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


def _bump_shared(tags) -> None:
    cache = _cache()
    try:
        try:
            value = cache.incr(GENERATION_KEY)
        except ValueError:  # no counter yet (or evicted)
            value = _fresh_generation()
            cache.set(GENERATION_KEY, value, timeout=None)
        keys = [TAG_PREFIX + tag for tag in tags]
        raw = getattr(getattr(cache, "client", None), "get_client", None)
        if raw is not None:  # Redis: never lower a version a later bump wrote
            raw(write=True).eval(
                MAX_SET, len(keys), *(cache.make_key(key) for key in keys), value
            )
        else:
            cache.set_many(dict.fromkeys(keys, value), timeout=None)
    except Exception:
        logger.warning("response cache unavailable (generation bump)", exc_info=True)
    finally:
        # This process's threads never answer from the versions they held
        # before (``cms.tracked_reads``): Redis may send its invalidations
        # a moment after the reply to the bump.
        tracked_reads.forget()


def _bump(tags=EVERYTHING) -> None:
    if _process_local():
        try:
            _db_bump(tags)
        except Exception:
            logger.warning("generation bump failed (database)", exc_info=True)
        return
    _bump_shared(tags)


class _OnCommit:
    """The tags a transaction changed, bumped again once it commits."""

    def __init__(self):
        self.tags: set[str] = set()

    def __call__(self):
        _bump_shared(sorted(self.tags))


def invalidate(tags) -> None:
    """Responses carrying any of ``tags`` (or ``overflow``) are stale: now,
    and, in a shared cache, again once the transaction commits."""
    tags = purge_tags(tag[:255] for tag in tags if tag)
    _bump(tags)
    if _process_local():
        return  # written in the change's own transaction
    try:
        connection = transaction.get_connection()
        pending = next(
            (
                entry[1]
                for entry in connection.run_on_commit
                if isinstance(entry[1], _OnCommit)
            ),
            None,
        )
        if pending is None:
            pending = _OnCommit()
            transaction.on_commit(pending)
        pending.tags.update(tags)
    except Exception:
        logger.warning("could not schedule a generation bump", exc_info=True)


def bump_generation() -> None:
    """Invalidate every cached response (for changes without precise tags)."""
    invalidate(EVERYTHING)

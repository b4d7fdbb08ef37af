"""The shared response cache.

Entries are keyed on the document hash, the canonical JSON of the variables,
the operation name and the site host. Each entry keeps the response's cache
tags and the generation read before it was computed (its stamp): a lookup
serves it only while none of its tags changed since (``cms.graphql.versions``),
so a change invalidates the responses it touched and no other. Any cache
failure (Redis down) degrades to "no cache": the request is answered
uncached.

With a shared cache, each process also keeps local copies of the responses it
has read or written (``LocalCopies``), so a hit costs one round trip for the
tag versions rather than two. A copy is checked against the versions as the
shared entry is, and never served after its shared entry would have expired.
"""

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from cms.graphql.config import graphql_settings
from cms.graphql.versions import (  # noqa: F401  (the cache's public names)
    GENERATION_KEY,
    _bump,
    _cache,
    _process_local,
    bump_generation,
    current_generation,
    generation_or_last_known,
    invalidate,
)

logger = logging.getLogger("cms.graphql")

RESPONSE_PREFIX = "gql:resp:"
# Local copies of shared-cache responses, per process (about 4 MB of text).
LOCAL_COPIES_CHARS = 4 * 1024 * 1024


def response_key(document_id: str, variables, operation_name, host: str) -> str:
    canonical = json.dumps(
        variables or {}, sort_keys=True, separators=(",", ":"), default=str
    )
    raw = "\x1f".join([document_id, canonical, operation_name or "", host])
    return RESPONSE_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def enabled() -> bool:
    return graphql_settings().response_cache


class Entry(NamedTuple):
    body: str  # as stored: the tags, a newline, the body (pipeline.caching)
    stamp: int | None  # the generation it was computed at
    age: float  # seconds since it was stored
    timeout: float  # seconds it is fresh for

    @property
    def fresh(self) -> bool:
        return self.age < self.timeout

    @property
    def within_stale_bound(self) -> bool:
        return self.age <= self.timeout + graphql_settings().stale_if_error


class LocalCopies:
    """This process's copies of responses from a shared cache (Redis).

    A hit then costs one round trip (the tag versions) instead of two. A
    copy keeps its stamp, so it is checked against the versions as the
    shared entry would be; it expires when its shared entry does. Bounded in
    characters, least recently used first out.
    """

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, str, int | None]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[str, int | None] | None:
        """``(body, stamp)`` while fresh."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            expires, body, stamp = entry
            if expires <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return body, stamp

    def set(self, key: str, body: str, expires: float, stamp=None) -> None:
        if len(body) > self.max_chars // 8 or expires <= time.monotonic():
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (expires, body, stamp)
            self.size += len(body)
            while self.size > self.max_chars:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        _, body, _ = self.entries.pop(key)
        self.size -= len(body)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local_copies = LocalCopies(LOCAL_COPIES_CHARS)


def _read_entry(key: str) -> Entry | None:
    try:
        value = _cache().get(key)
    except Exception:
        logger.warning("response cache unavailable (read)", exc_info=True)
        return None
    if value is None:
        return None
    if not isinstance(value, tuple):  # written before entries were stamped
        return Entry(value, None, 0.0, graphql_settings().response_cache_timeout)
    stored_at, body, *rest = value
    timeout = rest[0] if rest else graphql_settings().response_cache_timeout
    stamp = rest[1] if len(rest) > 1 else None
    # Wall clock across processes.
    return Entry(body, stamp, max(time.time() - stored_at, 0.0), timeout)


def get_entry(key: str) -> Entry | None:
    """The entry under ``key``, fresh or not: entries are kept
    ``stale_if_error`` seconds past their freshness, to answer while the
    database cannot be reached. The caller checks its tags' versions."""
    shared = not _process_local()
    if shared:
        copy = local_copies.get(key)
        if copy is not None:
            return Entry(copy[0], copy[1], 0.0, 1.0)
    entry = _read_entry(key)
    if entry is not None and shared and entry.fresh:
        # The copy lives no longer than the entry is fresh.
        expires = time.monotonic() + entry.timeout - entry.age
        local_copies.set(key, entry.body, expires, entry.stamp)
    return entry


def get_response(key: str) -> str | None:
    """A fresh cached body, unchecked (tests and tools)."""
    entry = get_entry(key)
    return entry.body if entry is not None and entry.fresh else None


def get_stale_response(key: str) -> tuple[str, int] | None:
    """The cached body and its age, if within ``stale_if_error`` seconds of
    its freshness: what a request may be answered with while the database
    cannot be reached."""
    entry = _read_entry(key)
    if entry is None or not entry.within_stale_bound:
        return None
    return entry.body, int(entry.age)


def set_response(
    key: str, body: str, timeout: int | None = None, stamp: int | None = None
) -> None:
    """Store ``body`` computed at generation ``stamp``; ``timeout`` (seconds)
    may cut the configured one short (``cms.graphql.horizon``); 0 stores
    nothing."""
    if timeout is None:
        timeout = graphql_settings().response_cache_timeout
    if timeout <= 0:
        return
    kept = timeout + graphql_settings().stale_if_error
    try:
        _cache().set(key, (time.time(), body, timeout, stamp), timeout=kept)
    except Exception:
        logger.warning("response cache unavailable (write)", exc_info=True)
        return
    if not _process_local():
        local_copies.set(key, body, time.monotonic() + timeout, stamp)

"""Requests seen before: the cache key of a request whose bytes this process
has already read.

Reading a request's parameters (JSON, a walk over every string), resolving
its query (a sha256 of the text) and computing its response-cache key
(canonical JSON of the variables, another sha256) were about a quarter of
what the view spent on a response-cache hit: skipping them took hits on the
default configuration from 0.81-0.83x to 0.90-0.96x a hello view (gunicorn,
wrk, the bench's cached ArticleList requests). All three depend only on the
request's bytes (a POST's body, a GET's query string) and its host, so the
process keeps, per those bytes, what they led to: the cache key, and the
query's id and text for the request log.

A request with the same bytes goes straight to the cache lookup
(``caching.lookup_key``), which checks the entry's tags as every lookup does.
Only a hit is answered there; on a miss the request is read and run the
whole way, with the lookup it already made. Everything else the endpoint
checks on every request still runs first: the method, the headers' text,
the host (``get_host``), the rate limit. Requests carrying a preview token
or the bench's bypass header are never recalled (their lookup is skipped),
and a settings change forgets everything (the size limits, the safelist
and the cache switch are settings).

Bounded: ``MAX_ENTRIES`` requests of at most ``MAX_RAW`` bytes each, the
oldest forgotten first.
"""

import threading
from typing import NamedTuple

from cms import request_log
from cms.graphql.config import graphql_settings
from cms.graphql.pipeline import caching
from cms.graphql.pipeline.caching import BENCH_BYPASS_HEADER, PREVIEW_HEADER, Lookup
from cms.graphql.pipeline.lookup import Query
from cms.graphql.pipeline.transport import Params

MAX_ENTRIES = 1024
MAX_RAW = 8 * 1024
# The request headers that make a request skip the response cache.
_SKIPPING = tuple(
    "HTTP_" + name.upper().replace("-", "_")
    for name in (PREVIEW_HEADER, BENCH_BYPASS_HEADER)
)


class Recalled(NamedTuple):
    key: str
    query_id: str
    query_text: str
    operation_name: str | None


class _Memory:
    def __init__(self):
        self.owner = None  # the GraphQLSettings the entries were made under
        self.entries: dict[tuple, Recalled] = {}
        self.lock = threading.Lock()


_memory = _Memory()


def _fingerprint(request, method: str, raw) -> tuple | None:
    if len(raw) > MAX_RAW or any(request.META.get(h) for h in _SKIPPING):
        return None
    return (method == "POST", raw, request.get_host())


def _entries() -> dict:
    settings = graphql_settings()
    if _memory.owner is not settings:
        with _memory.lock:
            _memory.entries = {}
            _memory.owner = settings
    return _memory.entries


def lookup(request, method: str, raw) -> Lookup | None:
    """The cache lookup for a request read before; None if it was not."""
    fingerprint = _fingerprint(request, method, raw)
    if fingerprint is None:
        return None
    known = _entries().get(fingerprint)
    if known is None:
        return None
    request_log.note_query(known.query_id, known.query_text, known.operation_name)
    return caching.lookup_key(known.key)


def remember(request, method: str, raw, params: Params, query: Query, key) -> None:
    """After a request was read the whole way and looked up under ``key``."""
    if key is None:
        return
    fingerprint = _fingerprint(request, method, raw)
    if fingerprint is None:
        return
    entries = _entries()
    with _memory.lock:
        if len(entries) >= MAX_ENTRIES:
            del entries[next(iter(entries))]
        entries[fingerprint] = Recalled(
            key, query.id, query.text, params.operation_name
        )


def forget() -> None:
    with _memory.lock:
        _memory.entries = {}
        _memory.owner = None

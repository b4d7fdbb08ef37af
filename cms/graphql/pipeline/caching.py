"""Steps 3 and 7, the response cache: look up before parsing, store after.

A body cached for this exact document, variables, operation and host was
produced by a request that passed every later step, so a hit skips parsing,
validation, cost and execution, while none of its cache tags changed since
it was computed (``cms.graphql.versions``: the generation and the tags'
newest version are one read). That read's generation also keys the request's
visibility snapshot (``cms.selectors``) and stamps a body stored after a miss.
Preview requests, mutations and documents with preview or token arguments
are never cached (``cacheable``); nor is a body with errors. While the
database cannot be reached, a cached answer is served stale for up to
``GRAPHQL_STALE_IF_ERROR_SECONDS`` past its freshness (``_stale``).
"""

from dataclasses import dataclass

from cms import request_log
from cms.graphql import cache as response_cache
from cms.graphql import horizon, versions
from cms.graphql.config import graphql_settings
from cms.graphql.pipeline.lookup import Query
from cms.graphql.pipeline.transport import Params
from cms.graphql.tags import EVERY_RESPONSE

PREVIEW_HEADER = "X-Preview-Token"
BENCH_BYPASS_HEADER = "X-Bench-Bypass-Cache"


@dataclass(frozen=True)
class Lookup:
    generation: int | None  # None: unknown, or neither cache is on
    key: str | None  # None: this request is not looked up or stored
    body: str | None = None  # the cached body, on a hit
    tags: tuple[str, ...] = ()  # its cache tags, on a hit
    # Seconds since the body was cached, when it is served stale because the
    # database cannot be reached (stale-if-error); None otherwise.
    stale_age: int | None = None


def generation() -> int | None:
    """The content generation, read when the response cache or the
    visibility snapshot needs it."""
    return generation_state()[0]


def generation_state() -> tuple[int | None, bool]:
    """The generation, and True when it is only the last one read (the
    database is down: ``cms.graphql.cache.generation_or_last_known``)."""
    if response_cache.enabled() or graphql_settings().visibility_cache:
        return response_cache.generation_or_last_known()
    return None, False


def key_for(request, query: Query, params: Params):
    if not response_cache.enabled() or request.headers.get(PREVIEW_HEADER):
        return None
    if graphql_settings().bench_endpoints and request.headers.get(BENCH_BYPASS_HEADER):
        return None  # make bench measures uncached requests this way
    return response_cache.response_key(
        query.id,
        params.variables,
        params.operation_name,
        request.get_host(),
    )


def lookup(request, query: Query, params: Params) -> Lookup:
    key = key_for(request, query, params)
    if key is None:
        return Lookup(generation(), None)
    return lookup_key(key)


def lookup_key(key: str) -> Lookup:
    """The cached body under ``key`` if it is current (``recall`` calls this
    for a request whose key it already knows)."""
    entry = response_cache.get_entry(key)
    if entry is None or entry.stamp is None:
        current, database_down = generation_state()
        if database_down:
            return _stale(key, current)
        request_log.note_cache(hit=False)
        return Lookup(current, key)
    body, tags = unpack(entry.body)
    # One read: the generation, and whether any of the tags changed since
    # the body was computed (``cms.graphql.versions``).
    current, state = versions.check(sorted({EVERY_RESPONSE, *tags}), entry.stamp)
    if state == versions.DOWN:
        return _stale(key, current)
    hit = state == versions.CURRENT and entry.fresh
    request_log.note_cache(hit=hit)
    if not hit:
        return Lookup(current, key)
    return Lookup(current, key, body, tags=tags)


# An entry is the tags, a newline, then the body: compact JSON never holds a
# raw newline, so the first one ends the tags (an entry without one is a
# body written before tags were kept).
def pack(body: str, tags) -> str:
    return " ".join(tags) + "\n" + body


def unpack(entry: str) -> tuple[str, tuple[str, ...]]:
    head, newline, body = entry.partition("\n")
    if not newline:
        return entry, ()
    return body, tuple(head.split())


def _stale(key: str, current: int | None) -> Lookup:
    """The database cannot be reached: the cached answer, within the stale
    bound, else 503 at once (nothing else could be answered)."""
    from cms.graphql.pipeline.execute import ServiceUnavailable

    found = response_cache.get_stale_response(key)
    request_log.note_cache(hit=found is not None)
    if found is None:
        raise ServiceUnavailable()
    entry, age = found
    body, _tags = unpack(entry)
    return Lookup(current, None, body, stale_age=age)


def cacheable(request, *, is_mutation: bool, mentions_preview: bool) -> bool:
    """Whether a response to this request may be stored and reused (here,
    and by HTTP caches when it is a GET)."""
    return (
        not is_mutation
        and not request.headers.get(PREVIEW_HEADER)
        and not mentions_preview
    )


def store(found: Lookup, body: str, tags=()) -> None:
    # Without a generation read before execution there is no stamp.
    if found.key is not None and found.generation is not None:
        versions.note_tags(sorted({EVERY_RESPONSE, *tags}), found.generation)
        # Never kept past the next scheduled go-live or expiry.
        timeout = horizon.bound(
            graphql_settings().response_cache_timeout, found.generation
        )
        response_cache.set_response(
            found.key, pack(body, tags), timeout=timeout, stamp=found.generation
        )

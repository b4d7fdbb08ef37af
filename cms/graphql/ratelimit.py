"""Fixed-window rate limits per client: requests and total query cost.

A client is an ``X-Api-Key`` listed in ``GRAPHQL_API_KEYS`` (unknown keys are
ignored, so rotating made-up keys cannot dodge the limit), else its IP: the
socket address, or the ``X-Forwarded-For`` entry added by the trusted proxy
when ``GRAPHQL_TRUST_X_FORWARDED_FOR`` is on. Counters live in the default
cache; when it fails, requests are let through.
"""

import hashlib
import logging
import time

from django.core.cache import caches

from cms import metrics
from cms.graphql.config import graphql_settings
from cms.graphql.errors import ErrorCode, RequestRejected

logger = logging.getLogger("cms.graphql")
# The counter's label in clinic_graphql_rate_limited_total (cms/metrics.py).
LIMIT_LABELS = {"req": "requests", "cost": "cost", "comment": "comments"}


def client_id(request) -> str:
    limits = graphql_settings().rate_limits
    key = request.headers.get("X-Api-Key", "").strip()
    if key and key in limits.api_keys:
        return "key:" + hashlib.sha256(key.encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    if limits.trust_x_forwarded_for:
        hops = [
            h.strip()
            for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if h.strip()
        ]
        count = limits.trusted_proxy_count
        if len(hops) >= count:
            address = hops[-count]
    return "ip:" + address[:64]


def _window(size: int | None = None) -> tuple[int, int]:
    """Current window index and the seconds left in it."""
    size = size or graphql_settings().rate_limits.window_seconds
    now = time.time()
    return int(now // size), max(int(size - now % size), 1)


def _add(counter: str, client: str, amount: int, limit: int) -> None:
    index, retry_after = _window()
    key = f"gql:rl:{counter}:{client}:{index}"
    try:
        cache = caches["default"]
        cache.add(key, 0, timeout=retry_after + 1)
        total = cache.incr(key, amount)
    except Exception:
        logger.warning("rate-limit counters unavailable", exc_info=True)
        return
    if not isinstance(total, int):
        return  # Redis failed and django-redis ignored it: fail open
    if total > limit:
        metrics.RATE_LIMITED.labels(limit=LIMIT_LABELS[counter]).inc()
        raise RequestRejected(
            429,
            ErrorCode.RATE_LIMITED,
            "Too many requests; retry later.",
            headers={"Retry-After": str(retry_after)},
            retryAfter=retry_after,
        )


def over_limit(counter: str, request, *, limit: int, window: int) -> int | None:
    """Count one ``counter`` action of this client in a window of ``window``
    seconds: the seconds to wait when that goes over ``limit``, else None.
    For actions with a limit of their own (one comment submission), which
    resolvers report as a GraphQL error; a cache outage lets them through."""
    index, retry_after = _window(window)
    key = f"gql:rl:{counter}:{window}:{client_id(request)}:{index}"
    try:
        cache = caches["default"]
        cache.add(key, 0, timeout=retry_after + 1)
        total = cache.incr(key, 1)
    except Exception:
        logger.warning("rate-limit counters unavailable", exc_info=True)
        return None
    if total > limit:
        metrics.RATE_LIMITED.labels(limit=LIMIT_LABELS.get(counter, counter)).inc()
        return retry_after
    return None


def count_request(request) -> None:
    limits = graphql_settings().rate_limits
    if limits.enabled:
        _add("req", client_id(request), 1, limits.requests)


def count_cost(request, cost: int) -> None:
    limits = graphql_settings().rate_limits
    if limits.enabled and cost > 0:
        _add("cost", client_id(request), cost, limits.cost)

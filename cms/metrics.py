"""Prometheus metrics: every family the service exports, in one module.

The web process feeds the request, GraphQL, cache, rate-limit and persisted
query families (``cms.request_log``, ``cms.graphql``). The worker, webhook and
purge families are registered here too, so they are scraped (with no samples)
before anything increments them: ``worker.metrics`` counts every finished job
in ``WORKER_JOBS`` (task, outcome) and registers ``set_queue_depth_source``
with a function returning ``{queue name: ready jobs}``, read at scrape time
so any web process reports the shared queue; ``webhooks.delivery`` counts
each attempt in ``WEBHOOK_DELIVERIES``; ``PURGE_DURATION`` is for CDN purges.

``/metrics`` serves the text format to a scraper that sends ``Authorization:
Bearer $METRICS_TOKEN``; without ``METRICS_TOKEN`` the endpoint is off (404).
Under gunicorn with several workers (``deploy/gunicorn.conf.py`` sets
``PROMETHEUS_MULTIPROC_DIR``) each worker writes its values to files in that
directory and a scrape adds them up across workers (prometheus-client's
multiprocess mode); a process on the same host with the same directory (the
worker) is included too. The directory is made if missing.

Label values are bounded: ``route`` is the URL pattern's name, ``operation``
is the name of an operation of the persisted registry
(``frontend_contract/operations``), else ``other`` (``none`` when the request
never got as far as a query), ``status`` the HTTP status code.
"""

import os
from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

# In multiprocess mode every process writes its values to files in this
# directory from its first metric on (at import): the worker and management
# commands may start before gunicorn has made it.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

# No *_created series: they double the exposition and no query here uses them.
disable_created_metrics()

NAMESPACE = "clinic"
# Seconds: from a 1 ms cache hit to a 10 s deadline.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
# Statements per request: 0 for a shared-cache hit, about 15 for a detail.
SQL_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144)
PURGE_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

# --- HTTP (every request) ----------------------------------------------------

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests by URL pattern name, method and status code.",
    ["route", "method", "status"],
    namespace=NAMESPACE,
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from the first middleware to the response, by URL pattern name.",
    ["route"],
    namespace=NAMESPACE,
    buckets=LATENCY_BUCKETS,
)
HTTP_SQL_QUERIES = Histogram(
    "http_request_sql_queries",
    "SQL statements run per request, by URL pattern name.",
    ["route"],
    namespace=NAMESPACE,
    buckets=SQL_BUCKETS,
)

# --- GraphQL ------------------------------------------------------------------

GRAPHQL_REQUESTS = Counter(
    "graphql_requests",
    "GraphQL requests by operation name (registry operations; else 'other') "
    "and HTTP status code.",
    ["operation", "status"],
    namespace=NAMESPACE,
)
GRAPHQL_DURATION = Histogram(
    "graphql_request_duration_seconds",
    "GraphQL request latency by operation name.",
    ["operation"],
    namespace=NAMESPACE,
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_SQL_QUERIES = Histogram(
    "graphql_request_sql_queries",
    "SQL statements run per GraphQL request, by operation name.",
    ["operation"],
    namespace=NAMESPACE,
    buckets=SQL_BUCKETS,
)
RESPONSE_CACHE_HITS = Counter(
    "graphql_response_cache_hits",
    "GraphQL responses served from the response cache.",
    namespace=NAMESPACE,
)
RESPONSE_CACHE_MISSES = Counter(
    "graphql_response_cache_misses",
    "Cacheable GraphQL requests the response cache did not have.",
    namespace=NAMESPACE,
)
RATE_LIMITED = Counter(
    "graphql_rate_limited",
    "Requests refused with 429 RATE_LIMITED, by the limit that tripped "
    "(requests or cost).",
    ["limit"],
    namespace=NAMESPACE,
)
PERSISTED_QUERY_MISSES = Counter(
    "graphql_persisted_query_misses",
    "Persisted-query ids that were neither in the registry nor registered "
    "(PERSISTED_QUERY_NOT_FOUND).",
    namespace=NAMESPACE,
)

# --- background worker, webhooks, purges (fed by the worker) ----------------

WORKER_JOBS = Counter(
    "worker_jobs",
    "Background jobs finished, by task name and outcome (succeeded, failed).",
    ["task", "outcome"],
    namespace=NAMESPACE,
)
WEBHOOK_DELIVERIES = Counter(
    "webhook_deliveries",
    "Webhook delivery attempts by result (success, failure).",
    ["result"],
    namespace=NAMESPACE,
)
PURGE_DURATION = Histogram(
    "purge_duration_seconds",
    "Time a CDN / cache purge took, from request to acknowledgement.",
    namespace=NAMESPACE,
    buckets=PURGE_BUCKETS,
)
QUEUE_DEPTH_NAME = f"{NAMESPACE}_worker_queue_depth"

# Known label values start at zero, so rates work from the first scrape.
for _limit in ("requests", "cost"):
    RATE_LIMITED.labels(limit=_limit)
for _result in ("success", "failure"):
    WEBHOOK_DELIVERIES.labels(result=_result)

_queue_depth_source: Callable[[], Mapping[str, int]] | None = None


def set_queue_depth_source(source: Callable[[], Mapping[str, int]] | None):
    """Register the function that counts pending jobs per queue (the worker
    backend's table; ``worker.metrics``); it runs on every scrape. Returns
    the one it replaces."""
    global _queue_depth_source
    previous, _queue_depth_source = _queue_depth_source, source
    return previous


class QueueDepthCollector(Collector):
    """``clinic_worker_queue_depth{queue}``, read from the queue at scrape time:
    the queue is shared, so every web process reports the same numbers."""

    def collect(self):
        family = GaugeMetricFamily(
            QUEUE_DEPTH_NAME,
            "Jobs waiting in the background queue, by queue name.",
            labels=["queue"],
        )
        source = _queue_depth_source
        if source is not None:
            try:
                depths = dict(source())
            except Exception:  # a scrape must not fail on a busy database
                depths = {}
            for queue, depth in sorted(depths.items()):
                family.add_metric([str(queue)], float(depth))
        yield family


_queue_collector = QueueDepthCollector()
REGISTRY.register(_queue_collector)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def scrape() -> bytes:
    """The text exposition of every family: this process's, or every
    worker's added up in multiprocess mode."""
    if multiprocess_dir() is None:
        return generate_latest(REGISTRY)
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_queue_collector)
    return generate_latest(registry)


def _authorized(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and constant_time_compare(given.strip(), token)


@never_cache
@require_GET
def metrics_view(request):
    """``GET /metrics`` with ``Authorization: Bearer $METRICS_TOKEN``."""
    if not settings.METRICS_TOKEN:
        raise Http404("metrics are off")
    if not _authorized(request):
        response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)

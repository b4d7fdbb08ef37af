"""One log line per request, a request id, and the request metrics.

``RequestLogMiddleware`` (outermost in ``MIDDLEWARE``) gives every request an
id, taken from the ``X-Request-Id`` header when it is a plain token (letters,
digits, ``.``, ``_``, ``:``, ``-``; up to 128) or else a new UUID, and
returns it in the response's ``X-Request-Id``. When the response is ready it
writes one record to the ``cms.request`` logger (one JSON object per line
with ``LOG_FORMAT=json``) with these fields:

``request_id``, ``method``, ``path`` (never the query string), ``route``
(the URL pattern's name), ``status``,
``duration_ms``, ``sql_queries`` (statements on every database connection),
``operation`` (GraphQL operation name, or null), ``cache`` (GraphQL response
cache: ``hit``, ``miss``, ``bypass`` when not consulted, null outside
GraphQL) and ``client``: a keyed hash (HMAC of ``SECRET_KEY``) of the rate
limit's client key, so one client's lines can be grouped without the log
holding its IP address or API key. Query text, variables, headers, cookies
and bodies are never logged. ``RequestIdFilter`` adds ``request_id`` to every
other record logged while the request runs.

The GraphQL endpoint (``cms/graphql/pipeline/``) reports what only it knows
through three calls, each a no-op outside a request: ``note_query`` (the
query's id and text and the ``operationName`` parameter), ``note_operation``
(the operation it resolved) and ``note_cache`` (whether the response cache had
the answer).
"""

import contextvars
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import ExitStack
from dataclasses import dataclass

from django.db import connections
from django.utils.crypto import salted_hmac
from graphql import GraphQLError, OperationDefinitionNode, parse

from cms import metrics

logger = logging.getLogger("cms.request")

REQUEST_ID_HEADER = "X-Request-Id"
_PLAIN_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Kept out of the plain-text message (a forged line); JSON escapes them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CLIENT_SALT = "cms.request_log.client"
_NAMES_KEPT = 1024


@dataclass
class RequestFacts:
    request_id: str
    query_id: str | None = None
    query: str | None = None
    operation: str | None = None
    cache: str | None = None
    graphql: bool = False


_current: contextvars.ContextVar[RequestFacts | None] = contextvars.ContextVar(
    "cms_request_facts", default=None
)


def current() -> RequestFacts | None:
    """The facts of the request being answered, or None outside one."""
    return _current.get()


def request_id_from(header: str | None) -> str:
    if header and _PLAIN_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


# --- the GraphQL view's hook ---------------------------------------------------


class _OperationNames:
    """Operation names by query id, learned as the view resolves operations,
    so a response-cache hit (which skips parsing) still logs its name."""

    def __init__(self, size: int):
        self.size = size
        self.names: OrderedDict[str, str | None] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, query_id: str):
        with self.lock:
            if query_id in self.names:
                self.names.move_to_end(query_id)
                return True, self.names[query_id]
        return False, None

    def put(self, query_id: str, name: str | None) -> None:
        with self.lock:
            self.names[query_id] = name
            self.names.move_to_end(query_id)
            while len(self.names) > self.size:
                self.names.popitem(last=False)


operation_names = _OperationNames(_NAMES_KEPT)


def note_query(query_id: str, query: str, operation_name: str | None) -> None:
    """The view resolved the query text (persisted or sent) and its id."""
    facts = _current.get()
    if facts is None:
        return
    facts.graphql = True
    facts.query_id, facts.query = query_id, query
    facts.operation = operation_name
    facts.cache = "bypass"


def note_operation(operation: OperationDefinitionNode) -> None:
    """The view picked the operation to run from the parsed document."""
    facts = _current.get()
    if facts is None:
        return
    name = operation.name.value if operation.name else None
    facts.operation = name
    if facts.query_id is not None:
        operation_names.put(facts.query_id, name)


def note_cache(hit: bool) -> None:
    """The view looked the response up in the response cache."""
    (metrics.RESPONSE_CACHE_HITS if hit else metrics.RESPONSE_CACHE_MISSES).inc()
    facts = _current.get()
    if facts is not None:
        facts.cache = "hit" if hit else "miss"


def _name_of_only_operation(query: str) -> str | None:
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if len(operations) == 1 and operations[0].name is not None:
        return operations[0].name.value
    return None


def _operation_name(facts: RequestFacts) -> str | None:
    if facts.operation or facts.query_id is None:
        return facts.operation
    known, name = operation_names.get(facts.query_id)
    if known:
        return name
    if facts.cache != "hit" or facts.query is None:
        return None
    # A hit served by this process before it ever ran the query: the text
    # passed every guard when it was cached, so parsing it once is safe.
    name = _name_of_only_operation(facts.query)
    operation_names.put(facts.query_id, name)
    return name


def operation_label(facts: RequestFacts, name: str | None) -> str:
    """A bounded metrics label: registry operations by name, else 'other'."""
    if not facts.graphql:
        return "none"
    return name if name and name in registry_names() else "other"


_registry_names: tuple[object, frozenset[str]] = (None, frozenset())


def registry_names() -> frozenset[str]:
    """Names of the persisted registry's operations (one per file)."""
    global _registry_names
    from cms.graphql import persisted

    registry = persisted.registry()
    if _registry_names[0] is not registry:
        names = frozenset(
            persisted.check_operation_text(text, query_id)
            for query_id, text in registry.items()
        )
        _registry_names = (registry, names)
    return _registry_names[1]


# --- logging -------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records logged while a request is answered."""

    def filter(self, record: logging.LogRecord) -> bool:
        facts = _current.get()
        if facts is not None and not hasattr(record, "request_id"):
            record.request_id = facts.request_id
        return True


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def client_hash(request) -> str:
    """A keyed hash of the rate limit's client key (API key or IP)."""
    from cms.graphql.ratelimit import client_id

    return salted_hmac(_CLIENT_SALT, client_id(request)).hexdigest()[:16]


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


# The labelled children of the request metrics, by metric and label values
# (bounded: see cms.metrics). ``labels()`` checks and locks on every call;
# it returns the same child for the same values, so keep it.
_children: dict = {}


def _child(metric, *values: str):
    key = (metric, values)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*values)
    return child


class RequestLogMiddleware:
    """Request id in and out, one ``cms.request`` record, request metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        facts = RequestFacts(request_id_from(request.headers.get(REQUEST_ID_HEADER)))
        request.request_id = facts.request_id
        token = _current.set(facts)
        counter = _QueryCounter()
        try:
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(counter))
                response = self.get_response(request)
            response[REQUEST_ID_HEADER] = facts.request_id
            self.record(request, response, facts, counter.count, started)
        finally:
            _current.reset(token)
        return response

    @staticmethod
    def record(request, response, facts, sql_queries: int, started: float) -> None:
        duration = time.perf_counter() - started
        status = response.status_code
        route = _route(request)
        operation = _operation_name(facts)
        _child(metrics.HTTP_REQUESTS, route, request.method, str(status)).inc()
        _child(metrics.HTTP_DURATION, route).observe(duration)
        _child(metrics.HTTP_SQL_QUERIES, route).observe(sql_queries)
        if facts.graphql or route == "graphql":
            label = operation_label(facts, operation)
            _child(metrics.GRAPHQL_REQUESTS, label, str(status)).inc()
            _child(metrics.GRAPHQL_DURATION, label).observe(duration)
            _child(metrics.GRAPHQL_SQL_QUERIES, label).observe(sql_queries)
        if not logger.isEnabledFor(logging.INFO):
            return  # not built at all: the client hash is an HMAC
        logger.info(
            "%s %s %s",
            request.method,
            _CONTROL.sub("?", request.path),
            status,
            extra={
                "request_id": facts.request_id,
                "method": request.method,
                "path": request.path,
                "route": route,
                "status": status,
                "duration_ms": round(duration * 1000, 1),
                "sql_queries": sql_queries,
                "operation": operation,
                "cache": facts.cache,
                "client": client_hash(request),
            },
        )

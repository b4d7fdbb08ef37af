"""The public GraphQL endpoint: GraphQL over HTTP for anonymous clients.

The pipeline of a request (each refusal carries a stable ``extensions.code``):
method and media type -> rate limit -> body size and JSON shape -> persisted
query resolution -> query size -> parse (token cap) and validate (limit rules,
then the standard rules; cached) -> operation and method rules -> safelist ->
cost -> response cache -> execution with a deadline -> error masking ->
HTTP caching headers (ETag, 304) and security headers.

The response media type follows ``Accept`` (``negotiate``), as GraphQL over
HTTP asks: ``application/graphql-response+json`` when the client prefers it,
with a 4xx for every GraphQL request error (parse, validation, limits, cost,
operation, variable coercion); otherwise ``application/json``, where those
errors are 200 (legacy clients read the body, not the status). Transport
refusals (method, media type, body, parameters, rate limit...) keep their
4xx under both.

The view never touches ``request.session``, ``request.user`` or the CSRF token:
an anonymous GET sets no cookie and varies on nothing but ``Origin`` and
``Accept``.
"""

import json
import logging
import re
import uuid
from urllib.parse import parse_qsl, quote_from_bytes

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from graphene_django.views import GraphQLView
from graphql import GraphQLError, OperationType, execute, get_operation_ast
from graphql.execution.values import get_variable_values

from cms import metrics, request_log, selectors
from cms.graphql import cache as response_cache
from cms.graphql import graphiql, guards, persisted, ratelimit
from cms.graphql.errors import ErrorCode, RequestRejected

logger = logging.getLogger("cms.graphql")

JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
MUTATION_HEADER = "X-Requested-With"
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
DB_ERRORS = (OperationalError, InterfaceError)
# What the endpoint reads from a request: these parameters, and these headers
# (the rate limit's client key, the preview token).
PARAMETERS = ("query", "id", "operationName", "variables", "extensions")
TEXT_HEADERS = ("X-Api-Key", "X-Preview-Token")
_ASCII = bytes(range(128))

JSON_TYPE = "application/json"
GRAPHQL_RESPONSE_TYPE = "application/graphql-response+json"
# Listed in order of preference when the client weighs them equally.
RESPONSE_TYPES = (JSON_TYPE, GRAPHQL_RESPONSE_TYPE)
CONTENT_TYPE = {
    JSON_TYPE: JSON_TYPE,
    GRAPHQL_RESPONSE_TYPE: f"{GRAPHQL_RESPONSE_TYPE}; charset=utf-8",
}


class _ServiceUnavailable(Exception):
    pass


class _NoSession(dict):
    """Stands in for ``request.session``: the API never reads or writes one,
    and SessionMiddleware must not delete a bad session cookie (that adds
    ``Set-Cookie`` and ``Vary: Cookie`` to a cacheable response)."""

    accessed = False
    modified = False

    def is_empty(self) -> bool:
        return False


def _json(data) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _error_body(error: dict) -> str:
    return _json({"errors": [error]})


# Queries cannot change state; mutations need a custom header instead of the
# cookie-based CSRF check (a cross-site form cannot send one, and a script on
# another origin needs a CORS preflight the allowlist refuses).
class PublicGraphQLView(GraphQLView):
    """GraphQL over HTTP for anonymous clients; GraphiQL only when DEBUG."""

    # Keep graphql-core's standard rules: passing only custom rules would
    # replace them and let invalid documents through.
    validation_rules = guards.validation_rules(introspection=False)

    # The negotiated response media type (a view instance serves one request).
    media_type = JSON_TYPE

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.GRAPHQL_EXPOSE_GRAPHIQL)
        super().__init__(**kwargs)

    # --- HTTP ------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        # Deliberately not GraphQLView.dispatch: it forces a CSRF cookie.
        request.session = _NoSession()
        # A malformed CSRF cookie would otherwise be replaced on the way out.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        self.media_type = negotiate(request.headers.get("Accept", ""))
        try:
            response = self.handle(request)
        except RequestRejected as rejected:
            response = self.rejection_response(rejected)
        except (*DB_ERRORS, _ServiceUnavailable):
            logger.warning("database unavailable", exc_info=True)
            response = self.rejection_response(
                RequestRejected(
                    503,
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "Service unavailable",
                    headers={"Retry-After": "5"},
                )
            )
        except Exception:
            error_id = str(uuid.uuid4())
            logger.exception("GraphQL request failed (errorId=%s)", error_id)
            response = self.rejection_response(
                RequestRejected(
                    500,
                    ErrorCode.INTERNAL_SERVER_ERROR,
                    "Internal server error",
                    errorId=error_id,
                )
            )
        # The media type, and so the status of an error, depends on Accept:
        # a shared cache must not hand one client's representation to another.
        patch_vary_headers(response, ("Accept",))
        return self.secure(response)

    # What ``csrf_exempt`` sets, without its per-request method wrapper:
    # ``as_view()`` copies this onto the view function CsrfViewMiddleware sees.
    dispatch.csrf_exempt = True

    def rejection_response(self, rejected: RequestRejected) -> HttpResponse:
        status = rejected.status
        if self.media_type == JSON_TYPE and rejected.json_status is not None:
            status = rejected.json_status
        response = HttpResponse(
            _error_body(rejected.as_error()),
            status=status,
            content_type=CONTENT_TYPE[self.media_type],
        )
        for name, value in rejected.headers.items():
            response[name] = value
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def secure(response: HttpResponse) -> HttpResponse:
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "no-referrer")
        if response.get("Content-Type", "").startswith(RESPONSE_TYPES):
            response["Content-Security-Policy"] = JSON_CSP
        response.setdefault("Cache-Control", "no-store")
        return response

    def handle(self, request) -> HttpResponse:
        method = request.method.upper()
        if method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = "GET, HEAD, POST, OPTIONS"
            return response
        if method not in ("GET", "HEAD", "POST"):
            raise RequestRejected(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                f"{method} is not supported; use GET or POST.",
                headers={"Allow": "GET, HEAD, POST, OPTIONS"},
            )
        if method == "POST":
            self.check_media_type(request)
        elif self.wants_graphiql(request):
            return self.graphiql_page(request)

        ratelimit.count_request(request)
        params = self.read_params(request, method)
        response = self.run(request, method, params)
        if method == "HEAD":
            response.content = b""
        return response

    def check_media_type(self, request) -> None:
        if self.get_content_type(request) != "application/json":
            raise RequestRejected(
                415,
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "POST bodies must be application/json.",
            )

    def wants_graphiql(self, request) -> bool:
        return graphiql.is_wanted(
            request,
            enabled=self.graphiql,
            wants_html=self.request_wants_html(request),
        )

    def graphiql_page(self, request):
        # Vendored assets under a self-only CSP (cms/graphql/graphiql.py),
        # not graphene-django's template, which loads everything from a CDN.
        return graphiql.page(request)

    # --- request parameters ---------------------------------------------

    def read_params(self, request, method: str) -> dict:
        check_headers(request)
        if method == "POST":
            return self.check_params(self.read_json_body(request))
        data = query_string_params(request)
        # Raw values first: bytes that are not UTF-8 inside `variables` are
        # refused as such, not as malformed JSON.
        check_text(data)
        for name in ("variables", "extensions"):
            if isinstance(data.get(name), str):
                data[name] = self.loads(data[name], name) if data[name] else None
        return self.check_params(data)

    def read_json_body(self, request):
        limit = guards.limits()["MAX_BODY_BYTES"]
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise self.too_large(limit)
        body = request.read(limit + 1)
        if len(body) > limit:
            raise self.too_large(limit)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestRejected(
                400, ErrorCode.MALFORMED_JSON, "The body is not valid UTF-8."
            ) from None
        data = self.loads(text, "body")
        if isinstance(data, list):
            raise RequestRejected(
                400,
                ErrorCode.BATCHING_NOT_SUPPORTED,
                "Batched requests are not supported; send one operation.",
            )
        return data

    @staticmethod
    def too_large(limit: int) -> RequestRejected:
        return RequestRejected(
            413,
            ErrorCode.REQUEST_TOO_LARGE,
            f"The request body exceeds {limit} bytes.",
            limit=limit,
        )

    @staticmethod
    def loads(text: str, what: str):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise RequestRejected(
                400, ErrorCode.MALFORMED_JSON, f"The {what} is not valid JSON."
            ) from None

    @staticmethod
    def check_params(data) -> dict:
        def bad(message):
            return RequestRejected(400, ErrorCode.BAD_REQUEST, message)

        if not isinstance(data, dict):
            raise bad("The body must be a JSON object.")
        for name in ("query", "id", "operationName"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise bad(f"`{name}` must be a string.")
        for name in ("variables", "extensions"):
            if data.get(name) is not None and not isinstance(data[name], dict):
                raise bad(f"`{name}` must be a JSON object.")
        check_text(data)
        return {
            "query": data.get("query") or None,
            "id": data.get("id") or None,
            "operation_name": data.get("operationName") or None,
            "variables": data.get("variables") or {},
            "extensions": data.get("extensions") or {},
        }

    # --- persisted queries -------------------------------------------------

    def resolve_query(self, params) -> tuple[str, str, bool, bool]:
        """(query text, its id, whether it is persisted, whether to register)."""
        query = params["query"]
        apq = params["extensions"].get("persistedQuery")
        query_id = params["id"]
        if apq is not None:
            if not isinstance(apq, dict) or apq.get("version") != 1:
                raise RequestRejected(
                    400,
                    ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
                    "Only persistedQuery version 1 is supported.",
                )
            query_id = apq.get("sha256Hash")
        if query_id is not None:
            if not isinstance(query_id, str) or not persisted.SHA256_HEX.match(
                query_id
            ):
                raise RequestRejected(
                    400,
                    ErrorCode.BAD_REQUEST,
                    "A persisted query id is a lowercase sha256 hex digest.",
                )
            if query is None:
                text = persisted.lookup(query_id)
                if text is None:
                    metrics.PERSISTED_QUERY_MISSES.inc()
                    # Apollo clients then retry with the full text. A response
                    # without data is a 4xx under graphql-response+json (404,
                    # as Apollo Router answers); legacy clients keep the 200.
                    raise RequestRejected(
                        404,
                        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
                        "PersistedQueryNotFound",
                        json_status=200,
                    )
                return text, query_id, True, False
            if guards.sha256_hex(query) != query_id:
                raise RequestRejected(
                    400,
                    ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
                    "The query does not match its sha256 hash.",
                )
            known = query_id in persisted.registry()
            if not known and persisted.safelist_enabled():
                raise self.not_allowed()
            return query, query_id, True, not known
        if query is None:
            raise RequestRejected(400, ErrorCode.BAD_REQUEST, "Must provide a query.")
        query_id = guards.sha256_hex(query)
        return query, query_id, query_id in persisted.registry(), False

    @staticmethod
    def not_allowed() -> RequestRejected:
        return RequestRejected(
            400,
            ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
            "Only persisted operations may run on this endpoint.",
        )

    # --- GraphQL -----------------------------------------------------------

    def rules(self) -> tuple:
        introspection = not guards.production_mode()
        if self.validation_rules == guards.validation_rules(False):
            return guards.validation_rules(introspection)
        return tuple(self.validation_rules)

    def run(self, request, method: str, params: dict) -> HttpResponse:
        query, query_id, is_persisted, register = self.resolve_query(params)
        # For the request log line and metrics (cms/request_log.py).
        request_log.note_query(query_id, query, params["operation_name"])
        query_limit = guards.limits()["MAX_QUERY_BYTES"]
        if len(query.encode("utf-8")) > query_limit:
            raise RequestRejected(
                400,
                ErrorCode.QUERY_TOO_LARGE,
                f"The query exceeds {query_limit} bytes.",
                json_status=200,
                limit=query_limit,
            )
        # Fast path: a response cached for this exact document, variables,
        # operation and host was produced by a request that passed every
        # guard below, so a hit can skip parsing, validation and costing.
        # Read once: it keys both the response cache and the visibility
        # snapshot (cms.selectors).
        generation = None
        if response_cache.enabled() or settings.PUBLIC_VISIBILITY_CACHE:
            generation = response_cache.current_generation()
        key = self.cache_key(request, query_id, params, generation)
        if key is not None:
            body = response_cache.get_response(key)
            request_log.note_cache(hit=body is not None)
            if body is not None:
                return self.data_response(request, method, body, cacheable=True)

        schema = self.schema.graphql_schema
        prepared = guards.prepare(schema, query, self.rules())
        if prepared.errors:
            return self.errors_response(prepared.errors)
        document = prepared.document

        operation = get_operation_ast(document, params["operation_name"])
        if operation is None:
            raise RequestRejected(
                400,
                ErrorCode.OPERATION_RESOLUTION_FAILURE,
                "Name the operation to run (operationName): the document has "
                "none or several, or none by that name.",
                json_status=200,
            )
        request_log.note_operation(operation)
        if operation.operation == OperationType.SUBSCRIPTION:
            raise RequestRejected(
                400,
                ErrorCode.OPERATION_NOT_SUPPORTED,
                "Subscriptions are not supported.",
                json_status=200,
            )
        is_mutation = operation.operation == OperationType.MUTATION
        if is_mutation and method != "POST":
            raise RequestRejected(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                "Mutations must be sent with POST.",
                headers={"Allow": "POST"},
            )
        if is_mutation and not request.headers.get(MUTATION_HEADER):
            raise RequestRejected(
                403,
                ErrorCode.CSRF_HEADER_REQUIRED,
                f"Mutations need the {MUTATION_HEADER} header.",
            )
        if (
            persisted.safelist_enabled()
            and not is_persisted
            and not guards.only_typename(operation)
        ):
            raise self.not_allowed()

        variables = params["variables"]
        try:
            cost = guards.check_cost(
                schema, document, operation, variables, prepared.costs
            )
        except GraphQLError as error:
            return self.errors_response([error])
        ratelimit.count_cost(request, cost)
        if register:
            persisted.remember(query_id, query)
        # Coerced here, not only inside execute(): a coercion failure is a
        # request error (no data entry), whose status depends on the media type.
        coerced = get_variable_values(
            schema, operation.variable_definitions or (), variables
        )
        if isinstance(coerced, list):
            return self.errors_response(coerced, ErrorCode.BAD_USER_INPUT)

        cacheable = (
            not is_mutation
            and not request.headers.get("X-Preview-Token")
            and not prepared.mentions_preview
        )
        if not cacheable:
            key = None

        with selectors.request_scope(generation):
            body, has_errors = self.execute_operation(
                request, schema, document, variables, params["operation_name"]
            )
        if key is not None and not has_errors:
            response_cache.set_response(key, body)
        return self.data_response(
            request, method, body, cacheable=cacheable and not has_errors
        )

    @staticmethod
    def cache_key(request, query_id: str, params: dict, generation) -> str | None:
        if not response_cache.enabled() or request.headers.get("X-Preview-Token"):
            return None
        if settings.BENCH_ENDPOINTS and request.headers.get("X-Bench-Bypass-Cache"):
            return None  # make bench measures uncached requests this way
        if generation is None:
            return None
        return response_cache.response_key(
            generation,
            query_id,
            params["variables"],
            params["operation_name"],
            request.get_host(),
        )

    def execute_operation(self, request, schema, document, variables, name):
        production = guards.production_mode()
        context = self.get_context(request)
        setattr(context, guards.DEADLINE_ATTR, guards.deadline_from_settings())
        result = execute(
            schema,
            document,
            root_value=self.get_root_value(request),
            context_value=context,
            variable_values=variables,
            operation_name=name,
            middleware=self.get_middleware(request) or None,
            execution_context_class=guards.SyncExecutionContext,
            hide_suggestions=production,
        )
        payload = {}
        errors = result.errors or []
        if any(isinstance(e.original_error, DB_ERRORS) for e in errors):
            raise _ServiceUnavailable()
        if errors:
            payload["errors"] = self.format_errors(errors, ErrorCode.BAD_USER_INPUT)
        # Execution ran, so the data entry is there even when null.
        payload["data"] = result.data
        return _json(payload), bool(errors)

    def format_errors(self, errors, default_code: str) -> list[dict]:
        production = guards.production_mode()
        formatted = []
        deadline_seen = False
        for error in errors:
            original = getattr(error, "original_error", None)
            if original is not None and not isinstance(original, GraphQLError):
                formatted.append(self.mask(error, original, production))
                continue
            item = error.formatted
            extensions = dict(item.get("extensions") or {})
            extensions.setdefault("code", default_code)
            if extensions["code"] == ErrorCode.DEADLINE_EXCEEDED:
                if deadline_seen:
                    continue
                deadline_seen = True
            item["extensions"] = extensions
            if production:
                item["message"] = SUGGESTION.sub("", item["message"])
            formatted.append(item)
        return formatted

    @staticmethod
    def mask(error: GraphQLError, original: Exception, production: bool) -> dict:
        error_id = str(uuid.uuid4())
        logger.error(
            "GraphQL resolver error (errorId=%s, path=%s)",
            error_id,
            error.path,
            exc_info=(type(original), original, original.__traceback__),
        )
        item = {
            "message": "Internal server error",
            "extensions": {
                "code": ErrorCode.INTERNAL_SERVER_ERROR,
                "errorId": error_id,
            },
        }
        if error.locations:
            item["locations"] = [loc.formatted for loc in error.locations]
        if error.path:
            item["path"] = error.path
        if not production:
            item["extensions"]["debugMessage"] = (
                f"{type(original).__name__}: {original}"
            )
        return item

    def errors_response(
        self, errors, default_code: str = ErrorCode.GRAPHQL_VALIDATION_FAILED
    ) -> HttpResponse:
        """A GraphQL request error: nothing ran, so there is no data entry."""
        body = _json({"errors": self.format_errors(errors, default_code)})
        status = 400 if self.media_type == GRAPHQL_RESPONSE_TYPE else 200
        response = HttpResponse(
            body, status=status, content_type=CONTENT_TYPE[self.media_type]
        )
        response["Cache-Control"] = "no-store"
        return response

    def data_response(self, request, method: str, body: str, *, cacheable: bool):
        response = HttpResponse(body, content_type=CONTENT_TYPE[self.media_type])
        if not (cacheable and method in ("GET", "HEAD")):
            response["Cache-Control"] = "no-store"
            return response
        # One ETag per representation: the same body under the other media
        # type is another representation (application/json's is unchanged).
        digest = guards.sha256_hex(body)[:40]
        suffix = "" if self.media_type == JSON_TYPE else "-gr"
        etag = f'"{digest}{suffix}"'
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={settings.GRAPHQL_CACHE_MAX_AGE}"
        if _etag_matches(request.headers.get("If-None-Match", ""), etag):
            not_modified = HttpResponse(status=304)
            not_modified["ETag"] = etag
            not_modified["Cache-Control"] = response["Cache-Control"]
            return not_modified
        return response


def negotiate(accept: str) -> str:
    """The response media type for an ``Accept`` header (RFC 9110, 12.5.1).

    Each type takes the weight of the most specific range naming it (exact,
    then ``application/*``, then ``*/*``; a ``charset`` other than UTF-8 does
    not name it). The heavier wins, then the more specific match, then the
    one listed first; ``*/*`` alone gives ``application/json``. No ``Accept``,
    or one that accepts neither type, gives ``application/json`` too: the
    spec's default for legacy clients (and graphql-http's), and the spec lets
    a server disregard an ``Accept`` it cannot satisfy rather than send 406.
    """
    matched = {}  # media type -> (specificity, -position, weight)
    for position, item in enumerate(accept.split(",")):
        media, *params = item.split(";")
        media = media.strip().lower()
        weight, usable = 1.0, True
        for param in params:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"').lower()
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    usable = False
                usable = usable and 0.0 <= weight <= 1.0  # False for NaN too
            elif name == "charset" and value not in ("utf-8", "utf8"):
                usable = False
        if not usable:
            continue
        for candidate in RESPONSE_TYPES:
            specificity = _specificity(media, candidate)
            if specificity is None:
                continue
            rank = (specificity, -position)
            if candidate not in matched or rank > matched[candidate][:2]:
                matched[candidate] = (*rank, weight)
    choice, best = JSON_TYPE, None
    for candidate in RESPONSE_TYPES:
        if candidate not in matched:
            continue
        specificity, position, weight = matched[candidate]
        score = (weight, specificity, position)
        if weight > 0 and (best is None or score > best):
            choice, best = candidate, score
    return choice


def _specificity(media_range: str, media_type: str) -> int | None:
    if media_range == media_type:
        return 2
    if media_range == media_type.split("/")[0] + "/*":
        return 1
    if media_range == "*/*":
        return 0
    return None


def _invalid_unicode(where: str) -> RequestRejected:
    return RequestRejected(
        400,
        ErrorCode.INVALID_UNICODE,
        f"{where} is not valid Unicode: it holds an unpaired surrogate or "
        "bytes that are not UTF-8.",
    )


def _is_utf8_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def check_text(data: dict) -> None:
    """Refuse a request whose parameters hold text that is not valid Unicode.

    JSON may escape a lone surrogate (``"\\ud800"``), and query-string bytes
    that are not UTF-8 arrive as lone surrogates (``query_string_params``);
    such text cannot be hashed, cached, or written into a response. One walk
    over every string, keys included, at any depth (iterative: decoded JSON
    can nest as deep as the JSON parser allows).
    """
    for name in PARAMETERS:
        pending = [data.get(name)]
        while pending:
            value = pending.pop()
            if isinstance(value, str):
                if not _is_utf8_text(value):
                    raise _invalid_unicode(f"The `{name}` parameter")
            elif isinstance(value, dict):
                pending.extend(value.keys())
                pending.extend(value.values())
            elif isinstance(value, list):
                pending.extend(value)


def check_headers(request) -> None:
    """The headers the endpoint reads must be UTF-8 (API keys and preview
    tokens are ASCII). WSGI hands header bytes over as latin-1 text."""
    for header in TEXT_HEADERS:
        value = request.headers.get(header)
        if value is None:
            continue
        try:
            value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            raise _invalid_unicode(f"The {header} header") from None


def query_string_params(request) -> dict:
    """The GraphQL parameters of a GET query string, the last of each winning
    (as in ``request.GET``). Django would replace bytes that are not UTF-8
    with U+FFFD and run a changed query; here they become lone surrogates
    (``surrogateescape``), which ``check_text`` refuses."""
    try:
        raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    except UnicodeEncodeError:  # not bytes as latin-1: not from a WSGI server
        raise _invalid_unicode("The query string") from None
    # Percent-encode raw non-ASCII bytes, so every byte decodes the same way.
    text = quote_from_bytes(raw, safe=_ASCII)
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            errors="surrogateescape",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError:
        raise RequestRejected(
            400, ErrorCode.BAD_REQUEST, "The query string has too many parameters."
        ) from None
    return {name: value for name, value in pairs if name in PARAMETERS}


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return "*" in candidates or etag in candidates

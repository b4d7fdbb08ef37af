"""The public GraphQL endpoint: GraphQL over HTTP for anonymous clients.

The pipeline of a request (each refusal carries a stable ``extensions.code``):
method and media type -> rate limit -> body size and JSON shape -> persisted
query resolution -> query size -> parse (token cap) and validate (limit rules,
then the standard rules; cached) -> operation and method rules -> safelist ->
cost -> response cache -> execution with a deadline -> error masking ->
HTTP caching headers (ETag, 304) and security headers.

The view never touches ``request.session``, ``request.user`` or the CSRF token:
an anonymous GET sets no cookie and varies on nothing but ``Origin``.
"""

import json
import logging
import re
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from graphene_django.views import GraphQLView
from graphql import GraphQLError, OperationType, execute, get_operation_ast

from cms import selectors
from cms.graphql import cache as response_cache
from cms.graphql import guards, horizon, persisted, ratelimit
from cms.graphql.errors import ErrorCode, RequestRejected

logger = logging.getLogger("cms.graphql")

JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
MUTATION_HEADER = "X-Requested-With"
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
DB_ERRORS = (OperationalError, InterfaceError)


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

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.GRAPHQL_EXPOSE_GRAPHIQL)
        super().__init__(**kwargs)

    # --- HTTP ------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        # Deliberately not GraphQLView.dispatch: it forces a CSRF cookie.
        request.session = _NoSession()
        # A malformed CSRF cookie would otherwise be replaced on the way out.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
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
        return self.secure(response)

    # What ``csrf_exempt`` sets, without its per-request method wrapper:
    # ``as_view()`` copies this onto the view function CsrfViewMiddleware sees.
    dispatch.csrf_exempt = True

    def rejection_response(self, rejected: RequestRejected) -> HttpResponse:
        response = HttpResponse(
            _error_body(rejected.as_error()),
            status=rejected.status,
            content_type="application/json",
        )
        for name, value in rejected.headers.items():
            response[name] = value
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def secure(response: HttpResponse) -> HttpResponse:
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "no-referrer")
        if response.get("Content-Type", "").startswith("application/json"):
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
        return (
            self.graphiql
            and not guards.production_mode()
            and "raw" not in request.GET
            and self.request_wants_html(request)
            and not request.GET.get("query")
            and not request.GET.get("id")
        )

    def graphiql_page(self, request):
        return self.render_graphiql(
            request,
            whatwg_fetch_version=self.whatwg_fetch_version,
            whatwg_fetch_sri=self.whatwg_fetch_sri,
            react_version=self.react_version,
            react_sri=self.react_sri,
            react_dom_sri=self.react_dom_sri,
            graphiql_version=self.graphiql_version,
            graphiql_sri=self.graphiql_sri,
            graphiql_css_sri=self.graphiql_css_sri,
            subscriptions_transport_ws_version=self.subscriptions_transport_ws_version,
            subscriptions_transport_ws_sri=self.subscriptions_transport_ws_sri,
            graphiql_plugin_explorer_version=self.graphiql_plugin_explorer_version,
            graphiql_plugin_explorer_sri=self.graphiql_plugin_explorer_sri,
            graphiql_plugin_explorer_css_sri=self.graphiql_plugin_explorer_css_sri,
            subscription_path=self.subscription_path,
            graphiql_header_editor_enabled=False,
            graphiql_should_persist_headers=False,
            graphiql_input_value_deprecation=False,
        )

    # --- request parameters ---------------------------------------------

    def read_params(self, request, method: str) -> dict:
        if method == "POST":
            data = self.read_json_body(request)
        else:
            data = {}
            for name in ("query", "id", "operationName", "variables", "extensions"):
                if name in request.GET:
                    data[name] = request.GET[name]
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
                    # HTTP 200: Apollo clients then retry with the full text.
                    raise RequestRejected(
                        200,
                        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
                        "PersistedQueryNotFound",
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
        query_limit = guards.limits()["MAX_QUERY_BYTES"]
        if len(query.encode("utf-8")) > query_limit:
            raise RequestRejected(
                400,
                ErrorCode.QUERY_TOO_LARGE,
                f"The query exceeds {query_limit} bytes.",
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
            if body is not None:
                return self.data_response(
                    request, method, body, cacheable=True, generation=generation
                )

        schema = self.schema.graphql_schema
        prepared = guards.prepare(schema, query, self.rules())
        if prepared.errors:
            return self.errors_response(prepared.errors, status=400)
        document = prepared.document

        operation = get_operation_ast(document, params["operation_name"])
        if operation is None:
            raise RequestRejected(
                400,
                ErrorCode.OPERATION_RESOLUTION_FAILURE,
                "Name the operation to run (operationName): the document has "
                "none or several, or none by that name.",
            )
        if operation.operation == OperationType.SUBSCRIPTION:
            raise RequestRejected(
                400,
                ErrorCode.OPERATION_NOT_SUPPORTED,
                "Subscriptions are not supported.",
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
            return self.errors_response([error], status=400)
        ratelimit.count_cost(request, cost)
        if register:
            persisted.remember(query_id, query)

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
            timeout = horizon.bound(settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT, generation)
            response_cache.set_response(key, body, timeout=timeout)
        return self.data_response(
            request,
            method,
            body,
            cacheable=cacheable and not has_errors,
            generation=generation,
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
        if result.data is not None or not errors:
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

    def errors_response(self, errors, status: int) -> HttpResponse:
        default = ErrorCode.GRAPHQL_VALIDATION_FAILED
        body = _json({"errors": self.format_errors(errors, default)})
        response = HttpResponse(body, status=status, content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def data_response(
        request, method: str, body: str, *, cacheable: bool, generation=None
    ):
        response = HttpResponse(body, content_type="application/json")
        if not (cacheable and method in ("GET", "HEAD")):
            response["Cache-Control"] = "no-store"
            return response
        etag = '"' + guards.sha256_hex(body)[:40] + '"'
        response["ETag"] = etag
        # Never past the next scheduled go-live or expiry (cms.graphql.horizon).
        max_age = horizon.bound(settings.GRAPHQL_CACHE_MAX_AGE, generation)
        response["Cache-Control"] = f"public, max-age={max_age}"
        if _etag_matches(request.headers.get("If-None-Match", ""), etag):
            not_modified = HttpResponse(status=304)
            not_modified["ETag"] = etag
            not_modified["Cache-Control"] = response["Cache-Control"]
            return not_modified
        return response


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return "*" in candidates or etag in candidates

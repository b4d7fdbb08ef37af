"""The public GraphQL endpoint: GraphQL over HTTP for anonymous clients.

``PublicGraphQLView.dispatch`` runs the request pipeline
(``cms.graphql.pipeline``: one module per step) in order: transport ->
persisted lookup -> response cache -> parse and validate -> limits and
cost -> execute -> cache store. Each refusal carries a stable
``extensions.code``; an unexpected failure is a coded 500, a database outage
a 503.

The response media type follows ``Accept`` (``transport.negotiate``), as
GraphQL over HTTP asks: ``application/graphql-response+json`` when the client
prefers it, with a 4xx for every GraphQL request error (parse, validation,
limits, cost, operation, variable coercion); otherwise ``application/json``,
where those errors are 200 (legacy clients read the body, not the status).
Transport refusals (method, media type, body, parameters, rate limit...)
keep their 4xx under both.

The view never touches ``request.session``, ``request.user`` or the CSRF token:
an anonymous GET sets no cookie and varies on nothing but ``Origin`` and
``Accept``.
"""

import logging
import uuid

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from graphene_django.views import GraphQLView
from graphql import GraphQLError, OperationType

from cms.graphql import graphiql, persisted, ratelimit
from cms.graphql.config import graphql_settings
from cms.graphql.context import RequestContext
from cms.graphql.errors import ErrorCode, RequestRejected
from cms.graphql.pipeline import (
    caching,
    document,
    execute,
    limits,
    lookup,
    recall,
    responses,
    transport,
)

logger = logging.getLogger("cms.graphql")


# Queries cannot change state; mutations need a custom header instead of the
# cookie-based CSRF check (a cross-site form cannot send one, and a script on
# another origin needs a CORS preflight the allowlist refuses).
class PublicGraphQLView(GraphQLView):
    """GraphQL over HTTP for anonymous clients; GraphiQL only when DEBUG."""

    # Keep graphql-core's standard rules: passing only custom rules would
    # replace them and let invalid documents through.
    validation_rules = limits.validation_rules(introspection=False)

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", graphql_settings().expose_graphiql)
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        # Deliberately not GraphQLView.dispatch: it forces a CSRF cookie.
        transport.detach_session(request)
        media_type = transport.negotiate(request.headers.get("Accept", ""))
        try:
            response = self.handle(request, media_type)
        except RequestRejected as rejected:
            response = responses.rejection(rejected, media_type)
        except (*execute.DB_ERRORS, execute.ServiceUnavailable):
            logger.warning("database unavailable", exc_info=True)
            unavailable = RequestRejected(
                503,
                ErrorCode.SERVICE_UNAVAILABLE,
                "Service unavailable",
                headers={"Retry-After": "5"},
            )
            response = responses.rejection(unavailable, media_type)
        except Exception:
            error_id = str(uuid.uuid4())
            logger.exception("GraphQL request failed (errorId=%s)", error_id)
            failed = RequestRejected(
                500,
                ErrorCode.INTERNAL_SERVER_ERROR,
                "Internal server error",
                errorId=error_id,
            )
            response = responses.rejection(failed, media_type)
        # The media type, and so the status of an error, depends on Accept:
        # a shared cache must not hand one client's representation to another.
        patch_vary_headers(response, ("Accept",))
        return responses.secure(response)

    # What ``csrf_exempt`` sets, without its per-request method wrapper:
    # ``as_view()`` copies this onto the view function CsrfViewMiddleware sees.
    dispatch.csrf_exempt = True

    def handle(self, request, media_type: str) -> HttpResponse:
        answer = transport.check_method(request)
        if answer is not None:
            return answer
        method = request.method.upper()
        if method != "POST" and graphiql.is_wanted(
            request, enabled=self.graphiql, wants_html=self.request_wants_html(request)
        ):
            # Vendored assets under a self-only CSP (cms/graphql/graphiql.py),
            # not graphene-django's template, which loads them from a CDN.
            return graphiql.page(request)
        ratelimit.count_request(request)
        transport.check_headers(request)
        raw = transport.read_raw(request, method)
        found = recall.lookup(request, method, raw)
        if found is not None and found.body is not None:
            response = self.answer(request, found, media_type)
        else:
            params = transport.parse_params(request, method, raw)
            response = self.run(request, params, media_type, raw, found)
        if method == "HEAD":
            response.content = b""
        return response

    @staticmethod
    def answer(request, found, media_type: str) -> HttpResponse:
        """A response-cache hit."""
        return responses.data(
            request,
            found.body,
            media_type,
            cacheable=True,
            generation=found.generation,
            stale_age=found.stale_age,
            tags=found.tags,
        )

    def rules(self) -> tuple:
        introspection = not graphql_settings().production
        if self.validation_rules == limits.validation_rules(False):
            return limits.validation_rules(introspection)
        return tuple(self.validation_rules)

    def get_context(self, request) -> RequestContext:
        return RequestContext(request, deadline=execute.deadline_from_settings())

    def run(
        self, request, params, media_type: str, raw=None, found=None
    ) -> HttpResponse:
        """Steps 2 to 7, for the parameters the transport step read from
        ``raw``; ``found``: the cache lookup ``recall`` made for them."""
        query = lookup.resolve(params)
        if found is None:
            found = caching.lookup(request, query, params)
            if raw is not None:
                method = request.method.upper()
                recall.remember(request, method, raw, params, query, found.key)
        if found.body is not None:
            return self.answer(request, found, media_type)

        schema = self.schema.graphql_schema
        prepared = document.prepare(schema, query.text, self.rules())
        if prepared.errors:
            return responses.request_errors(prepared.errors, media_type)
        operation = document.select_operation(prepared, params, request, query)

        try:
            limits.check(request, schema, prepared, operation, params.variables)
        except GraphQLError as error:
            return responses.request_errors([error], media_type)
        lookup.register(query)

        coercion = execute.coercion_errors(schema, operation, params.variables)
        if coercion:
            return responses.request_errors(
                coercion, media_type, ErrorCode.BAD_USER_INPUT
            )
        cacheable = caching.cacheable(
            request,
            is_mutation=operation.operation == OperationType.MUTATION,
            mentions_preview=prepared.mentions_preview,
        )
        outcome = execute.run(
            schema,
            prepared.document,
            self.get_context(request),
            params.variables,
            params.operation_name,
            found.generation,
            root_value=self.get_root_value(request),
            middleware=self.get_middleware(request) or None,
            materialise_objects=cacheable and query.id in persisted.registry(),
        )
        cacheable = cacheable and not outcome.has_errors
        if cacheable:
            caching.store(found, outcome.body, outcome.tags)
        return responses.data(
            request,
            outcome.body,
            media_type,
            cacheable=cacheable,
            generation=found.generation,
            tags=outcome.tags,
        )

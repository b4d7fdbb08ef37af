"""Step 6, execute: variables coerced, then the operation under a deadline.

Variables are coerced before execution, so a coercion failure is a request
error (no data entry) whose status follows the media type. Execution reads
the request's visibility snapshot (``cms.selectors.request_scope``) and
stops once the deadline (``GRAPHQL_REQUEST_TIMEOUT_MS``) has passed, with
one ``DEADLINE_EXCEEDED`` error. A database error anywhere in it makes the
whole request a 503 (``ServiceUnavailable``).
"""

import time
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError
from graphql import GraphQLError, execute
from graphql.execution import ExecutionContext
from graphql.execution.values import get_variable_values

from cms import selectors
from cms.graphql import tags
from cms.graphql.config import graphql_settings
from cms.graphql.context import RequestContext
from cms.graphql.errors import DeadlineExceeded, ErrorCode
from cms.graphql.pipeline.responses import format_errors, to_json

DB_ERRORS = (OperationalError, InterfaceError)
_clock = time.monotonic


class ServiceUnavailable(Exception):
    """The database failed while the operation ran."""


@dataclass(frozen=True)
class Outcome:
    body: str  # the JSON response body, data entry included
    has_errors: bool
    tags: tuple[str, ...] = ()  # cache tags (cms.graphql.tags)


def _never_awaitable(_value) -> bool:
    return False


class SyncExecutionContext(ExecutionContext):
    """graphql-core's executor for this synchronous (WSGI) service.

    Every resolver is synchronous, so no result is ever awaitable: graphql-core
    would otherwise test each resolved value for one. The request deadline
    (``RequestContext.deadline``) is checked before each object's fields
    resolve, rather than by a middleware wrapped around every field; there
    too each object is handed to the response's tag collector
    (``cms.graphql.tags``), and the root fields once they have resolved.
    """

    is_awaitable = staticmethod(_never_awaitable)

    def execute_fields(self, parent_type, source_value, path, fields):
        context = self.context_value
        deadline = getattr(context, "deadline", None)
        if deadline is not None and _clock() >= deadline:
            raise DeadlineExceeded("The request took too long and was stopped.")
        collector = getattr(context, "cache_tags", None)
        if collector is None:
            return super().execute_fields(parent_type, source_value, path, fields)
        if path is not None:
            collector.collect(source_value)
            return super().execute_fields(parent_type, source_value, path, fields)
        results = super().execute_fields(parent_type, source_value, path, fields)
        collector.collect_root(fields, results)
        return results


def deadline_from_settings() -> float | None:
    timeout_ms = graphql_settings().request_timeout_ms
    if timeout_ms is None:
        return None
    return _clock() + timeout_ms / 1000


def coercion_errors(schema, operation, variables: dict) -> list[GraphQLError]:
    """The errors coercing ``variables`` for ``operation`` (none: empty)."""
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), variables
    )
    return coerced if isinstance(coerced, list) else []


def run(
    schema,
    document,
    context: RequestContext,
    variables: dict,
    operation_name: str | None,
    generation: int | None,
    *,
    root_value=None,
    middleware=None,
) -> Outcome:
    """Execute with the visibility snapshot of ``generation``; the body with
    errors formatted (and masked), and whether it has any."""
    collector = context.cache_tags = tags.Collector()
    with selectors.request_scope(generation):
        context.visibility = selectors.visibility()  # the scoped snapshot
        result = execute(
            schema,
            document,
            root_value=root_value,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            middleware=middleware,
            execution_context_class=SyncExecutionContext,
            hide_suggestions=graphql_settings().production,
        )
    payload = {}
    errors = result.errors or []
    if any(isinstance(e.original_error, DB_ERRORS) for e in errors):
        raise ServiceUnavailable()
    if errors:
        payload["errors"] = format_errors(errors, ErrorCode.BAD_USER_INPUT)
    # Execution ran, so the data entry is there even when null.
    payload["data"] = result.data
    return Outcome(to_json(payload), bool(errors), tuple(collector.tags()))

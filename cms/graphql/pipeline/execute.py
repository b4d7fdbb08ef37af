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

from django.conf import settings
from django.db import InterfaceError, OperationalError
from graphql import GraphQLError, execute, get_named_type
from graphql.execution import ExecutionContext
from graphql.execution.values import get_variable_values

from cms import selectors
from cms.graphql import materialise, tags
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
            if getattr(context, "deferred_loads", None):  # loads that wait
                materialise.run_deferred(context, parent_type.name)
            return super().execute_fields(parent_type, source_value, path, fields)
        results = super().execute_fields(parent_type, source_value, path, fields)
        collector.collect_root(fields, results)
        return results

    def complete_value(self, return_type, field_nodes, info, path, result):
        if path.prev is None and result is not None:
            context = self.context_value
            if getattr(context, "materialise_at", None) is not None:
                named = get_named_type(return_type)
                if named.name in materialise.kept_types() and (
                    field_nodes[0].name.value in settings.EDGE_MISS_TAGS_BY_ROOT_FIELD
                ):
                    return self._materialised(
                        return_type, field_nodes, info, path, result
                    )
            result = materialise.loaded(result)
        return super().complete_value(return_type, field_nodes, info, path, result)

    def _materialised(self, return_type, field_nodes, info, path, result):
        """The object a single-object root field found, from its row while
        that is current (one read, one version check), else completed and
        kept (``cms.graphql.materialise``)."""
        context = self.context_value
        type_name = get_named_type(return_type).name
        selection = materialise.fingerprint(
            field_nodes, self.fragments, self.variable_values
        )
        if selection is None:  # a volatile field: completed every time
            result = materialise.loaded(result)
            return super().complete_value(return_type, field_nodes, info, path, result)
        slot = materialise.slot_for(type_name, result, context.request, selection)
        collector = context.cache_tags
        found = materialise.read(slot, materialise.revision_of(result))
        if found is not None:
            value, kept_tags = found
            collector.objects.update(kept_tags)
            return value
        # Found by key alone (``materialise.Pending``): loaded now, as it
        # is now (its revision may have moved on).
        result = materialise.loaded(result)
        if result is None:
            return super().complete_value(return_type, field_nodes, info, path, None)
        revision = materialise.revision_of(result)
        materialise.run_deferred(context, type_name)
        errors = len(self.collected_errors.errors)
        before = set(collector.objects)
        value = super().complete_value(return_type, field_nodes, info, path, result)
        if len(self.collected_errors.errors) == errors:
            kept_tags = (collector.objects - before) | set(materialise.own_tags(result))
            materialise.write(
                slot, result, revision, value, kept_tags, context.materialise_at
            )
        return value


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
    materialise_objects: bool = False,
) -> Outcome:
    """Execute with the visibility snapshot of ``generation``; the body with
    errors formatted (and masked), and whether it has any. With
    ``materialise_objects`` (an operation file, not a preview), the objects of the
    types in ``GRAPHQL_MATERIALISED_TYPES`` that a single-object root field
    finds are read from and kept in their rows (``cms.graphql.materialise``)."""
    collector = context.cache_tags = tags.Collector()
    if materialise_objects and generation is not None:
        context.materialise_at = generation
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

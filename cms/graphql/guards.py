"""Limits checked before a document executes, and the parsed-document cache.

Order for a request: size of the query text, then ``parse`` with a token cap,
then validation (the cheap limit rules first, graphql-core's standard rules
only if those pass), then the cost estimate with the request's variables.
Every refusal is a ``GraphQLError`` with a stable ``extensions.code``.

The limit rules expand fragments themselves, memoising each fragment, so a
fragment bomb costs linear time; unknown fragments and fragment cycles are
skipped here and reported by the standard rules as ordinary validation errors.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    get_named_type,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.execution import ExecutionContext
from graphql.language import Visitor, ast

from cms.graphql.config import Limits, graphql_settings
from cms.graphql.errors import DeadlineExceeded, ErrorCode
from cms.graphql.walk import SelectionFold, fragments_of

DEFAULT_LIST_SIZE = 10


def limits() -> Limits:
    return graphql_settings().limits


def production_mode() -> bool:
    """Introspection, suggestions and raw errors need DEBUG and the flag."""
    return graphql_settings().production


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def coded(message: str, code: str, node=None, **extensions) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": code, **extensions})


# --- document metrics -------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    depth: int = 0
    aliases: int = 0
    fields: int = 0
    directives: int = 0


class MetricsFold(SelectionFold[Metrics]):
    """Depth, aliases, fields and directives of a selection set."""

    def empty(self) -> Metrics:
        return Metrics()

    def add(self, total: Metrics, part: Metrics) -> Metrics:
        return Metrics(
            max(total.depth, part.depth),
            total.aliases + part.aliases,
            total.fields + part.fields,
            total.directives + part.directives,
        )

    def field(self, node: FieldNode, scope, stack: tuple) -> Metrics:
        child = self.fold(node.selection_set, scope, stack)
        return Metrics(
            1 + child.depth,
            (1 if node.alias else 0) + child.aliases,
            1 + child.fields,
            len(node.directives or ()) + child.directives,
        )

    def fragment(self, node, contents: Metrics) -> Metrics:
        return _with_directives(contents, node)

    def definition(self, node, contents: Metrics) -> Metrics:
        return _with_directives(contents, node)


def _with_directives(metrics: Metrics, node) -> Metrics:
    count = len(node.directives or ())
    return replace(metrics, directives=metrics.directives + count)


class QueryLimitsRule(ValidationRule):
    """Depth, aliases (``__typename`` included), fields and directives."""

    def enter_document(self, node: ast.DocumentNode, *_args):
        walker = MetricsFold(fragments_of(node))
        bounds = limits()
        for definition in node.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            metrics = walker.fold(definition.selection_set)
            metrics = _with_directives(metrics, definition)
            checks = (
                (metrics.depth, bounds.max_depth, ErrorCode.QUERY_TOO_DEEP, "depth"),
                (
                    metrics.aliases,
                    bounds.max_aliases,
                    ErrorCode.TOO_MANY_ALIASES,
                    "aliases",
                ),
                (
                    metrics.fields,
                    bounds.max_fields,
                    ErrorCode.TOO_MANY_FIELDS,
                    "fields",
                ),
                (
                    metrics.directives,
                    bounds.max_directives,
                    ErrorCode.TOO_MANY_DIRECTIVES,
                    "directives",
                ),
            )
            for value, bound, code, what in checks:
                if value > bound:
                    self.report_error(
                        coded(
                            f"Operation has {value} {what}; the limit is {bound}.",
                            code,
                            definition,
                            limit=bound,
                        )
                    )
        return self.BREAK


class NoIntrospectionRule(ValidationRule):
    """``__schema`` and ``__type`` are refused; ``__typename`` stays allowed."""

    def enter_field(self, node: FieldNode, *_args):
        if node.name.value in ("__schema", "__type"):
            self.report_error(
                coded(
                    "Introspection is disabled on this endpoint.",
                    ErrorCode.INTROSPECTION_DISABLED,
                    node,
                )
            )


GUARD_RULES = (QueryLimitsRule,)


def validation_rules(introspection: bool) -> tuple:
    """The standard rules plus ours: never a replacement for the standard set."""
    extra = () if introspection else (NoIntrospectionRule,)
    return (*specified_rules, *GUARD_RULES, *extra)


# --- parse + validate, cached -----------------------------------------------


@dataclass(frozen=True)
class Prepared:
    document: ast.DocumentNode | None
    errors: tuple
    # Worked out once per document (see ``mentions_preview``).
    mentions_preview: bool = False
    # Costs already estimated for this document (see ``check_cost``).
    costs: dict = field(default_factory=dict, compare=False, repr=False)


class DocumentCache:
    """A bounded LRU of parsed and validated documents, shared by threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


document_cache = DocumentCache(graphql_settings().document_cache_size)


def _parse(query: str, max_tokens: int) -> Prepared:
    try:
        return Prepared(parse(query, max_tokens=max_tokens), ())
    except GraphQLError as error:
        if "tokens. Parsing aborted" in error.message:
            code = ErrorCode.TOO_MANY_TOKENS
        elif "nested too deeply" in error.message:
            code = ErrorCode.QUERY_TOO_DEEP
        else:
            code = ErrorCode.GRAPHQL_PARSE_FAILED
        return Prepared(None, (_with_code(error, code),))
    except RecursionError:
        return Prepared(
            None,
            (coded("Document is nested too deeply.", ErrorCode.QUERY_TOO_DEEP),),
        )


def _with_code(error: GraphQLError, code: str) -> GraphQLError:
    if (error.extensions or {}).get("code"):
        return error
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        error.original_error,
        {**(error.extensions or {}), "code": code},
    )


def prepare(schema, query: str, rules: tuple) -> Prepared:
    """Parse and validate ``query``; a repeated query skips both."""
    bounds = limits()
    key = (sha256_hex(query), id(schema), rules, bounds)
    cached = document_cache.get(key)
    if cached is not None:
        return cached
    prepared = _parse(query, bounds.max_tokens)
    if prepared.document is not None:
        prepared = Prepared(
            prepared.document,
            _validate(schema, prepared.document, rules),
            mentions_preview(prepared.document),
        )
    document_cache.put(key, prepared)
    return prepared


def _validate(schema, document, rules: tuple) -> tuple:
    # The limit rules run alone first: graphql-core's standard rules (the
    # overlapping-fields check above all) are what a hostile document targets.
    guards = tuple(r for r in rules if r in GUARD_RULES)
    others = tuple(r for r in rules if r not in GUARD_RULES)
    errors = validate(schema, document, guards) if guards else []
    if not errors:
        errors = validate(schema, document, others, max_errors=20)
    return tuple(_with_code(e, ErrorCode.GRAPHQL_VALIDATION_FAILED) for e in errors)


# --- cost ---------------------------------------------------------------------


class CostFold(SelectionFold[int]):
    """Fields count 1 each; a field with a ``limit`` argument multiplies its
    children by the limit asked for (or the argument's default). The scope
    is the parent type; a selection on an unknown type costs nothing."""

    def __init__(self, schema, fragments, variables: dict, var_defaults: dict):
        super().__init__(fragments)
        self.schema = schema
        self.variables = variables
        self.var_defaults = var_defaults

    def empty(self) -> int:
        return 0

    def add(self, total: int, part: int) -> int:
        return total + part

    def fold(self, selection_set, scope=None, stack: tuple = ()) -> int:
        if scope is None:
            return 0
        return super().fold(selection_set, scope, stack)

    def scope_of(self, type_condition, scope):
        if type_condition is None:
            return scope
        return self.schema.get_type(type_condition.name.value)

    def field(self, node: FieldNode, scope, stack: tuple) -> int:
        field_def = (getattr(scope, "fields", None) or {}).get(node.name.value)
        if field_def is None:
            return 1
        child_type = get_named_type(field_def.type)
        children = self.fold(node.selection_set, child_type, stack)
        if "limit" in field_def.args:
            children *= self.limit_value(node, field_def)
        return 1 + children

    def limit_value(self, node: FieldNode, field_def) -> int:
        value = None
        for arg in node.arguments or ():
            if arg.name.value == "limit":
                value = _literal(arg.value, self.variables, self.var_defaults)
        if value is None:
            value = field_def.args["limit"].default_value
        if isinstance(value, bool) or not isinstance(value, int):
            return DEFAULT_LIST_SIZE
        return max(value, 0)


def estimate_cost(schema, document, operation, variables: dict | None) -> int:
    """The cost of ``operation`` (see ``CostFold``) with ``variables``."""
    var_defaults = {
        v.variable.name.value: v.default_value
        for v in operation.variable_definitions or ()
    }
    walker = CostFold(schema, fragments_of(document), variables or {}, var_defaults)
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    return walker.fold(operation.selection_set, root)


def _literal(node, variables: dict, var_defaults: dict):
    if isinstance(node, ast.VariableNode):
        name = node.name.value
        if name in variables:
            return variables[name]
        default = var_defaults.get(name)
        return _literal(default, variables, {}) if default is not None else None
    if isinstance(node, ast.IntValueNode):
        try:
            return int(node.value)
        except ValueError:
            return None
    return None


COST_MEMO_SIZE = 64


def _limit_variables(document) -> frozenset[str]:
    """Names of the variables passed as a ``limit`` anywhere in ``document``:
    the only variables a cost estimate depends on."""
    names = set()

    class LimitFinder(Visitor):
        def enter_argument(self, node, *_args):
            if node.name.value == "limit" and isinstance(node.value, ast.VariableNode):
                names.add(node.value.name.value)

    visit(document, LimitFinder())
    return frozenset(names)


def _memoised_cost(schema, document, operation, variables, memo: dict) -> int:
    names = memo.get("limit-variables")
    if names is None:
        names = memo["limit-variables"] = _limit_variables(document)
    variables = variables or {}
    key = (
        id(schema),
        id(operation),
        repr(sorted((n, variables.get(n)) for n in names if n in variables)),
    )
    cost = memo.get(key)
    if cost is None:
        cost = estimate_cost(schema, document, operation, variables)
        if len(memo) > COST_MEMO_SIZE:
            memo.clear()  # bounded: a client cycling limits gains nothing
            memo["limit-variables"] = names
        memo[key] = cost
    return cost


def check_cost(schema, document, operation, variables, memo=None) -> int:
    """Estimate the cost (once per operation and limit values when ``memo``,
    the document's ``Prepared.costs``, is given) and refuse it over the bound."""
    if memo is None:
        cost = estimate_cost(schema, document, operation, variables)
    else:
        cost = _memoised_cost(schema, document, operation, variables, memo)
    bound = limits().max_cost
    if cost > bound:
        raise coded(
            f"Query cost {cost} exceeds the limit of {bound}.",
            ErrorCode.QUERY_TOO_COMPLEX,
            operation,
            cost=cost,
            limit=bound,
        )
    return cost


def only_typename(operation) -> bool:
    """True for ``{ __typename }``-style probes, allowed even under a safelist."""
    if operation.operation != OperationType.QUERY:
        return False
    return all(
        isinstance(s, FieldNode)
        and s.name.value == "__typename"
        and not s.selection_set
        for s in operation.selection_set.selections
    )


def mentions_preview(document) -> bool:
    """Arguments named like tokens or previews make a response uncacheable."""

    class ArgumentFinder(Visitor):
        found = False

        def enter_argument(self, node, *_args):
            name = node.name.value.lower()
            if "preview" in name or "token" in name:
                self.found = True
                return self.BREAK
            return None

    finder = ArgumentFinder()
    visit(document, finder)
    return finder.found


# --- execution deadline -----------------------------------------------------

_clock = time.monotonic


def _never_awaitable(_value) -> bool:
    return False


class SyncExecutionContext(ExecutionContext):
    """graphql-core's executor for this synchronous (WSGI) service.

    Every resolver is synchronous, so no result is ever awaitable: graphql-core
    would otherwise test each resolved value for one. The request deadline
    (``RequestContext.deadline``) is checked before each object's fields
    resolve, rather than by a middleware wrapped around every field.
    """

    is_awaitable = staticmethod(_never_awaitable)

    def execute_fields(self, parent_type, source_value, path, fields):
        deadline = getattr(self.context_value, "deadline", None)
        if deadline is not None and _clock() >= deadline:
            raise DeadlineExceeded("The request took too long and was stopped.")
        return super().execute_fields(parent_type, source_value, path, fields)


def deadline_from_settings() -> float | None:
    timeout_ms = graphql_settings().request_timeout_ms
    if timeout_ms is None:
        return None
    return _clock() + timeout_ms / 1000

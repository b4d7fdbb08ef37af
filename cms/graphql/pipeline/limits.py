"""Step 5, limits and cost; and the limit rules that run inside validation.

The limit rules (``QueryLimitsRule``: depth, aliases with ``__typename``,
fields, directives) run in step 4, before graphql-core's standard rules,
cached with the document. The cost estimate (``CostFold``) runs here with
the request's variables, memoised per document and limit values. Both fold
the document with the one fragment walker (``cms.graphql.walk``). Every
refusal is a ``GraphQLError`` with a stable ``extensions.code``.
"""

from dataclasses import dataclass, replace

from graphql import (
    FieldNode,
    GraphQLError,
    NoUnusedFragmentsRule,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    get_named_type,
    specified_rules,
    visit,
)
from graphql.language import Visitor, ast

from cms.graphql import ratelimit
from cms.graphql.config import graphql_settings
from cms.graphql.errors import ErrorCode, coded
from cms.graphql.walk import SelectionFold, fragments_of

DEFAULT_LIST_SIZE = 10

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
        bounds = graphql_settings().limits
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


class UnusedFragmentsRule(NoUnusedFragmentsRule):
    """graphql-core's check that every fragment is spread, kept on.

    Importing ``grapple.schema`` replaces ``NoUnusedFragmentsRule.leave_document``
    with a no-op for the whole process (for previews that send every fragment),
    so a document of fragments alone, or one with a stray fragment, would pass
    validation once the real schema is built and fail it before. The spec says
    such a document is invalid; this subclass carries the original check.
    """

    def leave_document(self, *_args) -> None:
        spread = self.context.get_recursively_referenced_fragments_for_operations
        used = {fragment.name.value for fragment in spread(self.operation_defs)}
        for definition in self.fragment_defs:
            name = definition.name.value
            if name not in used:
                self.report_error(
                    GraphQLError(f"Fragment '{name}' is never used.", definition)
                )


GUARD_RULES = (QueryLimitsRule,)
STANDARD_RULES = tuple(
    UnusedFragmentsRule if rule is NoUnusedFragmentsRule else rule
    for rule in specified_rules
)


def validation_rules(introspection: bool) -> tuple:
    """The standard rules plus ours: never a replacement for the standard set."""
    extra = () if introspection else (NoIntrospectionRule,)
    return (*STANDARD_RULES, *GUARD_RULES, *extra)


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
    bound = graphql_settings().limits.max_cost
    if cost > bound:
        raise coded(
            f"Query cost {cost} exceeds the limit of {bound}.",
            ErrorCode.QUERY_TOO_COMPLEX,
            operation,
            cost=cost,
            limit=bound,
        )
    return cost


def check(request, schema, prepared, operation, variables: dict) -> int:
    """The step: the operation's cost within ``MAX_COST`` (else a
    ``GraphQLError``), counted against the client's cost per window (else
    429). ``prepared`` is the document's ``Prepared``."""
    cost = check_cost(schema, prepared.document, operation, variables, prepared.costs)
    ratelimit.count_cost(request, cost)
    return cost

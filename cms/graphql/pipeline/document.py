"""Step 4, parse and validate; then the operation to run and its rules.

``parse`` caps the tokens; validation runs the limit rules first
(``cms.graphql.pipeline.limits``), graphql-core's standard rules only when
those pass. Both results, errors included, are cached per query text in a
bounded LRU (``document_cache``), so a repeated query skips both. Then the
operation is picked (``operationName``) and its rules checked: no
subscriptions, mutations only by POST with the custom header (a cross-site
form cannot send one), only persisted operations under the safelist.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    GraphQLError,
    OperationType,
    get_operation_ast,
    parse,
    validate,
)
from graphql.language import Visitor, ast, visit

from cms import request_log
from cms.graphql import persisted
from cms.graphql.config import graphql_settings
from cms.graphql.errors import ErrorCode, RequestRejected, coded
from cms.graphql.pipeline.limits import GUARD_RULES
from cms.graphql.pipeline.lookup import Query, not_allowed
from cms.graphql.pipeline.transport import Params

MUTATION_HEADER = "X-Requested-With"


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
    bounds = graphql_settings().limits
    key = (persisted.sha256_hex(query), id(schema), rules, bounds)
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


def select_operation(prepared: Prepared, params: Params, request, query: Query):
    """The operation ``operationName`` names (or the only one), once its
    rules allow it to run for this request."""
    operation = get_operation_ast(prepared.document, params.operation_name)
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
    if operation.operation == OperationType.MUTATION:
        if request.method.upper() != "POST":
            raise RequestRejected(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                "Mutations must be sent with POST.",
                headers={"Allow": "POST"},
            )
        if not request.headers.get(MUTATION_HEADER):
            raise RequestRejected(
                403,
                ErrorCode.CSRF_HEADER_REQUIRED,
                f"Mutations need the {MUTATION_HEADER} header.",
            )
    if (
        persisted.safelist_enabled()
        and not query.persisted
        and not only_typename(operation)
    ):
        raise not_allowed()
    return operation

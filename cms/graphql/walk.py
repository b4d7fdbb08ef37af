"""The one walk over a selection set, with its fragments expanded.

The limit rules (depth, aliases, fields, directives) and the cost estimate
(``cms.graphql.limits``) fold a selection set into a value with a
``SelectionFold`` subclass; resolvers that look ahead at what a query selects
(the loaders) take its fields with ``fields_of`` and ``all_fields``.

Each named fragment is walked once, its value memoised by name, so a fragment
bomb (each fragment spreading the previous one twice) costs linear time. A
spread of an unknown fragment, or of one the walk is already inside (a
cycle), adds nothing: validation reports both as errors of their own.
"""

from collections.abc import Mapping
from typing import Generic, TypeVar

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
)
from graphql.language import ast

T = TypeVar("T")
Fragments = Mapping[str, FragmentDefinitionNode]


def fragments_of(document: ast.DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragment definitions by name (``info.fragments`` at
    execution time holds the same)."""
    return {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }


class SelectionFold(Generic[T]):
    """Folds selection sets into a ``T``, fragments expanded.

    Subclasses say what a field is worth (``field``, which descends by
    calling ``fold`` on the field's selection set), how two values add up
    (``add``, starting from ``empty``), and optionally what a fragment adds
    around its contents (``fragment``, ``definition``) and how a type
    condition changes the ``scope`` passed down (``scope_of``).
    """

    def __init__(self, fragments: Fragments):
        self.fragments = fragments
        self.memo: dict[str, T] = {}

    # --- what a walk computes ----------------------------------------------

    def empty(self) -> T:
        raise NotImplementedError

    def add(self, total: T, part: T) -> T:
        raise NotImplementedError

    def field(self, node: FieldNode, scope, stack: tuple) -> T:
        raise NotImplementedError

    def fragment(self, node, contents: T) -> T:
        """An inline fragment or a fragment spread, given its contents."""
        return contents

    def definition(self, node: FragmentDefinitionNode, contents: T) -> T:
        """A named fragment's value, memoised: its contents by default."""
        return contents

    def scope_of(self, type_condition: ast.NamedTypeNode | None, scope):
        """The scope inside a fragment (``None`` for a named fragment)."""
        return scope

    # --- the walk -------------------------------------------------------------

    def fold(self, selection_set, scope=None, stack: tuple = ()) -> T:
        total = self.empty()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                part = self.field(selection, scope, stack)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.scope_of(selection.type_condition, scope)
                contents = self.fold(selection.selection_set, inner, stack)
                part = self.fragment(selection, contents)
            else:
                part = self.fragment(selection, self.spread(selection, stack))
            total = self.add(total, part)
        return total

    def spread(self, node: FragmentSpreadNode, stack: tuple) -> T:
        name = node.name.value
        fragment = self.fragments.get(name)
        if fragment is None or name in stack:
            return self.empty()
        if name not in self.memo:
            scope = self.scope_of(fragment.type_condition, None)
            contents = self.fold(fragment.selection_set, scope, (*stack, name))
            self.memo[name] = self.definition(fragment, contents)
        return self.memo[name]


class _Fields(SelectionFold[list]):
    """The fields of a selection set; with ``deep``, every field below too
    (each followed by the fields under it)."""

    def __init__(self, fragments: Fragments, *, deep: bool):
        super().__init__(fragments)
        self.deep = deep

    def empty(self) -> list:
        return []

    def add(self, total: list, part: list) -> list:
        total.extend(part)
        return total

    def field(self, node: FieldNode, scope, stack: tuple) -> list:
        if not self.deep:
            return [node]
        return [node, *self.fold(node.selection_set, scope, stack)]


def fields_of(selection_set, fragments: Fragments) -> list[FieldNode]:
    """The fields of one selection set, through (inline) fragments, in
    document order."""
    return _Fields(fragments, deep=False).fold(selection_set)


def all_fields(selection_set, fragments: Fragments) -> list[FieldNode]:
    """Every field under ``selection_set`` at any depth, through fragments:
    each field, then the fields under it."""
    return _Fields(fragments, deep=True).fold(selection_set)

"""What a query selects under the field being resolved.

Resolvers that batch-load relations look ahead at the selection, so they
load only what was asked for. Fragments and inline fragments are followed.
"""

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode


def selection_sets(info, *path: str) -> list:
    """The selection sets under the resolved field, then under ``path``
    (every alias of each step)."""
    nodes = [n.selection_set for n in info.field_nodes if n.selection_set]
    for step in path:
        nodes = [
            field.selection_set
            for selection_set in nodes
            for field in fields_of(selection_set, info)
            if field.name.value == step and field.selection_set
        ]
    return nodes


def selected_fields(info, *path: str) -> set[str]:
    """Field names selected under the resolved field, then under ``path``.

    Follows fragments and inline fragments; ``selected_fields(info, "items")``
    gives the fields asked for on each item of a page type.
    """
    return {
        field.name.value
        for selection_set in selection_sets(info, *path)
        for field in fields_of(selection_set, info)
    }


def walk(selection_set, info, seen=frozenset()):
    """Every field under ``selection_set``, at any depth, through fragments."""
    for field in fields_of(selection_set, info, seen):
        yield field
        if field.selection_set:
            yield from walk(field.selection_set, info, seen)


def fields_of(selection_set, info, seen=frozenset()):
    """The fields of one selection set, through (inline) fragments."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from fields_of(selection.selection_set, info, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = info.fragments.get(name)
            # Validation rejects fragment cycles; guard anyway.
            if fragment is not None and name not in seen:
                yield from fields_of(fragment.selection_set, info, seen | {name})

"""What a query selects under the field being resolved.

Resolvers that batch-load relations look ahead at the selection, so they
load only what was asked for. Fragments and inline fragments are followed.
"""

from graphql import FieldNode

from cms.graphql import walk as walker


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


def walk(selection_set, info) -> list[FieldNode]:
    """Every field under ``selection_set``, at any depth, through fragments
    (the walker the limit rules and the cost use: ``cms.graphql.walk``)."""
    return walker.all_fields(selection_set, info.fragments)


def fields_of(selection_set, info) -> list[FieldNode]:
    """The fields of one selection set, through (inline) fragments."""
    return walker.fields_of(selection_set, info.fragments)

"""Grapple's model types by model label; list structures and enum names.

Grapple builds a type for every page, snippet and model of ``GRAPPLE["APPS"]``
when the app registry is ready; hand-written types reach those types through
``model_type`` (always lazily, inside a lambda). Model ``graphql_fields``
declare non-scalar types as dotted paths (graphene imports them when the
schema is built, so models never import a GraphQL module); a list field
points at a ``list_of`` structure defined next to its item type.
"""

import graphene
from django.apps import apps
from grapple.registry import registry


def model_type(label: str):
    """The grapple type of a model (snippet, page or plain Django model)."""
    model = apps.get_model(label)
    for group in (registry.snippets, registry.pages, registry.django_models):
        if model in group:
            return group[model]
    raise LookupError(f"grapple has no type for {label}")


def list_of(item_type):
    """``[Item!]``: a list of required items (``item_type`` may be a type, a
    dotted path or a function returning one). The list itself is nullable in
    the contract, though no resolver returns null for it."""
    return graphene.List(graphene.NonNull(item_type))


def enum_name(value: str) -> str:
    """An enum member name for a value: ``fill-400x400`` -> ``FILL_400X400``."""
    return value.upper().replace("-", "_").replace("/", "_")

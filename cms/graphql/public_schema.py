"""The public schema: grapple's schema pruned to what the project exposes.

Grapple hands graphene every type it registered (all of Wagtail's block,
image, document, redirect and collection types) and builds page types that
keep every column of Wagtail's ``Page`` model (``path``, ``live``,
``draftTitle``, ``goLiveAt``, ``hasUnpublishedChanges``, ``lockedBy``...).
This module rebuilds the executable schema from the root query down:

* only types reachable from ``Query`` are kept, plus the implementations of
  reachable interfaces and unions that belong to the project's apps;
* page types keep the public page interface's fields and the fields the
  model declares in ``graphql_fields``, nothing else.

Grapple has no setting to leave these out, so they are pruned here; what it
does let the project choose is never made in the first place: its root
fields are not part of the root Query (``api.schema``) and no block type is
registered with ``register_streamfield_block``.

``GRAPHENE["SCHEMA"]`` points at ``schema`` below, so the view, the printed
contract and the tests all see the same pruned schema.
"""

from graphene.utils.str_converters import to_camel_case
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

PROJECT_APPS = ("home", "content", "search", "cms")

# Grapple adds these to every model type without a description.
GENERIC_DESCRIPTIONS = {
    "id": "Stable id of this object.",
    "snippetType": "GraphQL type name of this snippet.",
    "contentType": "Model label of this object, e.g. `content.ComparisonTable`.",
}


def _graphene_type(graphql_type):
    return getattr(graphql_type, "graphene_type", None)


def _is_project_type(graphql_type) -> bool:
    graphene_type = _graphene_type(graphql_type)
    if graphene_type is None:
        return False
    model = getattr(getattr(graphene_type, "_meta", None), "model", None)
    if model is not None and getattr(model._meta, "app_label", "") in PROJECT_APPS:
        return True
    module = getattr(graphene_type, "__module__", "") or ""
    return module.split(".")[0] in PROJECT_APPS


def _implementations(schema: GraphQLSchema, abstract) -> list:
    if isinstance(abstract, GraphQLUnionType):
        return list(abstract.types)
    return list(schema.get_implementations(abstract).objects)


def _reachable_types(schema: GraphQLSchema) -> dict:
    seen: dict = {}
    queue = [schema.query_type]
    while queue:
        graphql_type = get_named_type(queue.pop())
        if graphql_type is None or graphql_type.name in seen:
            continue
        seen[graphql_type.name] = graphql_type
        for field in (getattr(graphql_type, "fields", None) or {}).values():
            queue.append(field.type)
            queue.extend(
                arg.type for arg in (getattr(field, "args", None) or {}).values()
            )
        if isinstance(graphql_type, GraphQLObjectType):
            queue.extend(graphql_type.interfaces)
        if isinstance(graphql_type, GraphQLInterfaceType | GraphQLUnionType):
            for impl in _implementations(schema, graphql_type):
                if _is_project_type(impl) or isinstance(graphql_type, GraphQLUnionType):
                    queue.append(impl)
    return seen


def _allowed_page_fields(graphql_type, page_interface) -> set[str] | None:
    graphene_type = _graphene_type(graphql_type)
    model = getattr(getattr(graphene_type, "_meta", None), "model", None)
    if model is None or page_interface not in graphql_type.interfaces:
        return None
    declared = set()
    for field in getattr(model, "graphql_fields", []):
        if isinstance(field, tuple):  # (field, wrapper), as grapple allows
            field = field[0]
        field = field() if callable(field) else field
        declared.add(to_camel_case(field.field_name))
    return set(page_interface.fields) | declared


def prune(schema: GraphQLSchema, page_interface_name: str) -> GraphQLSchema:
    reachable = _reachable_types(schema)
    page_interface = reachable.get(page_interface_name)
    for graphql_type in reachable.values():
        if not isinstance(graphql_type, GraphQLObjectType) or page_interface is None:
            continue
        allowed = _allowed_page_fields(graphql_type, page_interface)
        if allowed is None:
            continue
        for name in list(graphql_type.fields):
            if name not in allowed:
                del graphql_type.fields[name]
    # Types reachable only through the fields just removed drop out too.
    reachable = _reachable_types(schema)
    for graphql_type in reachable.values():
        for name, field in (getattr(graphql_type, "fields", None) or {}).items():
            if not field.description and name in GENERIC_DESCRIPTIONS:
                field.description = GENERIC_DESCRIPTIONS[name]
    return GraphQLSchema(
        query=schema.query_type,
        mutation=schema.mutation_type,
        subscription=schema.subscription_type,
        types=list(reachable.values()),
        directives=schema.directives,
    )


def _build():
    from grapple.schema import schema as grapple_schema

    grapple_schema.graphql_schema = prune(
        grapple_schema.graphql_schema, "PublicPageInterface"
    )
    return grapple_schema


schema = _build()

"""A test-only schema with list fields, failing resolvers and a mutation.

The real list fields arrive with the content apps; the guards, the error
masking and the mutation rules are exercised here against this schema,
mounted at /graphql/ by ``cms.tests.graphql_urls``.
"""

import graphene
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError
from wagtail.models import Page

from cms.graphql.errors import ApiError, ErrorCode
from cms.graphql.pagination import page_type, paginate, pagination_args

CALLS = {"boom": 0, "items": 0}


class Item(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    children = graphene.Field(lambda: ItemPage, **pagination_args())

    def resolve_children(self, info, limit=10, offset=0):
        return paginate(_items(3), limit, offset)


ItemPage = page_type("ItemPage", Item, "A page of items.")


def _items(count):
    return [Item(id=str(n), name=f"item {n}") for n in range(count)]


class Query(graphene.ObjectType):
    api_version = graphene.String(required=True)
    items = graphene.Field(ItemPage, required=True, **pagination_args())
    echo = graphene.String(value=graphene.String())
    boom = graphene.String()
    db_down = graphene.String()
    not_found = graphene.String()
    content_type_count = graphene.Int()
    preview = graphene.String(token=graphene.String())
    live_titles = graphene.List(graphene.String)

    def resolve_api_version(self, info):
        return "1.0.0"

    def resolve_items(self, info, limit=10, offset=0):
        CALLS["items"] += 1
        return paginate(_items(100), limit, offset)

    def resolve_echo(self, info, value=None):
        return value

    def resolve_boom(self, info):
        CALLS["boom"] += 1
        raise RuntimeError("secret detail: password=hunter2")

    def resolve_db_down(self, info):
        raise OperationalError("could not connect to server")

    def resolve_not_found(self, info):
        raise ApiError("No such thing.", code=ErrorCode.NOT_FOUND)

    def resolve_content_type_count(self, info):
        return ContentType.objects.count()

    def resolve_live_titles(self, info):
        return list(
            Page.objects.live().filter(depth__gt=1).values_list("title", flat=True)
        )

    def resolve_preview(self, info, token=None):
        return f"draft for {token}"


class Touch(graphene.Mutation):
    ok = graphene.Boolean()

    def mutate(self, info):
        return Touch(ok=True)


class Mutation(graphene.ObjectType):
    touch = Touch.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)

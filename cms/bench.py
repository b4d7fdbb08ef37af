"""Benchmark-only endpoints and instrumentation for ``make bench``.

Installed only when ``BENCH_ENDPOINTS`` is true (see the end of
``cms/settings/base.py`` and ``cms/urls.py``); production never serves them.
The harness compares the GraphQL API against two baselines on the same server:
a hello-world Django view and Wagtail's REST API v2 serving the same pages.
"""

from contextlib import ExitStack

from django.db import connections
from django.http import JsonResponse
from django.urls import path

SQL_QUERIES_HEADER = "X-SQL-Queries"


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    """Count the SQL statements a request runs and report them in a header.

    Installed outermost so session, auth and response-cache lookups count too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        response[SQL_QUERIES_HEADER] = str(counter.count)
        return response


def hello(request):
    """The floor: the cheapest JSON response Django can give on this stack."""
    return JsonResponse({"hello": "world"})


# The REST baseline serves what the GraphQL contract operations ask for: the
# ArticleList card fields on the list (``API_V2_LIST_FIELDS`` in
# bench/operations.py) and the ArticleDetail fields on the detail. Wagtail's
# own serialisers do the work: renditions with ImageRenditionField, tags with
# TagsField, the body with each block's get_api_representation.
ARTICLE_LIST_API_FIELDS = [
    "subtitle",
    "summary",
    "published_date",
    "reading_time_minutes",
    "hero_image",
    "hero_image_alt",
    "hero_image_card",  # fill-800x450, as on the list
    "tags",
    "authors",
]
ARTICLE_API_FIELDS = [
    *ARTICLE_LIST_API_FIELDS,
    "hero_image_large",  # fill-1200x630, as on the detail
    "hero_image_srcset",  # width-400/800/1200, as on the detail
    "credentials",
    "body",
]


def article_api_fields():
    """Give ``ArticlePage`` the REST API fields above (idempotent)."""
    from rest_framework import serializers
    from wagtail.api import APIField
    from wagtail.images.api.fields import ImageRenditionField

    from content.models import ArticlePage, Author, Credential

    class AuthorSerializer(serializers.ModelSerializer):
        photo = ImageRenditionField("fill-1200x630")

        class Meta:
            model = Author
            fields = ["id", "name", "slug", "credentials", "role", "bio", "photo"]

    class CredentialSerializer(serializers.ModelSerializer):
        class Meta:
            model = Credential
            fields = ["slug", "abbreviation", "full_name", "kind"]

    class AuthorsField(serializers.Field):
        def to_representation(self, links):
            authors = [link.author for link in links.all()]
            return AuthorSerializer(authors, many=True).data

    class SrcsetField(serializers.Field):
        def to_representation(self, image):
            if image is None:
                return None
            return [
                ImageRenditionField(spec).to_representation(image)
                for spec in ("width-400", "width-800", "width-1200")
            ]

    fields = {
        "hero_image_card": ImageRenditionField("fill-800x450", source="hero_image"),
        "hero_image_large": ImageRenditionField("fill-1200x630", source="hero_image"),
        "hero_image_srcset": SrcsetField(source="hero_image"),
        "authors": AuthorsField(source="article_authors"),
        "credentials": CredentialSerializer(many=True),
    }
    ArticlePage.api_fields = [
        APIField(name, serializer=fields.get(name)) for name in ARTICLE_API_FIELDS
    ]


def bench_urlpatterns():
    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail.api.v2.views import PagesAPIViewSet

    article_api_fields()
    api_router = WagtailAPIRouter("bench_wagtailapi")
    api_router.register_endpoint("pages", PagesAPIViewSet)
    return [
        path("bench/hello", hello, name="bench_hello"),
        path("api/v2/", api_router.urls),
    ]

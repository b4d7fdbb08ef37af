"""The benchmark-only endpoints: off by default, and the query counter."""

import io

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from cms.bench import SQL_QUERIES_HEADER, QueryCountMiddleware, bench_urlpatterns

# A URLconf with the bench routes, for the tests that need them mounted.
urlpatterns = bench_urlpatterns()


def test_bench_endpoints_are_off_by_default():
    assert settings.BENCH_ENDPOINTS is False
    assert "cms.bench.QueryCountMiddleware" not in settings.MIDDLEWARE
    assert "wagtail.api.v2" not in settings.INSTALLED_APPS


@pytest.mark.django_db
def test_bench_urls_are_not_served_when_bench_endpoints_is_false(client):
    # follow: APPEND_SLASH redirects first, then Wagtail finds no such page.
    assert client.get("/bench/hello", follow=True).status_code == 404
    assert client.get("/api/v2/pages/", follow=True).status_code == 404


@pytest.mark.django_db
def test_query_count_middleware_reports_the_queries_a_request_ran():
    def view(request):
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute("SELECT 1")
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))

    assert response[SQL_QUERIES_HEADER] == "3"


def test_query_count_middleware_reports_zero_for_a_request_without_sql():
    response = QueryCountMiddleware(lambda request: HttpResponse("ok"))(
        RequestFactory().get("/")
    )

    assert response[SQL_QUERIES_HEADER] == "0"


@pytest.mark.urls(__name__)
def test_hello_view_answers_tiny_json(client):
    response = client.get("/bench/hello")

    assert response.status_code == 200
    assert response.json() == {"hello": "world"}


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_rest_api_baseline_lists_live_pages(client):
    response = client.get("/api/v2/pages/")

    assert response.status_code == 200
    assert "items" in response.json()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_rest_api_baseline_serves_the_article_fields_graphql_serves(client):
    # The benchmark compares like with like: the REST detail carries the body,
    # byline, tags and renditions the GraphQL ArticleDetail asks for.
    from io import StringIO

    from bench.operations import API_V2_LIST_FIELDS
    from content.articles.factories import ArticlePageFactory, BlogIndexPageFactory
    from home.demo import load_site

    blog = BlogIndexPageFactory(parent=load_site(StringIO()))
    article = ArticlePageFactory(parent=blog, slug="story", subtitle="Dek")
    article.tags.add("knees")
    article.save_revision().publish()

    detail = client.get(f"/api/v2/pages/{article.pk}/").json()
    for name in ("subtitle", "summary", "body", "tags", "authors", "credentials"):
        assert name in detail, name
    assert detail["subtitle"] == "Dek"
    assert detail["tags"] == ["knees"]
    assert detail["body"]  # the factory writes a paragraph

    listed = client.get(
        "/api/v2/pages/",
        {"type": "content.ArticlePage", "fields": ",".join(API_V2_LIST_FIELDS)},
    )
    assert listed.status_code == 200, listed.content
    item = listed.json()["items"][0]
    assert sorted(item) == [
        "authors",
        "hero_image",
        "hero_image_alt",
        "hero_image_card",
        "id",
        "meta",
        "published_date",
        "reading_time_minutes",
        "subtitle",
        "summary",
        "tags",
        "title",
    ]


def test_the_bench_measures_every_contract_operation_and_mixes_by_the_issue():
    from bench import operations as ops
    from frontend_contract.tools import OPERATIONS_DIR

    contract = {p.read_text() for p in OPERATIONS_DIR.glob("*.graphql")}
    assert {op.query for op in ops.OPERATIONS.values()} == contract
    shares: dict[str, int] = {}
    for op in ops.MIX.values():
        shares[op.group] = shares.get(op.group, 0) + op.weight
    assert shares == {"list": 35, "detail": 35, "trainers": 20, "search": 10}


@pytest.mark.django_db
def test_every_bench_operation_answers_without_errors_on_the_demo_content(gql):
    from random import Random

    from django.core.management import call_command

    from bench import operations as ops

    call_command("load_demo_content", "--articles", "3", stdout=io.StringIO())
    fixtures = ops.collect_fixtures()
    assert fixtures["trainer_slugs"]
    assert fixtures["table_slugs"]
    rng = Random(1)
    for op in ops.OPERATIONS.values():
        data = gql.data(op.query, op.variables(fixtures, rng))
        assert all(value is not None for value in data.values()), op.name

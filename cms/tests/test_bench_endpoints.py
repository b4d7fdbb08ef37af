"""The benchmark-only endpoints: off by default, and the query counter."""

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

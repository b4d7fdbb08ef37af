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
from wagtail import hooks

SQL_QUERIES_HEADER = "X-SQL-Queries"
BENCH_API_FIELDS_HOOK = "register_bench_api_fields"


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


def bench_urlpatterns():
    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail.api.v2.views import PagesAPIViewSet

    # The domains give their page models the REST fields the baseline serves
    # (``content.articles.bench``).
    for give_api_fields in hooks.get_hooks(BENCH_API_FIELDS_HOOK):
        give_api_fields()
    api_router = WagtailAPIRouter("bench_wagtailapi")
    api_router.register_endpoint("pages", PagesAPIViewSet)
    return [
        path("bench/hello", hello, name="bench_hello"),
        path("api/v2/", api_router.urls),
    ]

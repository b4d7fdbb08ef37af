"""Fixtures shared by every app's tests."""

import json
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

pytest_plugins = ["cms.tests.e2e_support", "cms.tests.s3_support"]

GRAPHQL_URL = "/graphql/"


@pytest.fixture(autouse=True)
def _isolated_cache():
    from cms.selectors import forget_snapshot

    cache.clear()
    forget_snapshot()
    yield
    cache.clear()
    forget_snapshot()


@pytest.fixture
def public_visibility_cache(settings):
    """The production visibility snapshot (the test settings switch it off)."""
    from cms.selectors import forget_snapshot

    settings.PUBLIC_VISIBILITY_CACHE = True
    forget_snapshot()
    yield
    forget_snapshot()


@pytest.fixture(scope="session", autouse=True)
def _clean_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


class GraphQLClient:
    """Posts to the real /graphql/ URL through Django's test client."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None, *, operation_name=None, **extra):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        if operation_name:
            body["operationName"] = operation_name
        return self.client.post(
            GRAPHQL_URL, data=json.dumps(body), content_type="application/json", **extra
        )

    def execute(self, query, variables=None, **extra) -> dict:
        """Run a query and return the full JSON body (errors included)."""
        response = self.post(query, variables, **extra)
        assert response["Content-Type"].startswith("application/json"), response
        return response.json()

    def data(self, query, variables=None, **extra) -> dict:
        """Run a query, fail the test on any GraphQL error, return ``data``."""
        body = self.execute(query, variables, **extra)
        assert "errors" not in body, json.dumps(body["errors"], indent=2)
        return body["data"]

    def error_codes(self, query, variables=None, **extra) -> list[str]:
        body = self.execute(query, variables, **extra)
        assert body.get("errors"), f"expected errors, got {body}"
        return [e.get("extensions", {}).get("code") for e in body["errors"]]


@pytest.fixture
def gql(client):
    return GraphQLClient(client)

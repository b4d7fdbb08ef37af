"""Rate limits per client and behaviour when the database goes away."""

import json

import pytest
from django.db import InterfaceError, OperationalError

from cms.graphql.pipeline import document

pytestmark = pytest.mark.urls("cms.tests.graphql_urls")

URL = "/graphql/"
QUERY = "{ __typename }"


def post(client, query=QUERY, variables=None, **extra):
    body = {"query": query, "variables": variables or {}}
    return client.post(
        URL, data=json.dumps(body), content_type="application/json", **extra
    )


@pytest.fixture
def three_per_window(settings):
    settings.GRAPHQL_RATE_LIMIT_REQUESTS = 3
    settings.GRAPHQL_RATE_LIMIT_WINDOW = 60


def test_requests_over_the_limit_get_429_with_retry_after(client, three_per_window):
    for _ in range(3):
        assert post(client).status_code == 200
    response = post(client)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert response["Cache-Control"] == "no-store"


def test_clients_are_counted_apart_by_ip(client, three_per_window):
    for _ in range(3):
        post(client, REMOTE_ADDR="10.0.0.1")
    assert post(client, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert post(client, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_forwarded_for_is_ignored_unless_trusted(client, settings, three_per_window):
    for n in range(3):
        post(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert post(client, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    settings.GRAPHQL_TRUST_X_FORWARDED_FOR = True
    assert post(client, HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.99").status_code == 200


def test_known_api_keys_get_their_own_bucket(client, settings, three_per_window):
    settings.GRAPHQL_API_KEYS = ["mobile-app-key"]
    for _ in range(3):
        post(client)
    assert post(client).status_code == 429
    assert post(client, HTTP_X_API_KEY="mobile-app-key").status_code == 200
    # Made-up keys fall back to the IP, which is used up.
    assert post(client, HTTP_X_API_KEY="made-up").status_code == 429


def test_total_cost_per_window_is_limited(client, settings):
    settings.GRAPHQL_RATE_LIMIT_COST = 50
    query = "{ items(limit: 10) { items { name } } }"  # cost 21
    assert post(client, query).status_code == 200
    assert post(client, query).status_code == 200
    response = post(client, query)
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_rate_limiting_can_be_switched_off(client, settings):
    settings.GRAPHQL_RATE_LIMIT_ENABLED = False
    settings.GRAPHQL_RATE_LIMIT_REQUESTS = 0
    assert post(client).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_failure_gives_503_then_recovers(client, error, monkeypatch):
    from cms.tests import graphql_schema

    def down(self, info):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(graphql_schema.Query, "resolve_db_down", down)
    response = post(client, "{ dbDown apiVersion }")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json() == {
        "errors": [
            {
                "message": "Service unavailable",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }
    recovered = post(client, "{ contentTypeCount }")
    assert recovered.status_code == 200
    assert recovered.json()["data"]["contentTypeCount"] > 0


def test_database_failure_outside_execution_gives_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("could not connect")

    monkeypatch.setattr(document, "prepare", broken)
    response = post(client)
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == ("SERVICE_UNAVAILABLE")


def test_an_unexpected_failure_in_the_view_is_a_coded_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret")

    monkeypatch.setattr(document, "prepare", broken)
    response = post(client)
    assert response.status_code == 500
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["errorId"]
    assert b"secret" not in response.content

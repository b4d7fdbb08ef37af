"""Rate limits per client and behaviour when the database goes away."""

import uuid
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError

from cms.graphql import ratelimit
from cms.graphql.pipeline import document

pytestmark = pytest.mark.urls("cms.tests.graphql_urls")

URL = "/graphql/"
QUERY = "{ __typename }"


@pytest.fixture
def three_per_window(settings):
    settings.GRAPHQL_RATE_LIMIT_REQUESTS = 3
    settings.GRAPHQL_RATE_LIMIT_WINDOW = 60


def test_requests_over_the_limit_get_429_with_retry_after(
    gql, three_per_window, monkeypatch
):
    # 15 s into a 60 s window: 45 s until the next.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 60_015.0))
    for _ in range(3):
        assert gql.post(QUERY).status_code == 200
    response = gql.post(QUERY)
    assert response.status_code == 429
    assert response["Retry-After"] == "45"
    assert response.json() == {
        "errors": [
            {
                "message": "Too many requests; retry later.",
                "extensions": {"code": "RATE_LIMITED", "retryAfter": 45},
            }
        ]
    }
    assert response["Cache-Control"] == "no-store"


def test_clients_are_counted_apart_by_ip(gql, three_per_window):
    for _ in range(3):
        gql.post(QUERY, REMOTE_ADDR="10.0.0.1")
    assert gql.post(QUERY, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert gql.post(QUERY, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_forwarded_for_is_ignored_unless_trusted(gql, settings, three_per_window):
    for n in range(3):
        gql.post(QUERY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert gql.post(QUERY, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    settings.GRAPHQL_TRUST_X_FORWARDED_FOR = True
    assert (
        gql.post(QUERY, HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.99").status_code == 200
    )


def test_known_api_keys_get_their_own_bucket(gql, settings, three_per_window):
    settings.GRAPHQL_API_KEYS = ["mobile-app-key"]
    for _ in range(3):
        gql.post(QUERY)
    assert gql.post(QUERY).status_code == 429
    assert gql.post(QUERY, HTTP_X_API_KEY="mobile-app-key").status_code == 200
    # Made-up keys fall back to the IP, which is used up.
    assert gql.post(QUERY, HTTP_X_API_KEY="made-up").status_code == 429


def test_total_cost_per_window_is_limited(gql, settings):
    settings.GRAPHQL_RATE_LIMIT_COST = 50
    query = "{ items(limit: 10) { items { name } } }"  # cost 21
    assert gql.post(query).status_code == 200
    assert gql.post(query).status_code == 200
    response = gql.post(query)
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_rate_limiting_can_be_switched_off(gql, settings):
    settings.GRAPHQL_RATE_LIMIT_ENABLED = False
    settings.GRAPHQL_RATE_LIMIT_REQUESTS = 0
    assert gql.post(QUERY).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_failure_gives_503_then_recovers(gql, error, monkeypatch):
    from cms.tests import graphql_schema

    def down(self, info):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(graphql_schema.Query, "resolve_db_down", down)
    response = gql.post("{ dbDown apiVersion }")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "errors": [
            {
                "message": "Service unavailable",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }
    recovered = gql.post("{ contentTypeCount }")
    assert recovered.status_code == 200
    assert recovered.json() == {
        "data": {"contentTypeCount": ContentType.objects.count()}
    }


def test_database_failure_outside_execution_gives_503(gql, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("could not connect")

    monkeypatch.setattr(document, "prepare", broken)
    response = gql.post(QUERY)
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == ("SERVICE_UNAVAILABLE")


def test_an_unexpected_failure_in_the_view_is_a_coded_500(gql, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret")

    monkeypatch.setattr(document, "prepare", broken)
    response = gql.post(QUERY)
    assert response.status_code == 500
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "errorId": str(uuid.UUID(error["extensions"]["errorId"])),
    }
    assert b"secret" not in response.content

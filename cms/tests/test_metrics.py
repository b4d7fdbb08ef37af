"""/metrics: the token, every metric family, and what requests add to them."""

import json
from urllib.parse import urlencode

import pytest
from prometheus_client import REGISTRY

from cms import metrics
from cms.graphql.persisted import sha256_hex
from cms.tests.test_settings_defaults import ROOT

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-0123456789"
CATALOGUE = (
    ROOT / "frontend_contract/operations/CredentialCatalogue.graphql"
).read_text()

FAMILIES = {
    "clinic_http_requests_total": "counter",
    "clinic_http_request_duration_seconds": "histogram",
    "clinic_http_request_sql_queries": "histogram",
    "clinic_graphql_requests_total": "counter",
    "clinic_graphql_request_duration_seconds": "histogram",
    "clinic_graphql_request_sql_queries": "histogram",
    "clinic_graphql_response_cache_hits_total": "counter",
    "clinic_graphql_response_cache_misses_total": "counter",
    "clinic_graphql_rate_limited_total": "counter",
    "clinic_graphql_persisted_query_misses_total": "counter",
    "clinic_worker_queue_depth": "gauge",
    "clinic_worker_jobs_total": "counter",
    "clinic_webhook_deliveries_total": "counter",
    "clinic_purge_duration_seconds": "histogram",
}


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"] == metrics.CONTENT_TYPE_LATEST
    return response.content.decode()


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def get_graphql(client, query: str, **extra):
    return client.get("/graphql/?" + urlencode({"query": query}), **extra)


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_need_the_token(client, token):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == 'Bearer realm="metrics"'
    basic = client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}")
    assert basic.status_code == 401


def test_a_scrape_lists_every_metric_family(client, token):
    text = scrape(client)
    types = {
        line.split()[2]: line.split()[3]
        for line in text.splitlines()
        if line.startswith("# TYPE clinic_")
    }
    assert types == FAMILIES
    assert 'clinic_graphql_rate_limited_total{limit="requests"} ' in text
    assert 'clinic_webhook_deliveries_total{result="failure"} ' in text


def test_the_queue_depth_is_read_from_the_registered_source(client, token):
    previous = metrics.set_queue_depth_source(lambda: {"default": 7, "webhooks": 2})
    try:
        text = scrape(client)
    finally:
        metrics.set_queue_depth_source(previous)
    assert 'clinic_worker_queue_depth{queue="default"} 7.0' in text
    assert 'clinic_worker_queue_depth{queue="webhooks"} 2.0' in text


def test_a_registry_operation_is_counted_by_name_and_status(client):
    labels = {"operation": "CredentialCatalogue", "status": "200"}
    before = value("clinic_graphql_requests_total", **labels)
    latency = value(
        "clinic_graphql_request_duration_seconds_count", operation=labels["operation"]
    )
    response = get_graphql(client, CATALOGUE)
    assert response.status_code == 200
    assert value("clinic_graphql_requests_total", **labels) == before + 1
    assert (
        value(
            "clinic_graphql_request_duration_seconds_count",
            operation="CredentialCatalogue",
        )
        == latency + 1
    )


def test_an_ad_hoc_operation_name_is_not_a_label(client):
    before = value("clinic_graphql_requests_total", operation="other", status="200")
    response = get_graphql(client, "query MadeUpName123 { __typename }")
    assert response.status_code == 200
    assert value("clinic_graphql_requests_total", operation="other", status="200") == (
        before + 1
    )
    assert (
        value("clinic_graphql_requests_total", operation="MadeUpName123", status="200")
        == 0.0
    )


def test_sql_statements_per_request_are_observed(client):
    labels = {"route": "readyz", "method": "GET", "status": "200"}
    before_requests = value("clinic_http_requests_total", **labels)
    before_sum = value("clinic_http_request_sql_queries_sum", route="readyz")
    before_count = value("clinic_http_request_sql_queries_count", route="readyz")
    assert client.get("/readyz").status_code == 200
    # readyz runs exactly one statement: SELECT 1.
    assert value("clinic_http_request_sql_queries_sum", route="readyz") == (
        before_sum + 1
    )
    assert value("clinic_http_request_sql_queries_count", route="readyz") == (
        before_count + 1
    )
    assert value("clinic_http_requests_total", **labels) == before_requests + 1


def test_response_cache_hits_and_misses_are_counted(client, settings):
    settings.GRAPHQL_RESPONSE_CACHE = True
    hits = value("clinic_graphql_response_cache_hits_total")
    misses = value("clinic_graphql_response_cache_misses_total")
    assert get_graphql(client, CATALOGUE).status_code == 200
    assert value("clinic_graphql_response_cache_misses_total") == misses + 1
    assert value("clinic_graphql_response_cache_hits_total") == hits
    assert get_graphql(client, CATALOGUE).status_code == 200
    assert value("clinic_graphql_response_cache_hits_total") == hits + 1
    assert value("clinic_graphql_response_cache_misses_total") == misses + 1


def test_rate_limit_rejections_are_counted(client, settings):
    settings.GRAPHQL_RATE_LIMIT_REQUESTS = 1
    before = value("clinic_graphql_rate_limited_total", limit="requests")
    address = {"REMOTE_ADDR": "198.51.100.23"}
    assert get_graphql(client, "{ __typename }", **address).status_code == 200
    assert get_graphql(client, "{ __typename }", **address).status_code == 429
    assert value("clinic_graphql_rate_limited_total", limit="requests") == before + 1


def test_persisted_query_misses_are_counted(client):
    before = value("clinic_graphql_persisted_query_misses_total")
    unknown = sha256_hex("query NeverRegistered { __typename }")
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": unknown}}
    response = client.get(
        "/graphql/?" + urlencode({"extensions": json.dumps(extensions)})
    )
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert value("clinic_graphql_persisted_query_misses_total") == before + 1

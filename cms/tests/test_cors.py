"""CORS for a browser frontend: development allows FRONTEND_BASE_URL's origin.

The settings modules themselves are imported in a fresh interpreter
(``settings_of``); the middleware runs here, under the test settings, with
``CORS_ALLOWED_ORIGINS`` set to what the development settings compute.
"""

import json

import pytest

from cms.env import url_origin, with_origin_of
from cms.tests.test_settings_defaults import PRODUCTION_ENV, settings_of

URL = "/graphql/"
QUERY = "{ __typename apiVersion }"
FRONTEND = "http://localhost:3000"
EXPOSED = "ETag, Retry-After, Allow"


def cors_headers(response) -> dict:
    return {
        name.lower(): value
        for name, value in response.headers.items()
        if name.lower().startswith("access-control-")
    }


def preflight(client, origin):
    return client.options(
        URL,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )


# --- the origin of a URL --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://localhost:3000", "http://localhost:3000"),
        ("https://Front.Example.org/app/?x=1#top", "https://front.example.org"),
        ("https://front.example.org:443/", "https://front.example.org"),
        ("http://front.example.org:80", "http://front.example.org"),
        ("https://front.example.org:8443/a", "https://front.example.org:8443"),
        ("http://[::1]:3000/", "http://[::1]:3000"),
    ],
)
def test_url_origin_is_what_a_browser_sends_as_origin(url, origin):
    assert url_origin(url) == origin


def test_the_frontend_origin_is_added_once_after_the_listed_ones():
    listed = ["https://a.example.org"]
    assert with_origin_of(listed, "https://b.example.org/app") == [
        "https://a.example.org",
        "https://b.example.org",
    ]
    assert with_origin_of(["https://b.example.org"], "https://b.example.org/x") == [
        "https://b.example.org"
    ]


# --- the settings modules -------------------------------------------------------


def test_development_allows_the_default_frontend_origin():
    # The default frontend is the reference site that `make run` serves.
    assert settings_of(
        "cms.settings.dev", "CORS_ALLOWED_ORIGINS", "CORS_EXPOSE_HEADERS"
    ) == {
        "CORS_ALLOWED_ORIGINS": ["http://127.0.0.1:8000"],
        "CORS_EXPOSE_HEADERS": ["ETag", "Retry-After", "Allow"],
    }


def test_development_adds_the_configured_frontend_origin_to_the_list():
    assert settings_of(
        "cms.settings.dev",
        "CORS_ALLOWED_ORIGINS",
        CORS_ALLOWED_ORIGINS="https://app.example.org",
        FRONTEND_BASE_URL="https://www.example.org/site/",
    ) == {
        "CORS_ALLOWED_ORIGINS": ["https://app.example.org", "https://www.example.org"]
    }


def test_production_and_test_settings_allow_the_listed_origins_only():
    names = ("CORS_ALLOWED_ORIGINS", "CORS_EXPOSE_HEADERS")
    expose = ["ETag", "Retry-After", "Allow"]
    assert settings_of("cms.settings.production", *names, **PRODUCTION_ENV) == {
        "CORS_ALLOWED_ORIGINS": [],
        "CORS_EXPOSE_HEADERS": expose,
    }
    assert settings_of(
        "cms.settings.production",
        *names,
        CORS_ALLOWED_ORIGINS="https://app.example.org",
        FRONTEND_BASE_URL="https://www.example.org",
        **PRODUCTION_ENV,
    ) == {"CORS_ALLOWED_ORIGINS": ["https://app.example.org"], **{names[1]: expose}}
    assert settings_of("cms.settings.test", *names) == {
        "CORS_ALLOWED_ORIGINS": [],
        "CORS_EXPOSE_HEADERS": expose,
    }


# --- the middleware ---------------------------------------------------------------


@pytest.fixture
def development_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = with_origin_of([], "http://localhost:3000")


def test_the_frontend_passes_the_preflight(client, development_origins):
    response = preflight(client, FRONTEND)
    assert response.status_code == 200
    assert cors_headers(response) == {
        "access-control-allow-origin": FRONTEND,
        "access-control-expose-headers": EXPOSED,
        "access-control-allow-headers": (
            "accept, content-type, if-none-match, x-api-key, x-csrftoken, "
            "x-requested-with, x-preview-token"
        ),
        "access-control-allow-methods": "DELETE, GET, OPTIONS, PATCH, POST, PUT",
        "access-control-max-age": "86400",
    }


def test_the_frontend_can_read_the_etag_of_a_query(client, development_origins):
    response = client.get(URL, {"query": QUERY}, HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert cors_headers(response) == {
        "access-control-allow-origin": FRONTEND,
        "access-control-expose-headers": EXPOSED,
    }


@pytest.mark.urls("cms.tests.graphql_urls")
def test_the_frontend_can_read_retry_after_of_a_429(
    client, development_origins, settings
):
    settings.GRAPHQL_RATE_LIMIT_REQUESTS = 1
    settings.GRAPHQL_RATE_LIMIT_WINDOW = 60
    body = json.dumps({"query": "{ __typename }"})
    statuses = []
    for _ in range(2):
        response = client.post(
            URL, data=body, content_type="application/json", HTTP_ORIGIN=FRONTEND
        )
        statuses.append(response.status_code)
    assert statuses == [200, 429]
    retry_after = response.json()["errors"][0]["extensions"]["retryAfter"]
    assert response["Retry-After"] == str(retry_after)
    assert cors_headers(response) == {
        "access-control-allow-origin": FRONTEND,
        "access-control-expose-headers": EXPOSED,
    }


def test_an_unlisted_origin_gets_no_cors_headers_under_test_settings(client):
    # The test settings, like production, list no origin by default.
    for response in (
        preflight(client, FRONTEND),
        client.get(URL, {"query": QUERY}, HTTP_ORIGIN=FRONTEND),
    ):
        assert cors_headers(response) == {}

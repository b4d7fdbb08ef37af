"""HTTP behaviour of /graphql/: caching headers, cookies, CORS, security headers.

These run against the real URL configuration and schema, with the full
middleware stack, using ``{ __typename apiVersion }``.
"""

import json

import pytest

URL = "/graphql/"
QUERY = "{ __typename apiVersion }"
EXPECTED = {"data": {"__typename": "Query", "apiVersion": "1.0.0"}}


def post(client, body, **extra):
    return client.post(
        URL, data=json.dumps(body), content_type="application/json", **extra
    )


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v}


def test_an_anonymous_get_is_publicly_cacheable_and_sets_no_cookie(client):
    response = client.get(URL, {"query": QUERY})
    assert response.status_code == 200
    assert response.json() == EXPECTED
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"].startswith('"')
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert "cookie" not in vary(response)


def test_cache_max_age_comes_from_settings(client, settings):
    settings.GRAPHQL_CACHE_MAX_AGE = 5
    response = client.get(URL, {"query": QUERY})
    assert response["Cache-Control"] == "public, max-age=5"


def test_a_matching_if_none_match_gets_304(client):
    etag = client.get(URL, {"query": QUERY})["ETag"]
    response = client.get(URL, {"query": QUERY}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    weak = client.get(URL, {"query": QUERY}, HTTP_IF_NONE_MATCH=f'"x", W/{etag}')
    assert weak.status_code == 304
    other = client.get(URL, {"query": QUERY}, HTTP_IF_NONE_MATCH='"other"')
    assert other.status_code == 200


@pytest.mark.parametrize(
    "cookies",
    [
        {"sessionid": "abc123"},
        {"sessionid": "k" * 32},
        {"csrftoken": "x" * 32},
        {"csrftoken": "bad"},
        {"csrftoken": "y" * 64, "messages": "junk"},
    ],
)
def test_session_and_csrf_cookies_change_nothing(client, cookies):
    plain = client.get(URL, {"query": QUERY})
    for name, value in cookies.items():
        client.cookies[name] = value
    with_cookie = client.get(URL, {"query": QUERY})
    assert with_cookie.content == plain.content
    assert with_cookie["ETag"] == plain["ETag"]
    assert with_cookie["Cache-Control"] == plain["Cache-Control"]
    assert "Set-Cookie" not in with_cookie
    assert "cookie" not in vary(with_cookie)


def test_head_answers_like_get_without_a_body(client):
    response = client.head(URL, {"query": QUERY})
    assert response.status_code == 200
    assert response.content == b""
    assert response["Cache-Control"] == "public, max-age=60"


def test_post_queries_work_and_are_not_cacheable(client):
    response = post(client, {"query": QUERY})
    assert response.json() == EXPECTED
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response
    assert "cookie" not in vary(response)


def test_post_accepts_a_json_content_type_with_charset(client):
    response = client.post(
        URL,
        data=json.dumps({"query": QUERY}),
        content_type="application/json; charset=utf-8",
    )
    assert response.json() == EXPECTED


def test_responses_with_errors_are_not_cacheable(client):
    # A validation failure: 200 under application/json (no Accept), 400 under
    # application/graphql-response+json; never cacheable under either.
    legacy = client.get(URL, {"query": "{ nope }"})
    modern = client.get(
        URL, {"query": "{ nope }"}, HTTP_ACCEPT="application/graphql-response+json"
    )
    assert (legacy.status_code, modern.status_code) == (200, 400)
    for response in (legacy, modern):
        assert response["Cache-Control"] == "no-store"
        assert "ETag" not in response


def test_json_responses_carry_security_headers(client):
    for response in (client.get(URL, {"query": QUERY}), client.put(URL)):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Content-Security-Policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )


def test_options_lists_the_allowed_methods(client):
    response = client.options(URL)
    assert response.status_code == 204
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_unknown_methods_get_405_with_allow(client):
    response = client.delete(URL)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


def test_graphiql_is_off_in_production_mode(client):
    response = client.get(URL, HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")
    assert b"graphiql" not in response.content.lower()


def test_graphiql_is_served_in_debug_mode(client, settings):
    from cms.graphql.view import PublicGraphQLView

    settings.DEBUG = True
    settings.GRAPHQL_INTROSPECTION = True
    view = PublicGraphQLView.as_view(graphiql=True)
    from django.test import RequestFactory

    response = view(RequestFactory().get(URL, HTTP_ACCEPT="text/html"))
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


# --- CORS ------------------------------------------------------------------


def test_an_allowed_origin_gets_cors_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.org"]
    response = client.get(URL, {"query": QUERY}, HTTP_ORIGIN="https://www.example.org")
    assert response["Access-Control-Allow-Origin"] == "https://www.example.org"


def test_a_disallowed_origin_gets_no_cors_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.org"]
    response = client.get(URL, {"query": QUERY}, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(
        URL,
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-requested-with",
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_an_allowed_origin_passes_the_preflight(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.org"]
    preflight = client.options(
        URL,
        HTTP_ORIGIN="https://www.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-requested-with",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://www.example.org"
    assert "x-requested-with" in preflight["Access-Control-Allow-Headers"]


def test_queries_need_no_csrf_token(settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = post(strict, {"query": QUERY})
    assert response.status_code == 200
    assert response.json() == EXPECTED


# --- mutations (test-only schema) ------------------------------------------


@pytest.mark.urls("cms.tests.graphql_urls")
def test_a_mutation_with_the_custom_header_runs():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = post(
        strict, {"query": "mutation { touch { ok } }"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.json() == {"data": {"touch": {"ok": True}}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.urls("cms.tests.graphql_urls")
def test_a_mutation_without_the_custom_header_is_refused(client):
    response = post(client, {"query": "mutation { touch { ok } }"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == (
        "CSRF_HEADER_REQUIRED"
    )


def test_preview_requests_are_never_publicly_cacheable(client):
    response = client.get(URL, {"query": QUERY}, HTTP_X_PREVIEW_TOKEN="abc")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response

"""The pipeline's HTTP responses: statuses by media type, caching headers."""

import json

from django.http import HttpResponse
from django.test import RequestFactory
from graphql import GraphQLError

from cms.graphql.errors import DeadlineExceeded, RequestRejected
from cms.graphql.persisted import sha256_hex
from cms.graphql.pipeline import responses

JSON = "application/json"
GR = "application/graphql-response+json"
GR_CONTENT_TYPE = "application/graphql-response+json; charset=utf-8"
BODY = '{"data":{"a":1}}'
ETAG = f'"{sha256_hex(BODY)[:40]}"'
factory = RequestFactory()


def test_a_rejection_keeps_its_status_and_headers_and_is_not_stored():
    rejected = RequestRejected(
        429, "RATE_LIMITED", "Slow down.", headers={"Retry-After": "7"}, retryAfter=7
    )

    response = responses.rejection(rejected, GR)

    assert (response.status_code, response["Content-Type"]) == (429, GR_CONTENT_TYPE)
    assert (response["Retry-After"], response["Cache-Control"]) == ("7", "no-store")
    assert json.loads(response.content) == {
        "errors": [
            {
                "message": "Slow down.",
                "extensions": {"code": "RATE_LIMITED", "retryAfter": 7},
            }
        ]
    }


def test_a_graphql_request_error_is_200_under_json_and_400_under_graphql_response():
    rejected = RequestRejected(404, "PERSISTED_QUERY_NOT_FOUND", "x", json_status=200)
    errors = [GraphQLError("Cannot query field 'nope' on type 'Query'.")]

    assert responses.rejection(rejected, JSON).status_code == 200
    assert responses.rejection(rejected, GR).status_code == 404
    legacy = responses.request_errors(errors, JSON)
    modern = responses.request_errors(errors, GR)
    assert (legacy.status_code, modern.status_code) == (200, 400)
    assert legacy.content == modern.content
    assert json.loads(legacy.content) == {
        "errors": [
            {
                "message": "Cannot query field 'nope' on type 'Query'.",
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    }


def test_a_cacheable_get_has_an_etag_per_representation():
    settings_max_age = "public, max-age=60"
    legacy = responses.data(factory.get("/graphql/"), BODY, JSON, cacheable=True)
    modern = responses.data(factory.get("/graphql/"), BODY, GR, cacheable=True)

    assert (legacy["ETag"], legacy["Cache-Control"]) == (ETAG, settings_max_age)
    assert modern["ETag"] == ETAG[:-1] + '-gr"'
    assert legacy.content == modern.content == BODY.encode()


def test_a_matching_if_none_match_is_a_304():
    for header in (ETAG, f'"x", W/{ETAG}', "*"):
        request = factory.get("/graphql/", HTTP_IF_NONE_MATCH=header)
        response = responses.data(request, BODY, JSON, cacheable=True)
        assert (response.status_code, response.content, response["ETag"]) == (
            304,
            b"",
            ETAG,
        )
    other = factory.get("/graphql/", HTTP_IF_NONE_MATCH='"other"')
    assert responses.data(other, BODY, JSON, cacheable=True).status_code == 200


def test_posts_and_uncacheable_bodies_are_no_store():
    post = responses.data(factory.post("/graphql/"), BODY, JSON, cacheable=True)
    preview = responses.data(factory.get("/graphql/"), BODY, JSON, cacheable=False)

    for response in (post, preview):
        assert response["Cache-Control"] == "no-store"
        assert "ETag" not in response


def test_errors_get_a_default_code_one_deadline_and_no_suggestions():
    errors = [
        GraphQLError("Cannot query field 'itemz'. Did you mean 'items'?"),
        DeadlineExceeded("Too long."),
        DeadlineExceeded("Too long."),
    ]

    formatted = responses.format_errors(errors, "BAD_USER_INPUT")

    assert formatted == [
        {
            "message": "Cannot query field 'itemz'.",
            "extensions": {"code": "BAD_USER_INPUT"},
        },
        {"message": "Too long.", "extensions": {"code": "DEADLINE_EXCEEDED"}},
    ]


def test_outside_production_suggestions_stay(settings):
    settings.DEBUG = True
    settings.GRAPHQL_INTROSPECTION = True
    error = GraphQLError("Cannot query field 'itemz'. Did you mean 'items'?")

    (formatted,) = responses.format_errors([error], "X")

    assert formatted["message"] == error.message


def test_security_headers_are_added_once():
    response = responses.secure(HttpResponse("{}", content_type=JSON))
    page = responses.secure(HttpResponse("<p>", content_type="text/html"))

    assert {
        name: response[name]
        for name in (
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Content-Security-Policy",
            "Cache-Control",
        )
    } == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        "Cache-Control": "no-store",
    }
    assert "Content-Security-Policy" not in page

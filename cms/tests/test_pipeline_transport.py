"""Step 1, transport: method, media type, parameters, valid Unicode."""

import json

import pytest
from django.test import RequestFactory

from cms.graphql.errors import RequestRejected
from cms.graphql.pipeline import transport
from cms.graphql.pipeline.transport import Params

factory = RequestFactory()


def rejection(call) -> tuple:
    with pytest.raises(RequestRejected) as caught:
        call()
    error = caught.value
    return error.status, error.code, error.message, error.headers, error.extensions


def post(body, content_type="application/json", **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return factory.post("/graphql/", data, content_type=content_type, **extra)


def test_options_is_answered_with_the_allowed_methods():
    response = transport.check_method(factory.options("/graphql/"))

    assert (response.status_code, response["Allow"]) == (
        204,
        "GET, HEAD, POST, OPTIONS",
    )


def test_other_methods_are_refused_with_allow():
    assert rejection(lambda: transport.check_method(factory.put("/graphql/"))) == (
        405,
        "METHOD_NOT_ALLOWED",
        "PUT is not supported; use GET or POST.",
        {"Allow": "GET, HEAD, POST, OPTIONS"},
        {},
    )


def test_a_post_body_must_be_json_whatever_its_charset():
    plain = post("{}", content_type="text/plain")
    with_charset = post({}, content_type="application/json; charset=UTF-8")

    assert rejection(lambda: transport.check_method(plain))[:3] == (
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "POST bodies must be application/json.",
    )
    assert transport.check_method(with_charset) is None
    assert transport.check_method(factory.head("/graphql/")) is None


def test_post_parameters_are_read_and_typed():
    request = post(
        {
            "query": "{ a }",
            "operationName": "",
            "variables": {"n": 1},
            "extensions": None,
        }
    )

    params = transport.read_params(request, "POST")

    assert params == Params(query="{ a }", variables={"n": 1})


def test_get_parameters_decode_json_and_the_last_value_wins():
    request = factory.get(
        "/graphql/?query=x&query=%7Ba%7D&variables=%7B%22n%22%3A2%7D&extensions="
    )

    assert transport.read_params(request, "GET") == Params(
        query="{a}", variables={"n": 2}
    )


@pytest.mark.parametrize(
    ("request_of", "expected"),
    [
        (
            lambda: post([{"query": "{ a }"}]),
            (
                400,
                "BATCHING_NOT_SUPPORTED",
                "Batched requests are not supported; send one operation.",
            ),
        ),
        (lambda: post("42"), (400, "BAD_REQUEST", "The body must be a JSON object.")),
        (lambda: post({"query": 1}), (400, "BAD_REQUEST", "`query` must be a string.")),
        (
            lambda: post({"query": "{ a }", "variables": []}),
            (400, "BAD_REQUEST", "`variables` must be a JSON object."),
        ),
        (
            lambda: post('{"query": '),
            (400, "MALFORMED_JSON", "The body is not valid JSON."),
        ),
        (
            lambda: post(b"\xff"),
            (400, "MALFORMED_JSON", "The body is not valid UTF-8."),
        ),
    ],
    ids=["batch", "number", "query type", "variables type", "truncated", "not UTF-8"],
)
def test_malformed_bodies_are_refused_with_their_code(request_of, expected):
    request = request_of()

    assert rejection(lambda: transport.read_params(request, "POST"))[:3] == expected


def test_a_body_over_the_limit_is_refused_before_it_is_read(settings):
    settings.GRAPHQL_LIMITS = {"MAX_BODY_BYTES": 10}
    request = post({"query": "{ __typename }"})

    assert rejection(lambda: transport.read_params(request, "POST")) == (
        413,
        "REQUEST_TOO_LARGE",
        "The request body exceeds 10 bytes.",
        {},
        {"limit": 10},
    )


def test_text_that_is_not_unicode_is_refused_naming_where():
    lone_surrogate = post({"query": "{ a }", "variables": {"k": ["\ud800"]}})
    bad_header = post({"query": "{ a }"}, HTTP_X_API_KEY="\xed\xa0\x80")
    bad_bytes = factory.get("/graphql/?query=%FF")

    for request, method, where in (
        (lone_surrogate, "POST", "The `variables` parameter"),
        (bad_header, "POST", "The X-Api-Key header"),
        (bad_bytes, "GET", "The `query` parameter"),
    ):
        assert rejection(lambda r=request, m=method: transport.read_params(r, m))[
            :3
        ] == (
            400,
            "INVALID_UNICODE",
            f"{where} is not valid Unicode: it holds an unpaired surrogate or "
            "bytes that are not UTF-8.",
        )


def test_too_many_query_string_parameters_are_refused(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    request = factory.get("/graphql/?a=1&b=2&query=%7Ba%7D")

    assert rejection(lambda: transport.read_params(request, "GET"))[:3] == (
        400,
        "BAD_REQUEST",
        "The query string has too many parameters.",
    )


def test_the_session_is_detached_and_no_csrf_cookie_is_written():
    request = factory.get("/graphql/")

    transport.detach_session(request)

    assert isinstance(request.session, transport.NoSession)
    assert (request.session.accessed, request.session.modified) == (False, False)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is False


def test_accept_picks_the_response_media_type():
    assert transport.negotiate("") == "application/json"
    assert transport.negotiate("application/graphql-response+json, */*;q=0.5") == (
        "application/graphql-response+json"
    )

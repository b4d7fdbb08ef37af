# ruff: noqa: E501 -- one failure class per line reads best as a table.
"""GraphQL over HTTP: the response media type follows ``Accept``.

``application/graphql-response+json`` (when the client prefers it) answers a
GraphQL request error (parse, validation, operation, variable coercion) with
400 and no data entry; ``application/json`` (no ``Accept``, ``*/*``, or a
client that prefers it) answers those with 200, as the spec asks for legacy
clients. Transport refusals keep their 4xx under both. Runs against the
test-only schema (``cms.tests.graphql_schema``).
"""

import json

import graphene
import pytest
from django.test import RequestFactory
from graphql import GraphQLError

from cms.graphql.pipeline.transport import negotiate
from cms.graphql.view import PublicGraphQLView
from cms.tests import graphql_schema

pytestmark = [pytest.mark.urls("cms.tests.graphql_urls"), pytest.mark.django_db]

URL = "/graphql/"
JSON = "application/json"
GR = "application/graphql-response+json"
GR_CONTENT_TYPE = "application/graphql-response+json; charset=utf-8"
UNKNOWN_HASH = "0" * 64
CSP = "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (JSON, JSON),
        (GR, GR),
        ("APPLICATION/GRAPHQL-RESPONSE+JSON", GR),
        (f"{GR}; charset=utf-8", GR),
        (f"{GR}, {JSON};q=0.9", GR),
        (f"{GR},{JSON};q=0.9", GR),
        (f"{JSON}, {GR}", JSON),
        (f"{JSON};q=0.9, {GR}", GR),
        (f"{GR};q=0.5, */*", JSON),
        (f"{JSON};q=0, */*", GR),
        (f"{GR};q=0.001, {JSON};q=0", GR),
        (f"{GR}; charset=iso-8859-1, {JSON}", JSON),
        (f"{GR};q=abc", JSON),
        (f"{GR};q=2", JSON),
        (f"{GR};q=nan", JSON),
        ("text/html", JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        # What urql sends by default.
        (f"{GR}, application/graphql+json, {JSON}, text/event-stream", GR),
    ],
)
def test_accept_header_picks_the_media_type(accept, chosen):
    assert negotiate(accept) == chosen


def post(client, body, accept=None, **extra):
    if accept is not None:
        extra["HTTP_ACCEPT"] = accept
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type=JSON, **extra)


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v}


# Each failure class: (request, code, status under application/json, under
# application/graphql-response+json, whether the body has a data entry).
FAILURES = {
    "success": ({"query": "{ apiVersion }"}, None, 200, 200, True),
    "field error": ({"query": "{ boom apiVersion }"}, "INTERNAL_SERVER_ERROR", 200, 200, True),
    "JSON parse failure": ('{ "not a JSON', "MALFORMED_JSON", 400, 400, False),
    "invalid parameters": ({"qeury": "{ apiVersion }"}, "BAD_REQUEST", 400, 400, False),
    "invalid unicode": ({"query": "{ apiVersion }", "operationName": "\ud800"}, "INVALID_UNICODE", 400, 400, False),
    "document parse failure": ({"query": "{"}, "GRAPHQL_PARSE_FAILED", 200, 400, False),
    "document validation failure": ({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED", 200, 400, False),
    "cost": ({"query": "{ items(limit: 100000000) { items { id } } }"}, "QUERY_TOO_COMPLEX", 200, 400, False),
    "operation cannot be determined": ({"query": "query A { apiVersion } query B { apiVersion }"}, "OPERATION_RESOLUTION_FAILURE", 200, 400, False),
    "variable coercion failure": ({"query": "query($n: Int!) { items(limit: $n) { totalCount } }", "variables": {"n": None}}, "BAD_USER_INPUT", 200, 400, False),
    "persisted query not found": ({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": UNKNOWN_HASH}}}, "PERSISTED_QUERY_NOT_FOUND", 200, 404, False),
    "mutation without its header": ({"query": "mutation { touch { ok } }"}, "CSRF_HEADER_REQUIRED", 403, 403, False),
}  # fmt: skip

ACCEPTS = {
    "no Accept": (None, JSON),
    "application/json": (JSON, JSON),
    "*/*": ("*/*", JSON),
    "graphql-response+json": (GR, GR_CONTENT_TYPE),
    "graphql-response+json, json;q=0.9": (f"{GR}, {JSON};q=0.9", GR_CONTENT_TYPE),
}


@pytest.mark.parametrize("accept", sorted(ACCEPTS))
@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_each_failure_class_gets_its_status_under_each_media_type(
    client, failure, accept
):
    body, code, json_status, gr_status, has_data = FAILURES[failure]
    header, content_type = ACCEPTS[accept]

    response = post(client, body, header)

    expected = gr_status if content_type == GR_CONTENT_TYPE else json_status
    assert response.status_code == expected, response.content
    assert response["Content-Type"] == content_type
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "accept" in vary(response)
    payload = json.loads(response.content)
    assert ("data" in payload) is has_data
    codes = [e["extensions"]["code"] for e in payload.get("errors", [])]
    assert codes == ([code] if code else [])


def test_transport_refusals_keep_their_status_under_both_media_types(client):
    for header, content_type in ((None, JSON), (GR, GR_CONTENT_TYPE)):
        extra = {"HTTP_ACCEPT": header} if header else {}
        wrong_type = client.post(URL, "{}", content_type="text/plain", **extra)
        wrong_method = client.delete(URL, **extra)
        mutation_by_get = client.get(
            URL, {"query": "mutation { touch { ok } }"}, **extra
        )

        assert [
            (r.status_code, r["Content-Type"], r.json()["errors"][0]["extensions"]["code"])
            for r in (wrong_type, wrong_method, mutation_by_get)
        ] == [
            (415, content_type, "UNSUPPORTED_MEDIA_TYPE"),
            (405, content_type, "METHOD_NOT_ALLOWED"),
            (405, content_type, "METHOD_NOT_ALLOWED"),
        ]  # fmt: skip


def test_each_representation_has_its_own_etag_and_both_revalidate(client):
    query = {"query": "{ apiVersion }"}
    legacy = client.get(URL, query)
    modern = client.get(URL, query, HTTP_ACCEPT=GR)

    assert legacy.content == modern.content
    assert legacy["Content-Type"] == JSON
    assert modern["Content-Type"] == GR_CONTENT_TYPE
    assert modern["ETag"] == legacy["ETag"][:-1] + '-gr"'
    for response in (legacy, modern):
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=60"
        assert vary(response) == {"accept", "origin"}

    same = client.get(URL, query, HTTP_ACCEPT=GR, HTTP_IF_NONE_MATCH=modern["ETag"])
    other = client.get(URL, query, HTTP_ACCEPT=GR, HTTP_IF_NONE_MATCH=legacy["ETag"])
    assert (same.status_code, same.content, same["ETag"]) == (304, b"", modern["ETag"])
    assert "accept" in vary(same)
    assert (other.status_code, other["Content-Type"]) == (200, GR_CONTENT_TYPE)


@pytest.mark.parametrize(
    ("first", "then"),
    [((JSON, JSON), (GR, GR_CONTENT_TYPE)), ((GR, GR_CONTENT_TYPE), (JSON, JSON))],
    ids=["json-then-gr", "gr-then-json"],
)
def test_a_cached_response_is_served_under_the_asking_clients_media_type(
    client, settings, first, then
):
    settings.GRAPHQL_RESPONSE_CACHE = True
    graphql_schema.CALLS["items"] = 0
    query = {"query": "{ items(limit: 2) { totalCount } }"}

    primed = client.get(URL, query, HTTP_ACCEPT=first[0])
    hit = client.get(URL, query, HTTP_ACCEPT=then[0])

    assert graphql_schema.CALLS["items"] == 1  # the second came from the cache
    assert primed.content == hit.content
    assert (primed["Content-Type"], hit["Content-Type"]) == (first[1], then[1])
    assert primed["ETag"] != hit["ETag"]


class NullRoot(graphene.ObjectType):
    required = graphene.String(required=True)

    def resolve_required(self, info):
        raise GraphQLError("nothing here")


def test_a_field_error_that_nulls_the_root_keeps_the_data_entry():
    view = PublicGraphQLView.as_view(schema=graphene.Schema(query=NullRoot))
    request = RequestFactory().post(
        URL, json.dumps({"query": "{ required }"}), JSON, HTTP_ACCEPT=GR
    )

    response = view(request)

    assert response.status_code == 200
    assert response["Content-Type"] == GR_CONTENT_TYPE
    assert json.loads(response.content) == {
        "errors": [
            {
                "message": "nothing here",
                "locations": [{"line": 1, "column": 3}],
                "path": ["required"],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
        "data": None,
    }

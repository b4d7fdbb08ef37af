# ruff: noqa: E501 -- one hostile request per line reads best as a table.
"""Hostile and malformed requests: each gets its documented code, never a 5xx.

Every case runs through the full middleware stack against the test-only
schema (``cms.tests.graphql_schema``), in production mode (test settings),
twice: accepting ``application/graphql-response+json`` (``status``) and with
no ``Accept``, which is ``application/json`` (``json_status`` where it
differs: GraphQL request errors are 200 there, per GraphQL over HTTP).
"""

import json
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

from cms.graphql.persisted import sha256_hex

pytestmark = pytest.mark.urls("cms.tests.graphql_urls")

URL = "/graphql/"
JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


@dataclass
class Case:
    name: str
    status: int  # accepting application/graphql-response+json
    code: str
    method: str = "post"
    body: object = None  # dict/list -> JSON; str/bytes -> sent raw
    content_type: str = JSON
    params: dict | None = None
    query_string: str | None = None  # GET: sent as is, bytes percent-encoded
    headers: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    absent: tuple = ()  # strings that must not appear in the body
    json_status: int | None = None  # with no Accept (application/json), if other


def q(query, **extra):
    return {"query": query, **extra}


def nested(depth, leaf="name"):
    return "{ " + "items { " * depth + leaf + " }" * depth + " }"


def aliases(count):
    return "{ " + " ".join(f"a{n}: __typename" for n in range(count)) + " }"


def fragment_bomb(levels):
    parts = [f"query {{ ...F{levels} }}", "fragment F0 on Query { __typename }"]
    for n in range(1, levels + 1):
        parts.append(f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}")
    return "\n".join(parts)


COST_BOMB = (
    "{ items(limit: 50) { items { children(limit: 50) { items {"
    " children(limit: 50) { items { name } } } } } } }"
)
UNKNOWN_HASH = "0" * 64

CASES = [
    # --- transport ---------------------------------------------------------
    Case("text/plain body", 415, "UNSUPPORTED_MEDIA_TYPE", body="{}", content_type="text/plain"),
    Case("form body", 415, "UNSUPPORTED_MEDIA_TYPE", body="query=%7B__typename%7D", content_type="application/x-www-form-urlencoded"),
    Case("multipart body", 415, "UNSUPPORTED_MEDIA_TYPE", body="--x--", content_type="multipart/form-data; boundary=x"),
    Case("application/graphql body", 415, "UNSUPPORTED_MEDIA_TYPE", body="{ __typename }", content_type="application/graphql"),
    Case("no content type", 415, "UNSUPPORTED_MEDIA_TYPE", body="{}", content_type=""),
    Case("truncated JSON", 400, "MALFORMED_JSON", body='{"query": '),
    Case("JSON with trailing garbage", 400, "MALFORMED_JSON", body='{"query": "{ __typename }"} x'),
    Case("invalid UTF-8", 400, "MALFORMED_JSON", body=b'{"query": "\xff\xfe"}'),
    Case("deeply nested JSON", 400, "MALFORMED_JSON", body="[" * 50_000 + "]" * 50_000),
    Case("blank body", 400, "MALFORMED_JSON", body=" "),
    Case("batched array", 400, "BATCHING_NOT_SUPPORTED", body=[q("{ __typename }"), q("{ __typename }")]),
    Case("empty batch", 400, "BATCHING_NOT_SUPPORTED", body=[]),
    Case("JSON string body", 400, "BAD_REQUEST", body='"{ __typename }"'),
    Case("JSON number body", 400, "BAD_REQUEST", body="42"),
    Case("JSON null body", 400, "BAD_REQUEST", body="null"),
    Case("no query", 400, "BAD_REQUEST", body={}),
    Case("empty query", 400, "BAD_REQUEST", body=q("")),
    Case("query is a number", 400, "BAD_REQUEST", body=q(123)),
    Case("query is a list", 400, "BAD_REQUEST", body=q(["{ __typename }"])),
    Case("variables is a list", 400, "BAD_REQUEST", body=q("{ __typename }", variables=[1])),
    Case("variables is a string", 400, "BAD_REQUEST", body=q("{ __typename }", variables="{}")),
    Case("operationName is an object", 400, "BAD_REQUEST", body=q("{ __typename }", operationName={})),
    Case("extensions is a list", 400, "BAD_REQUEST", body=q("{ __typename }", extensions=[])),
    Case("huge body", 413, "REQUEST_TOO_LARGE", body=q("{ __typename }", variables={"x": "y" * 200_000})),
    Case("10k aliases", 413, "REQUEST_TOO_LARGE", body=q(aliases(10_000))),
    Case("GET broken variables", 400, "MALFORMED_JSON", method="get", params={"query": "{ __typename }", "variables": "{"}),
    Case("GET variables list", 400, "BAD_REQUEST", method="get", params={"query": "{ __typename }", "variables": "[1]"}),
    Case("GET without query", 400, "BAD_REQUEST", method="get", params={}),
    Case("GET with too many parameters", 400, "BAD_REQUEST", method="get", query_string="a=1&" * 1000 + "query=%7B__typename%7D"),
    Case("GET mutation", 405, "METHOD_NOT_ALLOWED", method="get", params={"query": "mutation { touch { ok } }"}),
    Case("GET mutation by operationName", 405, "METHOD_NOT_ALLOWED", method="get", params={"query": "query A { __typename } mutation B { touch { ok } }", "operationName": "B"}),
    Case("PUT", 405, "METHOD_NOT_ALLOWED", method="put", body=q("{ __typename }")),
    Case("DELETE", 405, "METHOD_NOT_ALLOWED", method="delete"),
    Case("PATCH", 405, "METHOD_NOT_ALLOWED", method="patch", body=q("{ __typename }")),
    Case("TRACE", 405, "METHOD_NOT_ALLOWED", method="trace"),
    Case("mutation without CSRF header", 403, "CSRF_HEADER_REQUIRED", body=q("mutation { touch { ok } }")),
    Case("subscription", 400, "OPERATION_NOT_SUPPORTED", json_status=200, body=q("subscription { __typename }")),
    Case("two operations, no name", 400, "OPERATION_RESOLUTION_FAILURE", json_status=200, body=q("query A { __typename } query B { __typename }")),
    Case("unknown operationName", 400, "OPERATION_RESOLUTION_FAILURE", json_status=200, body=q("query A { __typename }", operationName="Nope")),
    # --- parser bombs ------------------------------------------------------
    Case("deep nesting", 400, "QUERY_TOO_DEEP", json_status=200, body=q(nested(40))),
    Case("deep nesting of unknown fields", 400, "QUERY_TOO_DEEP", json_status=200, body=q("{" + " f {" * 60 + " x" + " }" * 60 + " }")),
    Case("parser recursion bomb", 400, "QUERY_TOO_DEEP", json_status=200, body=q("{" + " f {" * 3000 + " x" + " }" * 3000 + " }")),
    Case("deep nesting inside fragments", 400, "QUERY_TOO_DEEP", json_status=200, body=q("query { ...A } fragment A on Query { " + nested(20)[2:-2] + " }")),
    Case("1000 aliases", 400, "TOO_MANY_ALIASES", json_status=200, body=q(aliases(1000))),
    Case("51 __typename aliases", 400, "TOO_MANY_ALIASES", json_status=200, body=q(aliases(51))),
    Case("aliases hidden in fragments", 400, "TOO_MANY_ALIASES", json_status=200, body=q("query { ...A ...B } fragment A on Query { " + aliases(30)[2:-2] + " } fragment B on Query { " + " ".join(f"b{n}: __typename" for n in range(30)) + " }")),
    Case("fragment cycle", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }")),
    Case("self-referencing fragment", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("query { ...A } fragment A on Query { __typename ...A }")),
    Case("unknown fragment", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("query { ...Missing }")),
    Case("fragment bomb", 400, "TOO_MANY_FIELDS", json_status=200, body=q(fragment_bomb(30))),
    Case("field flood", 400, "TOO_MANY_FIELDS", json_status=200, body=q("{ " + "__typename " * 2500 + "}")),
    Case("huge string literal", 400, "QUERY_TOO_LARGE", json_status=200, body=q('{ echo(value: "' + "x" * 40_000 + '") }')),
    Case("many tokens", 400, "TOO_MANY_TOKENS", json_status=200, body=q("{ " + "a " * 6000 + "}")),
    Case("comment flood", 400, "TOO_MANY_TOKENS", json_status=200, body=q("#\n" * 6000 + "{ __typename }")),
    Case("directive spam", 400, "TOO_MANY_DIRECTIVES", json_status=200, body=q("{ __typename" + " @skip(if: false)" * 60 + " }")),
    Case("duplicate directives", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("{ __typename @skip(if: false) @skip(if: false) }")),
    Case("unterminated string", 400, "GRAPHQL_PARSE_FAILED", json_status=200, body=q('{ echo(value: "abc) }')),
    Case("garbage", 400, "GRAPHQL_PARSE_FAILED", json_status=200, body=q("}}}{{{")),
    Case("NUL character", 400, "GRAPHQL_PARSE_FAILED", json_status=200, body=q("{ __typename \u0000 }")),
    Case("only a fragment", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("fragment A on Query { __typename }")),
    # --- cost bombs --------------------------------------------------------
    Case("nested limits", 400, "QUERY_TOO_COMPLEX", json_status=200, body=q(COST_BOMB)),
    Case("limits through variables", 400, "QUERY_TOO_COMPLEX", json_status=200, body=q("query($n: Int) { items(limit: $n) { items { children(limit: $n) { items { children(limit: $n) { items { name } } } } } } }", variables={"n": 50})),
    Case("limits through variable defaults", 400, "QUERY_TOO_COMPLEX", json_status=200, body=q("query($n: Int = 50) { items(limit: $n) { items { children(limit: $n) { items { children(limit: $n) { items { name } } } } } } }")),
    Case("huge limit", 400, "QUERY_TOO_COMPLEX", json_status=200, body=q("{ items(limit: 100000000) { items { id name } } }")),
    Case("cost hidden in fragments", 400, "QUERY_TOO_COMPLEX", json_status=200, body=q("query { ...A } fragment A on Query { items(limit: 50) { items { ...B } } } fragment B on Item { children(limit: 50) { items { children(limit: 50) { items { name } } } } }")),
    # --- disclosure probes ---------------------------------------------------
    Case("introspection __schema", 400, "INTROSPECTION_DISABLED", json_status=200, body=q("{ __schema { types { name } } }")),
    Case("introspection __type", 400, "INTROSPECTION_DISABLED", json_status=200, body=q('{ __type(name: "Query") { fields { name } } }')),
    Case("introspection in a fragment", 400, "INTROSPECTION_DISABLED", json_status=200, body=q("query { ...I } fragment I on Query { __schema { queryType { name } } }")),
    Case("introspection over GET", 400, "INTROSPECTION_DISABLED", json_status=200, method="get", params={"query": "{ __schema { types { name } } }"}),
    Case("field suggestion probe", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("{ itemz { totalCount } }"), absent=("Did you mean", "items")),
    Case("argument suggestion probe", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("{ items(limt: 1) { totalCount } }"), absent=("Did you mean",)),
    Case("type suggestion probe", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("query { ... on Querr { __typename } }"), absent=("Did you mean",)),
    Case("internal error", 200, "INTERNAL_SERVER_ERROR", body=q("{ boom }"), absent=("hunter2", "RuntimeError")),
    Case("wrong argument type", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q('{ items(limit: "x") { totalCount } }')),
    Case("wrong variable value", 400, "BAD_USER_INPUT", json_status=200, body=q("query($n: Int) { items(limit: $n) { totalCount } }", variables={"n": "many"})),
    Case("undefined variable", 400, "GRAPHQL_VALIDATION_FAILED", json_status=200, body=q("{ items(limit: $n) { totalCount } }")),
    Case("page size over the maximum", 200, "PAGE_SIZE_TOO_LARGE", body=q("{ items(limit: 51) { totalCount } }")),
    # --- persisted query probes ---------------------------------------------
    Case("APQ unknown hash", 404, "PERSISTED_QUERY_NOT_FOUND", json_status=200, body={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": UNKNOWN_HASH}}}),
    Case("APQ hash mismatch", 400, "PERSISTED_QUERY_HASH_MISMATCH", body=q("{ __typename }", extensions={"persistedQuery": {"version": 1, "sha256Hash": UNKNOWN_HASH}})),
    Case("APQ version 2", 400, "PERSISTED_QUERY_NOT_SUPPORTED", body={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": UNKNOWN_HASH}}}),
    Case("APQ not an object", 400, "PERSISTED_QUERY_NOT_SUPPORTED", body={"extensions": {"persistedQuery": "yes"}}),
    Case("APQ hash not hex", 400, "BAD_REQUEST", body={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "../../etc/passwd"}}}),
    Case("id not hex", 400, "BAD_REQUEST", body={"id": "DROP TABLE"}),
    Case("GET unknown id", 404, "PERSISTED_QUERY_NOT_FOUND", json_status=200, method="get", params={"id": UNKNOWN_HASH}),
    Case("safelist refuses free text", 400, "PERSISTED_QUERY_NOT_ALLOWED", body=q("{ apiVersion }"), settings={"GRAPHQL_SAFELIST": True}),
    Case("safelist refuses APQ registration", 400, "PERSISTED_QUERY_NOT_ALLOWED", body=q("{ apiVersion }", extensions={"persistedQuery": {"version": 1, "sha256Hash": sha256_hex("{ apiVersion }")}}), settings={"GRAPHQL_SAFELIST": True}),
    # --- rate limiting -------------------------------------------------------
    Case("rate limited", 429, "RATE_LIMITED", body=q("{ __typename }"), settings={"GRAPHQL_RATE_LIMIT_REQUESTS": 0}),
]  # fmt: skip


def invalid_unicode(label: str, char: str) -> list[Case]:
    """An unpaired surrogate in every place the endpoint reads text from.

    JSON carries it as an escape (``json.dumps`` writes ``\\ud800``); a query
    string carries its surrogate-pair-style bytes (``%ED%A0%80``), which are
    not UTF-8; WSGI hands a header's bytes over as latin-1 text, and a test
    client or an ASGI server may hand over the character itself.
    """
    wire = char.encode("utf-8", "surrogatepass")
    raw = quote(wire)
    latin1 = wire.decode("latin-1")
    code = "INVALID_UNICODE"
    echo = quote("query($v: String) { echo(value: $v) }")
    typename = quote("{ __typename }")
    return [
        Case(f"{label} in query", 400, code, body=q('{ echo(value: "' + char + '") }')),
        Case(f"{label} in operationName", 400, code, body=q("query A { __typename }", operationName="A" + char)),
        Case(f"{label} in operationName, response cache on", 400, code, body=q("query A { __typename }", operationName="A" + char), settings={"GRAPHQL_RESPONSE_CACHE": True}),
        Case(f"{label} in a variable value", 400, code, body=q("query($v: String) { echo(value: $v) }", variables={"v": char})),
        Case(f"{label} in a variable name", 400, code, body=q("{ __typename }", variables={char: "x"})),
        Case(f"{label} nested in variables", 400, code, body=q("{ __typename }", variables={"f": {"tags": ["ok", {"name": "x" + char}]}})),
        Case(f"{label} in an extensions value", 400, code, body=q("{ __typename }", extensions={"trace": char})),
        Case(f"{label} in an extensions key", 400, code, body=q("{ __typename }", extensions={char: True})),
        Case(f"{label} in an APQ hash", 400, code, body={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": char * 64}}}),
        Case(f"{label} in id", 400, code, body={"id": char}),
        Case(f"GET {label} in query", 400, code, method="get", query_string=f"query=%7B%20echo(value%3A%20%22{raw}%22)%20%7D"),
        Case(f"GET {label} in operationName", 400, code, method="get", query_string=f"query={quote('query A { __typename }')}&operationName=A{raw}"),
        Case(f"GET {label} in id", 400, code, method="get", query_string=f"id={raw}"),
        Case(f"GET {label} escaped in variables", 400, code, method="get", query_string=f"query={echo}&variables={quote(json.dumps({'v': char}))}"),
        Case(f"GET {label} as bytes in variables", 400, code, method="get", query_string=f"query={echo}&variables=%7B%22v%22%3A%22{raw}%22%7D"),
        Case(f"GET {label} escaped in extensions", 400, code, method="get", query_string=f"query={typename}&extensions={quote(json.dumps({'k': [char]}))}"),
        Case(f"GET {label} as bytes in extensions", 400, code, method="get", query_string=f"query={typename}&extensions=%7B%22{raw}%22%3A1%7D"),
        Case(f"{label} in X-Api-Key", 400, code, body=q("{ __typename }"), headers={"X-Api-Key": latin1}),
        Case(f"{label} in X-Preview-Token", 400, code, body=q("{ __typename }"), headers={"X-Preview-Token": latin1}),
        Case(f"{label} as text in X-Api-Key", 400, code, body=q("{ __typename }"), headers={"X-Api-Key": char}),
        Case(f"{label} as text in X-Preview-Token", 400, code, body=q("{ __typename }"), headers={"X-Preview-Token": char}),
        Case(f"GET {label} in X-Api-Key", 400, code, method="get", query_string=f"query={typename}", headers={"X-Api-Key": latin1}),
        Case(f"GET {label} in X-Preview-Token", 400, code, method="get", query_string=f"query={typename}", headers={"X-Preview-Token": latin1}),
    ]  # fmt: skip


CASES += invalid_unicode("high surrogate", "\ud800")
CASES += invalid_unicode("low surrogate", "\udc00")


def send(client, case: Case, accept: str | None = None):
    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in case.headers.items()
    }
    if accept is not None:
        headers["HTTP_ACCEPT"] = accept
    if case.method == "get" and case.query_string is not None:
        return client.get(f"{URL}?{case.query_string}", **headers)
    if case.method == "get":
        return client.get(URL, case.params or {}, **headers)
    body = case.body
    if isinstance(body, dict | list):
        body = json.dumps(body)
    if body is None:
        return getattr(client, case.method)(URL, **headers)
    return getattr(client, case.method)(
        URL, data=body, content_type=case.content_type, **headers
    )


def test_the_corpus_is_substantial():
    assert len(CASES) >= 50
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, None], ids=["gr", "json"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_request_gets_its_documented_code(client, settings, case, accept):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    response = send(client, case, accept)
    text = response.content.decode("utf-8", "replace")
    status = case.status
    if accept is None and case.json_status is not None:
        status = case.json_status
    assert response.status_code < 500, text
    assert "Traceback" not in text
    assert response.status_code == status, text
    assert response["Content-Type"] == (
        JSON if accept is None else f"{GRAPHQL_RESPONSE}; charset=utf-8"
    )
    body = json.loads(text)
    codes = [e["extensions"]["code"] for e in body["errors"]]
    assert case.code in codes, text
    assert all(codes), text
    for secret in case.absent:
        assert secret not in text
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"

"""Step 4, parse and validate (cached), then the operation and its rules."""

import pytest
from django.test import RequestFactory

from cms.graphql.errors import RequestRejected
from cms.graphql.persisted import sha256_hex
from cms.graphql.pipeline import document, limits
from cms.graphql.pipeline.lookup import Query
from cms.graphql.pipeline.transport import Params
from cms.tests import graphql_schema

SCHEMA = graphql_schema.schema.graphql_schema
RULES = limits.validation_rules(introspection=False)
factory = RequestFactory()


@pytest.fixture(autouse=True)
def _fresh_document_cache():
    document.document_cache.clear()
    yield
    document.document_cache.clear()


def prepare(text: str) -> document.Prepared:
    return document.prepare(SCHEMA, text, RULES)


def codes(prepared) -> list[str]:
    return [error.extensions["code"] for error in prepared.errors]


def test_a_valid_document_is_parsed_once_and_kept():
    first = prepare("{ apiVersion }")

    assert first.errors == ()
    assert first.document.definitions[0].operation.value == "query"
    assert prepare("{ apiVersion }") is first
    assert len(document.document_cache) == 1


def test_parse_and_validation_failures_carry_codes_and_are_kept_too(settings):
    assert codes(prepare("{")) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(prepare("{ nope }")) == ["GRAPHQL_VALIDATION_FAILED"]
    assert codes(prepare("{ __schema { queryType { name } } }")) == [
        "INTROSPECTION_DISABLED"
    ]
    settings.GRAPHQL_LIMITS = {"MAX_TOKENS": 3}
    assert codes(prepare("{ apiVersion __typename }")) == ["TOO_MANY_TOKENS"]
    assert len(document.document_cache) == 4


def test_the_limit_rules_run_before_the_standard_rules(settings):
    settings.GRAPHQL_LIMITS = {"MAX_DEPTH": 1}

    prepared = prepare("{ items { nope } }")

    assert codes(prepared) == ["QUERY_TOO_DEEP"]
    assert prepared.errors[0].message == "Operation has 2 depth; the limit is 1."


def test_preview_and_token_arguments_are_noted():
    assert prepare('{ preview(token: "a") }').mentions_preview is True
    assert prepare("{ items(limit: 2) { totalCount } }").mentions_preview is False


def select(text, *, method="post", operation_name=None, persisted=False, **headers):
    request = getattr(factory, method)("/graphql/", **headers)
    query = Query(text, sha256_hex(text), persisted)
    params = Params(query=text, operation_name=operation_name)
    return document.select_operation(prepare(text), params, request, query)


def refusal(call) -> tuple:
    with pytest.raises(RequestRejected) as caught:
        call()
    error = caught.value
    return error.status, error.json_status, error.code, error.headers


def test_the_operation_is_picked_by_name():
    operation = select(
        "query A { apiVersion } query B { __typename }", operation_name="B"
    )

    assert operation.name.value == "B"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda: select("query A { apiVersion } query B { apiVersion }"),
            (400, 200, "OPERATION_RESOLUTION_FAILURE", {}),
        ),
        (
            lambda: select("query A { apiVersion }", operation_name="Nope"),
            (400, 200, "OPERATION_RESOLUTION_FAILURE", {}),
        ),
        (
            lambda: select("subscription { __typename }"),
            (400, 200, "OPERATION_NOT_SUPPORTED", {}),
        ),
        (
            lambda: select("mutation { touch { ok } }", method="get"),
            (405, None, "METHOD_NOT_ALLOWED", {"Allow": "POST"}),
        ),
        (
            lambda: select("mutation { touch { ok } }"),
            (403, None, "CSRF_HEADER_REQUIRED", {}),
        ),
    ],
    ids=[
        "several",
        "unknown name",
        "subscription",
        "mutation by GET",
        "mutation without header",
    ],
)
def test_operation_rules_refuse_with_their_code(call, expected):
    assert refusal(call) == expected


def test_a_mutation_by_post_with_the_header_may_run():
    operation = select("mutation { touch { ok } }", HTTP_X_REQUESTED_WITH="fetch")

    assert operation.operation.value == "mutation"


def test_the_safelist_allows_persisted_operations_and_typename_probes(settings):
    settings.GRAPHQL_SAFELIST = True

    assert select("{ apiVersion }", persisted=True).operation.value == "query"
    assert select("{ __typename }").operation.value == "query"
    assert refusal(lambda: select("{ apiVersion }")) == (
        400,
        None,
        "PERSISTED_QUERY_NOT_ALLOWED",
        {},
    )

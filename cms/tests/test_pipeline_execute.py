"""Step 6, execute: coercion, deadline, masking, database failures."""

import json
import logging

import graphene
import pytest
from django.db import OperationalError
from django.test import RequestFactory
from graphql import parse

from cms import selectors
from cms.graphql.context import RequestContext
from cms.graphql.errors import ApiError
from cms.graphql.pipeline import execute
from cms.graphql.pipeline.execute import Outcome


class Query(graphene.ObjectType):
    hello = graphene.String(name=graphene.String(required=True))
    broken = graphene.String()
    db_down = graphene.String()
    refused = graphene.String()

    def resolve_hello(self, info, name):
        return f"hello {name}"

    def resolve_broken(self, info):
        raise RuntimeError("secret detail")

    def resolve_db_down(self, info):
        raise OperationalError("gone")

    def resolve_refused(self, info):
        raise ApiError("No.", code="NOT_FOUND")


SCHEMA = graphene.Schema(query=Query).graphql_schema


def run(text: str, variables=None, *, deadline=None) -> tuple[Outcome, RequestContext]:
    context = RequestContext(RequestFactory().get("/graphql/"), deadline=deadline)
    outcome = execute.run(SCHEMA, parse(text), context, variables or {}, None, None)
    return outcome, context


def test_variables_are_coerced_before_execution():
    operation = parse("query($n: String!) { hello(name: $n) }").definitions[0]

    assert execute.coercion_errors(SCHEMA, operation, {"n": "ann"}) == []
    (error,) = execute.coercion_errors(SCHEMA, operation, {"n": 3})
    assert error.message == (
        "Variable '$n' got invalid value 3; String cannot represent a non string"
        " value: 3"
    )


def test_a_result_is_the_json_body_with_its_data_entry():
    outcome, context = run('{ hello(name: "ann") }')

    assert outcome == Outcome(
        # `hello` is in no tag map: any change must invalidate it.
        '{"data":{"hello":"hello ann"}}',
        False,
        tags=("graphql", "overflow"),
    )
    assert isinstance(context.visibility, selectors.Visibility)


def test_resolver_exceptions_are_masked_and_api_errors_keep_their_code(caplog):
    with caplog.at_level(logging.ERROR, logger="cms.graphql"):
        outcome, _ = run("{ broken refused }")

    body = json.loads(outcome.body)
    error_id = body["errors"][0]["extensions"]["errorId"]
    assert outcome.has_errors is True
    assert body == {
        "errors": [
            {
                "message": "Internal server error",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
                "locations": [{"line": 1, "column": 3}],
                "path": ["broken"],
            },
            {
                "message": "No.",
                "locations": [{"line": 1, "column": 10}],
                "path": ["refused"],
                "extensions": {"code": "NOT_FOUND"},
            },
        ],
        "data": {"broken": None, "refused": None},
    }
    assert [r.exc_info[0] for r in caplog.records if error_id in r.getMessage()] == [
        RuntimeError
    ]


def test_a_passed_deadline_stops_execution_with_one_error(monkeypatch):
    monkeypatch.setattr(execute, "_clock", lambda: 100.0)

    outcome, _ = run('{ a: hello(name: "a") b: hello(name: "b") }', deadline=99.0)

    assert json.loads(outcome.body) == {
        "errors": [
            {
                "message": "The request took too long and was stopped.",
                "extensions": {"code": "DEADLINE_EXCEEDED"},
            }
        ],
        "data": None,
    }


def test_the_deadline_is_the_timeout_from_now(settings, monkeypatch):
    monkeypatch.setattr(execute, "_clock", lambda: 100.0)
    settings.GRAPHQL_REQUEST_TIMEOUT_MS = 2500

    assert execute.deadline_from_settings() == 102.5
    settings.GRAPHQL_REQUEST_TIMEOUT_MS = 0
    assert execute.deadline_from_settings() is None


def test_a_database_error_fails_the_whole_request():
    with pytest.raises(execute.ServiceUnavailable):
        run('{ dbDown hello(name: "a") }')

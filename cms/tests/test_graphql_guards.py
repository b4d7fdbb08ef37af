"""Limit rules, cost estimate, document cache, error masking and the deadline."""

import logging

import pytest
from graphql import (
    GraphQLError,
    NoUnusedFragmentsRule,
    parse,
    specified_rules,
    validate,
)

from cms.graphql.pipeline import document, execute, limits
from cms.tests import graphql_schema

pytestmark = [
    pytest.mark.urls("cms.tests.graphql_urls"),
    pytest.mark.usefixtures("fresh_document_cache"),
]


def codes(response):
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


def cost_of(query, variables=None):
    document = parse(query)
    operation = document.definitions[0]
    schema = graphql_schema.schema.graphql_schema
    return limits.estimate_cost(schema, document, operation, variables)


def test_the_view_keeps_every_standard_validation_rule():
    from cms.graphql.view import PublicGraphQLView

    # The same rules in the same order, one of them our own copy (below).
    standard = [
        limits.UnusedFragmentsRule if rule is NoUnusedFragmentsRule else rule
        for rule in specified_rules
    ]
    assert PublicGraphQLView.validation_rules == (
        *standard,
        limits.QueryLimitsRule,
        limits.NoIntrospectionRule,
    )


@pytest.mark.parametrize(
    "query",
    [
        "fragment A on Query { __typename }",
        "query { apiVersion } fragment Stray on Query { __typename }",
    ],
    ids=["only a fragment", "a stray fragment"],
)
def test_unused_fragments_stay_invalid_after_grapple_switches_the_rule_off(gql, query):
    # Importing grapple.schema (as building the real schema does) replaces
    # graphql-core's check with a no-op for the whole process.
    import grapple.schema  # noqa: F401

    assert validate(graphql_schema.schema.graphql_schema, parse(query)) == []
    response = gql.post(query)
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert response.json()["errors"][0]["message"].startswith("Fragment ")


def test_cost_multiplies_children_by_the_limit_asked_for():
    assert cost_of("{ apiVersion }") == 1
    # items (1) + 5 x (items (1) + name (1))
    assert cost_of("{ items(limit: 5) { items { name } } }") == 11
    assert cost_of("{ items { items { name } } }") == 21  # default limit 10
    assert cost_of("query($n: Int) { items(limit: $n) { totalCount } }", {"n": 7}) == 8
    assert cost_of("query($n: Int = 3) { items(limit: $n) { totalCount } }") == 4


def test_cost_counts_fragments_and_survives_cycles():
    query = (
        "query { ...A } fragment A on Query { items(limit: 2) { ...B } }"
        " fragment B on ItemPage { items { name } ...B }"
    )
    assert cost_of(query) == 1 + 2 * 2


def test_limits_come_from_settings(gql, settings):
    settings.GRAPHQL_LIMITS = {"MAX_DEPTH": 2}
    assert codes(gql.post("{ items { items { name } } }")) == ["QUERY_TOO_DEEP"]
    settings.GRAPHQL_LIMITS = {"MAX_DEPTH": 3}
    assert gql.post("{ items { items { name } } }").json() == {
        "data": {"items": {"items": [{"name": f"item {n}"} for n in range(10)]}}
    }


def test_alias_limit_counts_typename(gql, settings):
    settings.GRAPHQL_LIMITS = {"MAX_ALIASES": 2}
    ok = gql.post("{ a: __typename b: __typename }")
    assert ok.json() == {"data": {"a": "Query", "b": "Query"}}
    refused = gql.post("{ a: __typename b: __typename c: __typename }")
    assert codes(refused) == ["TOO_MANY_ALIASES"]


def test_cost_limit_is_checked_with_variables(gql, settings):
    settings.GRAPHQL_LIMITS = {"MAX_COST": 20}
    query = "query($n: Int) { items(limit: $n) { items { name } } }"
    assert gql.post(query, {"n": 5}).json() == {
        "data": {"items": {"items": [{"name": f"item {n}"} for n in range(5)]}}
    }
    response = gql.post(query, {"n": 20})
    assert response.status_code == 200  # a request error, under application/json
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 41, "limit": 20}


def test_cost_is_estimated_once_per_document_and_limit_values(monkeypatch):
    schema = graphql_schema.schema.graphql_schema
    query = "query($n: Int, $q: String) { items(limit: $n) { items { name } } }"
    document = parse(query)
    operation = document.definitions[0]
    estimates = []
    real = limits.estimate_cost

    def counting(*args):
        estimates.append(args[3])
        return real(*args)

    monkeypatch.setattr(limits, "estimate_cost", counting)
    memo = {}

    def cost(variables):
        return limits.check_cost(schema, document, operation, variables, memo)

    assert cost({"n": 5, "q": "a"}) == 11
    assert cost({"n": 5, "q": "b"}) == 11  # q is no limit: same estimate
    assert cost({"n": 7}) == 15
    assert cost({}) == 21  # the argument's default limit
    assert len(estimates) == 3
    for n in range(200):  # a client cycling limits keeps the memo bounded
        cost({"n": n})
    # Cleared once past COST_MEMO_SIZE entries: the limit variables' names,
    # then one entry each for n = 191 to 199.
    assert len(memo) == 10
    with pytest.raises(GraphQLError):
        limits.check_cost(schema, document, operation, {"n": 20_000}, memo)


def test_a_repeated_query_skips_parse_and_validate(gql, monkeypatch):
    calls = {"parse": 0, "validate": 0}
    real_parse, real_validate = document.parse, document.validate

    def counting_parse(*args, **kwargs):
        calls["parse"] += 1
        return real_parse(*args, **kwargs)

    def counting_validate(*args, **kwargs):
        calls["validate"] += 1
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(document, "parse", counting_parse)
    monkeypatch.setattr(document, "validate", counting_validate)
    query = "query Repeat($n: Int) { items(limit: $n) { totalCount } }"
    for n in (1, 2, 3):
        assert gql.post(query, {"n": n}).json() == {
            "data": {"items": {"totalCount": 100}}
        }
    assert calls == {"parse": 1, "validate": 2}  # limit rules, then the standard
    gql.post("{ nope }")
    gql.post("{ nope }")
    assert calls["parse"] == 2  # invalid documents are cached too


def test_the_document_cache_is_bounded():
    cache = document.DocumentCache(2)
    for key in "abc":
        cache.put(key, key)
    assert len(cache) == 2
    assert cache.get("a") is None
    assert cache.get("c") == "c"


def test_internal_errors_are_masked_and_logged_with_an_error_id(gql, caplog):
    with caplog.at_level(logging.ERROR, logger="cms.graphql"):
        response = gql.post("{ boom apiVersion }")
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"boom": None, "apiVersion": "1.0.0"}
    (error,) = body["errors"]
    assert error["message"] == "Internal server error"
    assert error["path"] == ["boom"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    error_id = error["extensions"]["errorId"]
    assert "hunter2" not in response.content.decode()
    (record,) = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.exc_info[0] is RuntimeError


def test_api_errors_pass_through_with_their_code(gql):
    error = gql.post("{ notFound }").json()["errors"][0]
    assert error["message"] == "No such thing."
    assert error["extensions"] == {"code": "NOT_FOUND"}


def test_debug_mode_allows_introspection_and_suggestions(gql, settings):
    settings.DEBUG = True
    settings.GRAPHQL_INTROSPECTION = True
    body = gql.post("{ __schema { queryType { name } } }").json()
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    message = gql.post("{ itemz { totalCount } }").json()["errors"][0]["message"]
    assert message == (
        "Cannot query field 'itemz' on type 'Query'. Did you mean 'items'?"
    )


def test_introspection_flag_off_is_production_mode_even_with_debug(gql, settings):
    settings.DEBUG = True
    settings.GRAPHQL_INTROSPECTION = False
    response = gql.post("{ __schema { queryType { name } } }")
    assert codes(response) == ["INTROSPECTION_DISABLED"]
    assert "Did you mean" not in gql.post("{ itemz }").content.decode()
    masked = gql.post("{ boom }").json()["errors"][0]
    assert "debugMessage" not in masked["extensions"]


def test_typename_works_in_production_mode(gql):
    assert gql.post("{ __typename }").json() == {"data": {"__typename": "Query"}}


def test_the_deadline_stops_execution_with_one_coded_error(gql, monkeypatch):
    ticks = iter(range(0, 10_000, 4))  # each field "takes" 4 seconds
    monkeypatch.setattr(execute, "_clock", lambda: next(ticks))
    response = gql.post("{ items(limit: 5) { items { id name } } }")
    body = response.json()
    assert response.status_code == 200
    assert [e["extensions"]["code"] for e in body["errors"]] == ["DEADLINE_EXCEEDED"]


def test_no_deadline_when_the_timeout_is_zero(gql, settings):
    settings.GRAPHQL_REQUEST_TIMEOUT_MS = 0
    assert execute.deadline_from_settings() is None
    body = gql.post("{ items { totalCount } }").json()
    assert body == {"data": {"items": {"totalCount": 100}}}

"""Step 5, limits and cost: the limit rules' counts, the cost, the rate limit."""

import pytest
from django.test import RequestFactory
from graphql import GraphQLError, parse, validate

from cms.graphql.errors import RequestRejected
from cms.graphql.pipeline import document, limits
from cms.tests import graphql_schema

SCHEMA = graphql_schema.schema.graphql_schema
factory = RequestFactory()


def limit_errors(text: str) -> list[tuple[str, str, int]]:
    errors = validate(SCHEMA, parse(text), (limits.QueryLimitsRule,))
    return [(e.extensions["code"], e.message, e.extensions["limit"]) for e in errors]


def test_each_limit_reports_its_count_and_bound(settings):
    settings.GRAPHQL_LIMITS = {
        "MAX_DEPTH": 2,
        "MAX_ALIASES": 1,
        "MAX_FIELDS": 3,
        "MAX_DIRECTIVES": 1,
    }
    text = (
        "query Q @a { x: items { y: items { name @b } } ...F }"
        " fragment F on Query @c { __typename }"
    )

    assert limit_errors(text) == [
        ("QUERY_TOO_DEEP", "Operation has 3 depth; the limit is 2.", 2),
        ("TOO_MANY_ALIASES", "Operation has 2 aliases; the limit is 1.", 1),
        ("TOO_MANY_FIELDS", "Operation has 4 fields; the limit is 3.", 3),
        ("TOO_MANY_DIRECTIVES", "Operation has 3 directives; the limit is 1.", 1),
    ]


def test_fragments_count_where_they_are_spread(settings):
    settings.GRAPHQL_LIMITS = {"MAX_FIELDS": 4}
    spread_three_times = (
        "{ ...F items { items { ...F } } ...F } fragment F on Query { __typename }"
    )

    assert limit_errors(spread_three_times) == [
        ("TOO_MANY_FIELDS", "Operation has 5 fields; the limit is 4.", 4),
    ]


def cost_of(text: str, variables=None) -> int:
    parsed = parse(text)
    return limits.estimate_cost(SCHEMA, parsed, parsed.definitions[0], variables)


def test_cost_follows_inline_fragments_and_named_fragments_on_their_type():
    assert cost_of("{ ... on Query { items(limit: 3) { items { name } } } }") == 7
    assert (
        cost_of(
            "{ items(limit: 4) { ...I } } fragment I on ItemPage { items { id name } }"
        )
        == 1 + 4 * 3
    )
    assert cost_of("{ ... on Nope { apiVersion } apiVersion }") == 1


def test_an_unknown_field_counts_one_and_a_literal_limit_beats_the_default():
    assert cost_of("{ nope { deeper } }") == 1
    assert cost_of("{ items(limit: 0) { items { name } } }") == 1
    assert (
        cost_of("query($n: Int) { items(limit: $n) { totalCount } }", {"n": "x"}) == 11
    )


def check(text: str, variables=None, request=None) -> int:
    prepared = document.prepare(SCHEMA, text, limits.validation_rules(False))
    operation = prepared.document.definitions[0]
    return limits.check(
        request or factory.post("/graphql/"),
        SCHEMA,
        prepared,
        operation,
        variables or {},
    )


def test_the_step_returns_the_cost_within_the_bound(settings):
    settings.GRAPHQL_LIMITS = {"MAX_COST": 11}

    assert check("{ items(limit: 5) { items { name } } }") == 11
    with pytest.raises(GraphQLError) as caught:
        check("query($n: Int) { items(limit: $n) { items { name } } }", {"n": 6})
    assert caught.value.message == "Query cost 13 exceeds the limit of 11."
    assert caught.value.extensions == {
        "code": "QUERY_TOO_COMPLEX",
        "cost": 13,
        "limit": 11,
    }


def test_the_step_counts_the_cost_against_the_clients_window(settings):
    settings.GRAPHQL_RATE_LIMIT_COST = 30
    request = factory.post("/graphql/", REMOTE_ADDR="192.0.2.7")

    assert check("{ items(limit: 10) { items { name } } }", request=request) == 21
    with pytest.raises(RequestRejected) as caught:
        check("{ items(limit: 10) { items { name } } }", request=request)

    assert (caught.value.status, caught.value.code) == (429, "RATE_LIMITED")

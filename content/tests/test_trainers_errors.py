import pytest

from content.trainers.factories import SpecialtyFactory

pytestmark = pytest.mark.django_db

QUERY = """
query($filter: TrainerFilter, $near: TrainerNearInput, $order: TrainerOrder,
      $limit: Int, $offset: Int) {
  trainers(filter: $filter, near: $near, order: $order, limit: $limit,
           offset: $offset) { totalCount }
}"""

MADISON = {"latitude": 43.07, "longitude": -89.4}


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"near": {"latitude": 200, "longitude": 0}}, "INVALID_COORDINATES"),
        ({"near": {"latitude": 0, "longitude": -181}}, "INVALID_COORDINATES"),
        ({"near": {**MADISON, "radiusKm": -5}}, "BAD_USER_INPUT"),
        ({"near": {**MADISON, "radiusKm": 0}}, "BAD_USER_INPUT"),
        ({"near": {**MADISON, "radiusKm": 100000}}, "BAD_USER_INPUT"),
        ({"limit": 10000}, "PAGE_SIZE_TOO_LARGE"),
        ({"limit": 51}, "PAGE_SIZE_TOO_LARGE"),
        ({"limit": 0}, "INVALID_PAGINATION"),
        ({"offset": -1}, "INVALID_PAGINATION"),
        ({"filter": {"specialties": ["underwater-yoga"]}}, "UNKNOWN_FILTER_VALUE"),
        ({"filter": {"credentials": ["phd-in-vibes"]}}, "UNKNOWN_FILTER_VALUE"),
        ({"order": "DISTANCE"}, "BAD_USER_INPUT"),
        ({"filter": {"query": "x" * 101}}, "BAD_USER_INPUT"),
    ],
)
def test_bad_directory_input_is_a_graphql_error_with_a_stable_code(
    gql, variables, code
):
    SpecialtyFactory(name="Post-rehab")
    assert gql.error_codes(QUERY, variables) == [code]


def test_an_unknown_specialty_error_names_the_bad_value(gql):
    SpecialtyFactory(name="Post-rehab")
    body = gql.execute(QUERY, {"filter": {"specialties": ["nope", "post-rehab"]}})
    assert body["errors"][0]["extensions"]["values"] == ["nope"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ trainer { id } }", "BAD_USER_INPUT"),
        ('{ trainer(id: "1", slug: "x") { id } }', "BAD_USER_INPUT"),
        ('{ trainer(id: "abc") { id } }', "BAD_USER_INPUT"),
        ('{ trainer(id: "\u00b2") { id } }', "BAD_USER_INPUT"),
        ("{ trainerSync(limit: 10000) { nextCursor } }", "PAGE_SIZE_TOO_LARGE"),
        ('{ trainerSync(cursor: "%%%") { nextCursor } }', "INVALID_CURSOR"),
        ("{ trainerSpecialties(limit: 500) { totalCount } }", "PAGE_SIZE_TOO_LARGE"),
    ],
)
def test_bad_single_and_sync_input_is_a_graphql_error(gql, query, code):
    assert gql.error_codes(query) == [code]


def test_an_id_wider_than_any_key_finds_nothing(gql):
    """SQLite cannot bind it: an OverflowError, once a 500."""
    body = gql.execute('{ trainer(id: "%s") { id } }' % ("9" * 30))
    assert body == {"data": {"trainer": None}}


def test_a_non_allowlisted_order_is_rejected_by_the_schema(gql):
    body = gql.execute('{ trainers(order: "title; drop table") { totalCount } }')
    assert body == {
        "errors": [
            {
                "message": "Enum 'TrainerOrder' cannot represent non-enum value: "
                '"title; drop table".',
                "locations": [{"line": 1, "column": 19}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    }

"""The shipped operations as clients send them: by id, over GET, cached.

Every operation file runs by its sha256 id over GET and POST; Apollo's
automatic persisted queries register new ids; an anonymous GET is publicly
cacheable with an ETag, answers 304 to If-None-Match and never sets a cookie,
even when the browser sends a session cookie.
"""

import json

import pytest
from django.contrib.auth.models import User

from cms.graphql.persisted import sha256_hex
from frontend_contract.tools import load_operations

URL = "/graphql/"
OPERATIONS = load_operations()
BY_NAME = {op.name: op for op in OPERATIONS}


def get_by_id(client, operation, **headers):
    params = {"id": operation.id}
    if operation.example_variables:
        params["variables"] = json.dumps(operation.example_variables)
    return client.get(URL, params, **headers)


def assert_no_cookie(response):
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_each_operation_runs_by_its_id_over_get_and_post(
    client, gql, demo_content, operation
):
    by_get = get_by_id(client, operation)
    by_post = gql.raw(
        "POST", {"id": operation.id, "variables": operation.example_variables}
    )
    by_text = gql.raw(
        "POST", {"query": operation.text, "variables": operation.example_variables}
    )

    assert by_get.status_code == 200
    body = by_get.json()
    assert "errors" not in body, body
    assert body == by_post.json() == by_text.json()
    assert by_get["Cache-Control"] == "public, max-age=60"
    assert by_post["Cache-Control"] == "no-store"


def test_the_operation_id_is_the_sha256_of_the_file_text():
    for operation in OPERATIONS:
        assert operation.id == sha256_hex(operation.path.read_text())


def test_an_unknown_id_asks_the_client_for_the_text(client, db):
    response = client.get(URL, {"id": "0" * 64})

    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == (
        "PERSISTED_QUERY_NOT_FOUND"
    )


def test_apollo_automatic_persisted_queries_register_then_run_by_hash(
    client, gql, demo_content
):
    query = "query ClinicName { organisationSettings { clinicName } }"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}
    by_hash = {"extensions": json.dumps(extensions)}

    first = client.get(URL, by_hash)
    assert first.json()["errors"][0]["extensions"]["code"] == (
        "PERSISTED_QUERY_NOT_FOUND"
    )
    registered = gql.raw("POST", {"query": query, "extensions": extensions})
    clinic = {
        "data": {"organisationSettings": {"clinicName": "Dynamic Physical Therapy"}}
    }
    assert registered.json() == clinic

    again = client.get(URL, by_hash)
    assert again.status_code == 200
    assert again.json() == clinic


def test_apollo_hash_that_does_not_match_the_text_is_refused(gql, db):
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}}
    response = gql.raw("POST", {"query": "{ apiVersion }", "extensions": extensions})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == (
        "PERSISTED_QUERY_HASH_MISMATCH"
    )


@pytest.fixture
def session_cookie(client):
    """A browser that is logged in to the admin sends these along."""
    user = User.objects.create_user("browser", password="pw")
    client.force_login(user)
    client.cookies["csrftoken"] = "x" * 32
    assert client.cookies.get("sessionid")
    return client


@pytest.mark.parametrize("response_cache", [False, True], ids=["no-cache", "cache"])
@pytest.mark.parametrize("with_session", [False, True], ids=["anonymous", "session"])
def test_a_persisted_get_is_cacheable_answers_304_and_sets_no_cookie(
    client, demo_content, settings, response_cache, with_session, request
):
    settings.GRAPHQL_RESPONSE_CACHE = response_cache
    settings.GRAPHQL_CACHE_MAX_AGE = 123
    if with_session:
        request.getfixturevalue("session_cookie")
    operation = BY_NAME["ArticleDetail"]

    first = get_by_id(client, operation)
    etag = first["ETag"]
    second = get_by_id(client, operation, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert first.json()["data"]["article"]["title"] == (
        "Physical Therapy or Personal Training?"
    )
    assert first["Cache-Control"] == "public, max-age=123"
    assert etag == f'"{sha256_hex(first.content.decode())[:40]}"'
    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == etag
    assert second["Cache-Control"] == "public, max-age=123"
    assert_no_cookie(first)
    assert_no_cookie(second)


def test_a_stale_etag_gets_the_full_response(client, demo_content):
    response = get_by_id(client, BY_NAME["HomePage"], HTTP_IF_NONE_MATCH='"stale"')

    assert response.status_code == 200
    assert response.json()["data"]["homePage"]["title"] == "Dynamic Physical Therapy"


def test_a_mutation_is_never_accepted_over_get(client, db):
    # A valid mutation (the schema's one): refused for its method, not its text.
    mutation = (
        'mutation M { submitComment(article: "1", name: "n", body: "b", '
        'formToken: "t") { accepted } }'
    )
    response = client.get(URL, {"query": mutation}, headers={"X-Requested-With": "x"})

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "errors": [
            {
                "message": "Mutations must be sent with POST.",
                "extensions": {"code": "METHOD_NOT_ALLOWED"},
            }
        ]
    }

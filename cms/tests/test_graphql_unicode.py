"""Text that is not valid Unicode is refused where the endpoint reads it.

The hostile corpus (``test_graphql_hostile.py``) puts an unpaired surrogate in
every parameter and header; these tests pin the refusal's exact body, and
check that valid non-ASCII text, and text the endpoint never reads, pass.
"""

import json

import pytest

pytestmark = [pytest.mark.urls("cms.tests.graphql_urls"), pytest.mark.django_db]

URL = "/graphql/"
ECHO = "query($v: String) { echo(value: $v) }"
MESSAGE = (
    "is not valid Unicode: it holds an unpaired surrogate or bytes that are not UTF-8."
)


def post(client, body, **headers):
    return client.post(
        URL, data=json.dumps(body), content_type="application/json", **headers
    )


def refusal(where: str) -> dict:
    return {
        "errors": [
            {"message": f"{where} {MESSAGE}", "extensions": {"code": "INVALID_UNICODE"}}
        ]
    }


def test_the_refusal_names_the_parameter(client):
    response = post(client, {"query": ECHO, "variables": {"v": ["ok", "\udfff"]}})

    assert response.status_code == 400
    assert response.json() == refusal("The `variables` parameter")
    assert response["Cache-Control"] == "no-store"


def test_the_refusal_names_the_header(client):
    response = post(client, {"query": ECHO}, HTTP_X_PREVIEW_TOKEN="t\xed\xa0\x80")

    assert response.status_code == 400
    assert response.json() == refusal("The X-Preview-Token header")


def test_a_get_refusal_names_the_parameter(client):
    response = client.get(f"{URL}?query=%7B__typename%7D&operationName=%ED%B0%80")

    assert response.status_code == 400
    assert response.json() == refusal("The `operationName` parameter")


def test_an_unreadable_query_string_is_refused_not_replaced(client):
    # Django's request.GET would turn the bytes into U+FFFD and echo that back.
    response = client.get(f"{URL}?query=%7Becho(value%3A%22%FF%22)%7D")

    assert response.status_code == 400
    assert response.json() == refusal("The `query` parameter")


def test_valid_non_ascii_text_passes_everywhere(client):
    text = "é ✓ 😀"
    escaped = json.dumps({"v": text})  # ASCII, with a surrogate pair escape
    by_post = client.post(
        URL,
        data=json.dumps({"query": ECHO, "variables": {"v": text}}, ensure_ascii=False),
        content_type="application/json",
        HTTP_X_PREVIEW_TOKEN="é".encode().decode("latin-1"),
        HTTP_X_API_KEY="ключ".encode().decode("latin-1"),
    )
    by_escape = post(client, {"query": ECHO, "variables": {"v": text}})
    by_get = client.get(URL, {"query": ECHO, "variables": escaped})

    for response in (by_post, by_escape, by_get):
        assert response.status_code == 200, response.content
        assert response.json() == {"data": {"echo": text}}


def test_text_the_endpoint_does_not_read_is_not_checked(client):
    by_post = post(client, {"query": "{ __typename }", "note": "\ud800"})
    by_get = client.get(f"{URL}?query=%7B__typename%7D&utm=%ED%A0%80")
    by_header = post(client, {"query": "{ __typename }"}, HTTP_X_OTHER="\xed\xa0\x80")

    for response in (by_post, by_get, by_header):
        assert response.status_code == 200, response.content
        assert response.json() == {"data": {"__typename": "Query"}}


def test_get_parameters_keep_the_last_value_as_request_get_does(client):
    response = client.get(f"{URL}?query=nonsense&query=%7B__typename%7D")

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}

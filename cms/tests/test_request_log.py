"""One JSON line per request: its fields, the request id, and what it never holds.

The logging configuration is the one the settings build for ``LOG_FORMAT=json``
(``cms.settings.logs.logging_config``), applied with ``dictConfig`` as Django
does; its console handler writes to a buffer instead of standard error.
"""

import json
import re
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User

from cms.tests.test_logging_json import records
from cms.tests.test_metrics import CATALOGUE
from cms.tests.test_preview_graphql import ARTICLE, draft_token, publish
from content.articles.factories import ArticlePageFactory, BlogIndexPageFactory
from home.demo import load_site

pytestmark = pytest.mark.django_db

FIELDS = [
    "timestamp",
    "level",
    "logger",
    "message",
    "request_id",
    "method",
    "path",
    "route",
    "status",
    "duration_ms",
    "sql_queries",
    "operation",
    "cache",
    "client",
]


@pytest.fixture
def live_article(db):
    blog = BlogIndexPageFactory(parent=load_site(StringIO()))
    return publish(ArticlePageFactory(parent=blog, title="Live title", slug="a"))


HEX32 = re.compile(r"[0-9a-f]{32}")
HEX16 = re.compile(r"[0-9a-f]{16}")


def request_lines(buffer) -> list[dict]:
    return [r for r in records(buffer) if r["logger"] == "cms.request"]


def get_graphql(client, query: str, **extra):
    return client.get("/graphql/?" + urlencode({"query": query}), **extra)


def test_a_graphql_request_writes_one_line_with_every_field(client, json_log):
    response = get_graphql(client, CATALOGUE, HTTP_X_REQUEST_ID="edge-7f3a.1")
    assert response.status_code == 200
    assert response["X-Request-Id"] == "edge-7f3a.1"

    (line,) = records(json_log)
    assert list(line) == FIELDS
    assert line["level"] == "INFO"
    assert line["logger"] == "cms.request"
    assert line["message"] == "GET /graphql/ 200"
    assert line["request_id"] == "edge-7f3a.1"
    assert (line["method"], line["path"], line["route"]) == (
        "GET",
        "/graphql/",
        "graphql",
    )
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    # No credentials: the count query, plus the four reads of the next
    # scheduled change that bound max-age (cms.graphql.horizon; with the
    # response cache off there is no generation to keep them for).
    assert line["sql_queries"] == 5
    assert line["operation"] == "CredentialCatalogue"
    assert line["cache"] == "bypass"
    assert HEX16.fullmatch(line["client"])


def test_the_cache_status_and_operation_of_a_hit_are_logged(client, json_log, settings):
    settings.GRAPHQL_RESPONSE_CACHE = True
    get_graphql(client, CATALOGUE)
    get_graphql(client, CATALOGUE)
    miss, hit = request_lines(json_log)
    assert (miss["cache"], hit["cache"]) == ("miss", "hit")
    assert (miss["operation"], hit["operation"]) == ("CredentialCatalogue",) * 2
    # The generation lives in the database with a per-process cache.
    assert hit["sql_queries"] == 1


def test_a_hit_learns_the_operation_name_of_a_query_it_never_ran(
    client, json_log, settings
):
    from cms import request_log

    settings.GRAPHQL_RESPONSE_CACHE = True
    get_graphql(client, "query OnlyCachedHere { __typename }")
    request_log.operation_names.names.clear()
    get_graphql(client, "query OnlyCachedHere { __typename }")
    first, second = request_lines(json_log)
    assert second["cache"] == "hit"
    assert second["operation"] == "OnlyCachedHere"


def test_a_non_graphql_request_has_no_operation_or_cache(client, json_log):
    response = client.get("/healthz")
    (line,) = request_lines(json_log)
    assert HEX32.fullmatch(line["request_id"])
    assert response["X-Request-Id"] == line["request_id"]
    assert (line["route"], line["status"], line["sql_queries"]) == ("healthz", 200, 0)
    assert (line["operation"], line["cache"]) == (None, None)


@pytest.mark.parametrize(
    "header",
    ["has space", "x" * 129, "line\nbreak", 'quote"', "é"],
)
def test_an_unusable_request_id_is_replaced(client, json_log, header):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=header)
    (line,) = request_lines(json_log)
    assert HEX32.fullmatch(line["request_id"])
    assert response["X-Request-Id"] == line["request_id"]


def test_a_refused_request_is_logged_without_an_operation(client, json_log):
    response = client.post("/graphql/", "x", content_type="text/plain")
    assert response.status_code == 415
    (line,) = request_lines(json_log)
    assert (line["status"], line["operation"], line["cache"]) == (415, None, None)


def test_the_client_hash_is_keyed_and_stable(client, json_log, settings):
    for address in ("192.0.2.10", "192.0.2.10", "192.0.2.11"):
        client.get("/healthz", REMOTE_ADDR=address)
    first, again, other = (line["client"] for line in request_lines(json_log))
    assert first == again
    assert first != other
    settings.SECRET_KEY = "another-secret-key-" + "k" * 40
    client.get("/healthz", REMOTE_ADDR="192.0.2.10")
    assert request_lines(json_log)[-1]["client"] != first


def test_no_personal_data_token_or_api_key_reaches_the_logs(
    client,
    json_log,
    settings,
    live_article,
):
    api_key = "api-key-Zq81NfLw0Hc4"
    settings.GRAPHQL_API_KEYS = [api_key]
    address = "203.0.113.77"
    email = "patient.jane.doe@example.org"
    password = "Pa55word-never-logged"
    token = draft_token(live_article, title="Draft title")
    User.objects.create_user("jane", email=email, password="right-password")

    # A preview with a real token, an API key and an e-mail in the variables.
    response = client.post(
        "/graphql/",
        json.dumps({"query": ARTICLE, "variables": {"slug": "a", "note": email}}),
        content_type="application/json",
        HTTP_X_PREVIEW_TOKEN=token,
        HTTP_X_API_KEY=api_key,
        REMOTE_ADDR=address,
    )
    assert response.status_code == 200
    # GET: the variables and a token in the query string.
    query_string = urlencode(
        {"query": ARTICLE, "variables": json.dumps({"slug": email}), "token": token}
    )
    assert (
        client.get(f"/graphql/?{query_string}", REMOTE_ADDR=address).status_code == 200
    )
    # A failed admin sign-in with the user's e-mail and a password.
    login = client.post(
        "/admin/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )
    assert login.status_code == 200

    output = json_log.getvalue()
    assert len(request_lines(json_log)) == 3
    for secret in (api_key, token, email, password, address, "note", "slug"):
        assert secret not in output
    # Quoted forms too (percent- or JSON-encoded).
    assert "jane.doe" not in output
    assert "203.0.113" not in output

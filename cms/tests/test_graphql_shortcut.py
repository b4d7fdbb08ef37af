"""The GraphQL endpoint skips the admin's and the site's middleware
(``cms.graphql.shortcut``)."""

import logging

import pytest
from django.template import engines
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db

SEEN: list[str] = []


class Recorder:
    """Installed last: sees what reaches the bottom of MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        SEEN.append(request.path)
        return self.get_response(request)


@pytest.fixture
def recorder(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.Recorder"]
    SEEN.clear()
    return SEEN


def test_the_endpoint_skips_the_inner_middleware(recorder, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="cms.request"):
        response = client.post(
            "/graphql/", {"query": "{ apiVersion }"}, content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json()["data"]["apiVersion"]
    assert recorder == []
    # Routed as URL resolution would have: the request log and the metrics
    # label it with the endpoint's route.
    (record,) = [r for r in caplog.records if r.name == "cms.request"]
    assert record.route == "graphql"
    # What the skipped middleware would have added, the view adds.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Accept" in response["Vary"]
    assert response["Content-Length"] == str(len(response.content))
    assert not response.cookies


def test_other_paths_keep_the_whole_chain(recorder):
    client = Client()
    assert client.get("/healthz").status_code == 200
    # No slash: CommonMiddleware's redirect, below the shortcut, still runs.
    response = client.get("/graphql", {"query": "{ apiVersion }"})
    assert response.status_code == 301
    assert response["Location"].startswith("/graphql/")
    assert recorder == ["/healthz", "/graphql"]


def test_a_session_cookie_is_neither_read_nor_written(recorder):
    client = Client()
    client.cookies["sessionid"] = "not-a-session"
    client.cookies["csrftoken"] = "malformed"
    response = client.post(
        "/graphql/", {"query": "{ apiVersion }"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert not response.cookies
    assert recorder == []


def _template_view(request):
    from django.template.response import SimpleTemplateResponse

    template = engines["django"].from_string("rendered {{ n }}")
    return SimpleTemplateResponse(template, {"n": 1})


urlpatterns = [path("graphql/", _template_view, name="graphql")]


def test_a_response_left_to_render_is_rendered(settings, recorder):
    """As Django's handler does for a TemplateResponse."""
    settings.ROOT_URLCONF = __name__
    response = Client().get("/graphql/")
    assert response.content == b"rendered 1"
    assert recorder == []


def test_a_host_outside_allowed_hosts_is_a_400_not_an_error(settings, caplog):
    """CommonMiddleware checked the host before any view; the shortcut
    skips it, so it checks it itself (the view's catch-all made it a 500)."""
    settings.ALLOWED_HOSTS = ["api.example.org"]
    with caplog.at_level(logging.ERROR, logger="cms.graphql"):
        response = Client().post(
            "/graphql/",
            {"query": "{ apiVersion }"},
            content_type="application/json",
            HTTP_HOST="evil.example.com",
        )
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.name == "cms.graphql"]

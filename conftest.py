"""Fixtures shared by every app's tests."""

import json
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

pytest_plugins = ["cms.tests.e2e_support", "cms.tests.s3_support"]

GRAPHQL_URL = "/graphql/"


@pytest.fixture(autouse=True)
def _isolated_cache():
    from cms.selectors import forget_snapshot

    cache.clear()
    forget_snapshot()
    yield
    cache.clear()
    forget_snapshot()


@pytest.fixture(autouse=True)
def _rows_migrations_made(request):
    """Each transactional test flushes every table when it ends, the rows
    Wagtail's migrations made included; the next transactional test in the
    same process gets the root collection back (the root page and the
    default locale come with ``home.demo.load_site``)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def public_visibility_cache(settings, db):
    """The production visibility snapshot (the test settings switch it off),
    with the test's own transaction counted as autocommit, as in production."""
    from cms.selectors import forget_snapshot, outer_transaction_ignored

    settings.PUBLIC_VISIBILITY_CACHE = True
    forget_snapshot()
    with outer_transaction_ignored():
        yield
    forget_snapshot()


@pytest.fixture(scope="session", autouse=True)
def _clean_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


class GraphQLClient:
    """Sends requests to the real /graphql/ URL through Django's test client."""

    def __init__(self, client):
        self.client = client

    def raw(
        self,
        method: str = "POST",
        body=None,
        *,
        params: dict | None = None,
        query_string: str | None = None,
        headers: dict | None = None,
        content_type: str = "application/json",
        **extra,
    ):
        """One HTTP request to the endpoint, sent as given; the response.

        ``body``: a dict or list goes as JSON, a str or bytes as is, None as
        no body. ``params`` (a dict) or ``query_string`` (sent verbatim) make
        the query string. ``headers`` by name (``{"Accept": ...}``; a None
        value sends no header); ``extra`` as the test client takes it
        (``HTTP_...``, ``REMOTE_ADDR``).
        """
        path = GRAPHQL_URL if query_string is None else f"{GRAPHQL_URL}?{query_string}"
        headers = {k: v for k, v in (headers or {}).items() if v is not None}
        kwargs = {"headers": headers, "query_params": params, **extra}
        if body is not None:
            if isinstance(body, dict | list):
                body = json.dumps(body)
            kwargs.update(data=body, content_type=content_type)
        return getattr(self.client, method.lower())(path, **kwargs)

    def post(self, query, variables=None, *, operation_name=None, **extra):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        if operation_name:
            body["operationName"] = operation_name
        return self.raw("POST", body, **extra)

    def execute(self, query, variables=None, **extra) -> dict:
        """Run a query and return the full JSON body (errors included)."""
        response = self.post(query, variables, **extra)
        assert response["Content-Type"].startswith("application/json"), response
        return response.json()

    def data(self, query, variables=None, **extra) -> dict:
        """Run a query, fail the test on any GraphQL error, return ``data``."""
        body = self.execute(query, variables, **extra)
        assert "errors" not in body, json.dumps(body["errors"], indent=2)
        return body["data"]

    def error_codes(self, query, variables=None, **extra) -> list[str]:
        body = self.execute(query, variables, **extra)
        assert body.get("errors"), f"expected errors, got {body}"
        return [e.get("extensions", {}).get("code") for e in body["errors"]]


@pytest.fixture
def gql(client):
    return GraphQLClient(client)


@pytest.fixture
def csrf_checking_gql():
    """A client that enforces CSRF checks, as a browser's cross-site post is."""
    from django.test import Client

    return GraphQLClient(Client(enforce_csrf_checks=True))


@pytest.fixture
def home(db):
    """The demo site's home page, as the default site's root."""
    from home.demo import load_site

    return load_site(StringIO())


@pytest.fixture
def blog(home):
    """A blog index under the home page."""
    from wagtail.models import Site

    from content.articles.factories import BlogIndexPageFactory

    index = BlogIndexPageFactory(parent=home)
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    return index


@pytest.fixture
def editor(db):
    """A user in the Editors group, the editorial groups made first."""
    from django.contrib.auth.models import Group, User

    from cms.editorial import ensure_groups

    ensure_groups(StringIO())
    user = User.objects.create_user("editor", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    """The test client, signed in as ``editor``."""
    client.force_login(editor)
    return client


@pytest.fixture
def demo_content(db, settings, tmp_path):
    """The demo content, loaded by ``load_demo_content``. Its own media
    folder: xdist workers share .pytest-media, and the first to finish
    deletes it while another still renders demo images."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo_content", stdout=StringIO())

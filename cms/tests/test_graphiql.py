"""GraphiQL is served from the project's own static files under a strict CSP.

The browser half (the page runs a query offline) is test_e2e_graphiql.py.
"""

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

URL = "/graphql/"
VENDOR = Path(__file__).resolve().parents[1] / "static" / "graphiql" / "vendor"
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='; "
    "img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ASSETS = [
    "/static/graphiql/vendor/graphiql.min.css",
    "/static/graphiql/page.css",
    "/static/graphiql/vendor/react.production.min.js",
    "/static/graphiql/vendor/react-dom.production.min.js",
    "/static/graphiql/vendor/graphiql.min.js",
    "/static/graphiql/init.js",
]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.root, self.inline = [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "href") if name in attrs]
        if attrs.get("id") == "graphiql":
            self.root = attrs
        if tag == "style" or (tag == "script" and "src" not in attrs):
            self.inline.append(tag)
        if "style" in attrs or any(name.startswith("on") for name in attrs):
            self.inline.append(f"{tag} attribute")


@pytest.fixture
def debug_mode(settings):
    settings.DEBUG = True
    settings.GRAPHQL_INTROSPECTION = True
    settings.GRAPHQL_EXPOSE_GRAPHIQL = True


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def test_graphiql_page_loads_only_the_projects_own_static_files(client, debug_mode):
    response = client.get(URL, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    page = parse(response)
    assert page.urls == ASSETS
    assert page.inline == []
    assert re.findall(rb"(?:https?:)?//", response.content) == []
    for url in ASSETS:
        assert finders.find(url.removeprefix("/static/")) is not None, url


def test_graphiql_page_names_the_endpoint_and_an_example_headers_editor(
    client, debug_mode
):
    root = parse(client.get(URL, HTTP_ACCEPT="text/html")).root

    assert root["data-endpoint"] == URL
    assert json.loads(root["data-default-headers"]) == {
        "X-Preview-Token": "",
        "X-Api-Key": "",
    }
    assert root["data-default-query"].endswith("{\n  apiVersion\n}\n")


def test_production_mode_answers_json_even_when_graphiql_is_enabled(client, settings):
    settings.GRAPHQL_EXPOSE_GRAPHIQL = True
    for debug, introspection in ((False, True), (True, False)):
        settings.DEBUG = debug
        settings.GRAPHQL_INTROSPECTION = introspection

        response = client.get(URL, HTTP_ACCEPT="text/html")

        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response["Content-Security-Policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_raw_or_a_query_gets_json_in_debug_mode(client, debug_mode):
    raw = client.get(URL, {"raw": ""}, HTTP_ACCEPT="text/html")
    query = client.get(URL, {"query": "{ apiVersion }"}, HTTP_ACCEPT="text/html")

    assert raw.status_code == 400
    assert raw["Content-Type"] == "application/json"
    assert query.status_code == 200
    assert query.json() == {"data": {"apiVersion": "1.0.0"}}


def test_vendored_graphiql_files_match_their_manifest():
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    on_disk = {
        path.relative_to(VENDOR).as_posix()
        for path in VENDOR.rglob("*")
        if path.is_file()
    }

    assert manifest["packages"] == {
        "graphiql": "3.8.3",
        "react": "18.3.1",
        "react-dom": "18.3.1",
    }
    assert on_disk == set(manifest["files"]) | {"MANIFEST.json", "README.md"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest


def test_vendored_stylesheet_points_only_at_vendored_files():
    css = (VENDOR / "graphiql.min.css").read_text()
    urls = re.findall(r"url\(([^)]*)\)", css)

    assert len(urls) == 39
    assert [url for url in urls if not (VENDOR / url).is_file()] == []
    assert "data:" not in css
    assert "sourceMappingURL" not in css

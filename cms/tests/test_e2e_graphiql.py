"""Browser test: GraphiQL works from the project's own files, offline.

Every request that is not for the live server is aborted and recorded, so a
page that still needed a CDN would stay blank and fail here.
"""

import base64
import hashlib
from urllib.parse import urlsplit

import pytest

from cms.graphql.graphiql import CSP, SCROLL_LOCK_STYLE_HASH

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUERY = "{ apiVersion }"
# Recorded in the page before any of its scripts run.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " " + (event.blockedURI || "inline")
  );
});
"""


@pytest.fixture
def debug_mode(settings):
    settings.DEBUG = True
    settings.GRAPHQL_INTROSPECTION = True
    settings.GRAPHQL_EXPOSE_GRAPHIQL = True


def test_graphiql_runs_a_query_offline_under_a_self_only_csp(
    page, live_server, debug_mode
):
    origin = urlsplit(live_server.url)
    outside, requests, console = [], [], []

    def route(route):
        url = urlsplit(route.request.url)
        if (url.scheme, url.netloc) == (origin.scheme, origin.netloc):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", route)
    page.on("request", lambda request: requests.append(request.url))
    posts = []
    page.on(
        "response",
        lambda r: (
            r.request.method == "POST"
            and posts.append((r.request.post_data_json.get("operationName"), r.status))
        ),
    )
    page.on("console", lambda message: console.append(message.text))
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.add_init_script(CSP_LISTENER)

    response = page.goto(f"{live_server.url}/graphql/")
    assert response.status == 200
    assert response.headers["content-security-policy"] == CSP
    page.wait_for_selector(".graphiql-container")
    # The schema arrives by introspection: the docs button turns usable.
    page.wait_for_selector(".graphiql-query-editor .CodeMirror")
    page.steps.shot("loaded")

    headers_tab = page.locator(".graphiql-editor-tools button[data-name=headers]")
    assert headers_tab.inner_text() == "Headers"
    assert headers_tab.get_attribute("class") == "graphiql-un-styled active"
    headers_editor = page.locator(
        "section.graphiql-editor-tool[aria-label=Headers]"
        " .graphiql-editor:not(.hidden) .CodeMirror"
    )
    assert headers_editor.count() == 1
    assert set_editor(page, headers_editor, None) == (
        '{\n  "X-Preview-Token": "",\n  "X-Api-Key": ""\n}'
    )

    # A modal dialog inserts GraphiQL's one inline stylesheet: the CSP's hash.
    page.locator("button[aria-label='Open settings dialog']").click()
    page.get_by_role("dialog").wait_for()
    inserted = page.evaluate(
        "Array.from(document.querySelectorAll('style'), s => s.textContent)"
    )
    assert [sha256_source(text) for text in inserted] == [SCROLL_LOCK_STYLE_HASH]
    page.steps.shot("settings-dialog")
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="detached")

    set_editor(page, page.locator(".graphiql-query-editor .CodeMirror"), QUERY)
    set_editor(page, headers_editor, '{"X-Api-Key": "graphiql-e2e"}')
    with page.expect_request(is_query_post) as sent:
        page.locator("button.graphiql-execute-button").click()
    result = page.locator(".graphiql-response .CodeMirror")
    result.filter(has_text='"apiVersion": "1.0.0"').wait_for()
    page.steps.shot("answered")

    assert result.inner_text().count('"apiVersion": "1.0.0"') == 1
    headers = sent.value.headers
    assert headers["content-type"] == "application/json"
    assert headers["x-requested-with"] == "GraphiQL"
    assert headers["x-api-key"] == "graphiql-e2e"
    assert "x-preview-token" not in headers
    assert posts == [("IntrospectionQuery", 200), (None, 200)]
    assert outside == []
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    assert page.evaluate("window.__cspViolations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
    assert page_errors == []


def sha256_source(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def is_query_post(request) -> bool:
    return request.method == "POST" and request.post_data_json["query"] == QUERY


def set_editor(page, editor, value):
    """Sets a CodeMirror editor's text (None: leaves it); returns the text."""
    return editor.evaluate(
        "(node, value) => { if (value !== null) node.CodeMirror.setValue(value);"
        " return node.CodeMirror.getValue(); }",
        value,
    )

"""GraphiQL served from the project's own static files (never a CDN).

The browser build (GraphiQL, React, ReactDOM) is vendored in
``cms/static/graphiql/vendor/`` by ``make graphiql-assets``; the page's start-up
code is ``cms/static/graphiql/init.js``. The page carries no inline script or
style, so it runs under a policy that allows only its own origin (and the
one stylesheet GraphiQL inserts itself, by hash: see ``CSP``).
"""

import json

from django.http import HttpResponse
from django.template.loader import render_to_string

from cms.graphql.config import graphql_settings

TEMPLATE = "cms/graphiql.html"
# The one relaxation, measured in Chromium: GraphiQL's dialogs (settings,
# short keys) are Radix modals, and while one is open react-remove-scroll-bar
# (bundled in graphiql.min.js) appends a <style> that locks the body's scroll.
# On this page its text is fixed, every measured size being 0px (page.css:
# no body margin, <html> never scrolls), so that exact text is allowed by
# hash instead of 'unsafe-inline'. Any other text (a new GraphiQL build,
# zoom rounding a gap to 1px) is blocked, which changes nothing visible: the
# page cannot scroll anyway. The browser test opens a dialog and checks it.
SCROLL_LOCK_STYLE_HASH = "'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='"
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        f"style-src 'self' {SCROLL_LOCK_STYLE_HASH}",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# The headers editor must hold valid JSON; init.js drops empty values, so this
# example sends nothing until a value is filled in.
DEFAULT_HEADERS = json.dumps({"X-Preview-Token": "", "X-Api-Key": ""}, indent=2)
DEFAULT_QUERY = """\
# Headers tab below: X-Preview-Token (drafts),
# X-Api-Key (rate limits). Empty values are not sent.
{
  apiVersion
}
"""


def is_wanted(request, *, enabled: bool, wants_html: bool) -> bool:
    """A browser's plain GET of the endpoint, outside production mode."""
    return (
        enabled
        and not graphql_settings().production
        and "raw" not in request.GET
        and wants_html
        and not request.GET.get("query")
        and not request.GET.get("id")
    )


def page(request) -> HttpResponse:
    html = render_to_string(
        TEMPLATE,
        {
            "endpoint": request.path,
            "default_headers": DEFAULT_HEADERS,
            "default_query": DEFAULT_QUERY,
        },
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = CSP
    response["Cache-Control"] = "no-store"
    return response

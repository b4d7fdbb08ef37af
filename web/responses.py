"""What every page of the site shares: the response headers, the layout,
the error pages, and reading and checking request parameters."""

import contextlib
import functools
import math
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from web import api

MAX_PAGE = 10_000
SLUG = re.compile(r"^[-\w]{1,255}$")


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


# --- response plumbing ------------------------------------------------------------


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def frame_ancestors() -> str:
    """The admin (same origin, or WAGTAILADMIN_BASE_URL's) may frame the site."""
    sources = ["'self'"]
    admin = _origin(getattr(settings, "WAGTAILADMIN_BASE_URL", ""))
    if admin:
        sources.append(admin)
    if settings.DEBUG:
        # make run: the admin may be open as localhost or 127.0.0.1, any port.
        sources += ["http://localhost:*", "http://127.0.0.1:*"]
    return " ".join(dict.fromkeys(sources))


def finish(response, *, private=False, personal=False):
    # The preview panel frames these pages; nobody else may.
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = (
        f"frame-ancestors {frame_ancestors()}; object-src 'none'; base-uri 'self'"
    )
    if private:
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    elif personal:
        # Public content with something for this reader alone (a single-use
        # comment form token): no shared cache may keep it.
        response["Cache-Control"] = "private, no-store"
    elif response.status_code == 200:
        max_age = int(getattr(settings, "GRAPHQL_CACHE_MAX_AGE", 60))
        response["Cache-Control"] = f"public, max-age={max_age}"
    else:
        response["Cache-Control"] = "no-store"
    return response


def site_layout(request) -> dict:
    result = api.run(request, "OrganisationSettings")
    return {"org": result.data.get("organisationSettings") or {}}


def page(request, template, context, *, status=200, private=False, personal=False):
    context = {**site_layout(request), **context}
    response = render(request, template, context, status=status)
    return finish(response, private=private, personal=personal)


def message(request, status, title, text, *, private=False, layout=True):
    context = {"title": title, "text": text, "status": status}
    if layout:
        with contextlib.suppress(api.ApiUnavailable):
            context.update(site_layout(request))
    response = render(request, "web/message.html", context, status=status)
    return finish(response, private=private)


def site_page(view, methods=None):
    """GET/HEAD only; API failures and bad input become clear 503/400/404 pages."""

    # No form here carries a CSRF token: a POST gets 405, not a CSRF 403. The
    # comment form (``methods`` with POST) checks its origin instead.
    @csrf_exempt
    @(require_http_methods(methods) if methods else require_safe)
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return message(request, 400, "That request did not work", str(error))
        except NotFound as error:
            return message(request, 404, "Page not found", str(error))
        except api.ApiUnavailable:
            response = message(
                request,
                503,
                "Content is unavailable",
                "The content service is not answering right now. "
                "Please try again in a minute.",
                layout=False,
            )
            response["Retry-After"] = "30"
            return response

    return wrapper


def typed(value):
    """``__typename`` also as ``typename``: templates cannot read underscores."""
    if isinstance(value, dict):
        if "__typename" in value:
            value["typename"] = value["__typename"]
        for item in value.values():
            typed(item)
    elif isinstance(value, list):
        for item in value:
            typed(item)
    return value


def checked(result: api.Result) -> dict:
    problem = result.client_error()
    if problem:
        raise BadRequest(problem)
    return typed(result.data)


def page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"“{raw[:20]}” is not a page number.")
    return int(raw)


def slug_param(request, name) -> str | None:
    value = request.GET.get(name) or None
    if value is not None and not SLUG.match(value):
        raise BadRequest(f"“{value[:40]}” is not a valid {name}.")
    return value


def pagination(request, number, total, per_page) -> dict:
    pages = max(math.ceil(total / per_page), 1)

    def link(n):
        query = request.GET.copy()
        query["page"] = str(n)
        return "?" + query.urlencode()

    return {
        "number": number,
        "pages": pages,
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < pages else None,
    }

"""Template filters that turn API values into this site's links and media."""

import re

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from web import api

register = template.Library()


def _site_root() -> str:
    return reverse("web:home").rstrip("/")


def _frontend() -> str:
    return getattr(settings, "FRONTEND_BASE_URL", "").rstrip("/")


@register.filter
def local_url(url: str | None) -> str:
    """An API page URL (``FRONTEND_BASE_URL`` + path) as a path on this site."""
    url = url or ""
    frontend = _frontend()
    if frontend and (url == frontend or url.startswith(frontend + "/")):
        return _site_root() + (url[len(frontend) :] or "/")
    return url


def _media_origin() -> str:
    return api.media_origin()


@register.filter
def media(url: str | None) -> str:
    """Root-relative media URLs live on the API's server."""
    url = url or ""
    if url.startswith("/") and not url.startswith("//"):
        return _media_origin() + url
    return url


@register.filter
def media_srcset(srcset: str | None) -> str:
    return ", ".join(media(part.strip()) for part in (srcset or "").split(", ") if part)


@register.filter
def richtext(html: str | None):
    """Editor HTML from the API (Wagtail's sanitised rich text), links made local."""
    html = html or ""
    frontend = _frontend()
    if frontend:
        html = re.sub(
            r'href="' + re.escape(frontend) + r'(/[^"]*)?"',
            lambda m: f'href="{_site_root()}{m.group(1) or "/"}"',
            html,
        )
    origin = _media_origin()
    if origin:
        html = re.sub(r'src="(/[^/"][^"]*)"', rf'src="{origin}\1"', html)
    # Wagtail renders rich text from its own feature allowlist.
    return mark_safe(html)


@register.filter
def excerpt(html: str | None):
    """Search excerpts: HTML-escaped text with <mark> around the matched words."""
    # The API escapes the text itself (schema: SearchHit.excerpt).
    return mark_safe(html or "")


@register.filter
def label(value: str | None) -> str:
    """An enum value as words: IN_PERSON -> In person."""
    return (value or "").replace("_", " ").capitalize()


@register.simple_tag(takes_context=True)
def toggle_query(context, **params) -> str:
    """The current query string with ``params`` replaced (page reset)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in params.items():
        query[key] = value
    return "?" + query.urlencode()

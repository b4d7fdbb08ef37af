"""Rich text for the API: HTML with frontend links, and plain text.

Internal page links point at the frontend (``FRONTEND_BASE_URL`` + path) only
when the target is live and public; links to drafts or private pages are
rendered as their plain text so unpublished URLs never leak.
"""

import html
import re

from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from cms.graphql.interfaces import frontend_url

PAGE_LINK = re.compile(
    r"<a\s+(?P<attrs>[^>]*\blinktype=\"page\"[^>]*)>(?P<text>.*?)</a>", re.DOTALL
)
LINK_ID = re.compile(r"\bid=\"(\d+)\"")
BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


class PageLinkResolver:
    """Per-request cache of page id -> public frontend URL (or None)."""

    def __init__(self):
        self.urls: dict[int, str | None] = {}

    def prime(self, ids) -> None:
        missing = {int(i) for i in ids} - self.urls.keys()
        if not missing:
            return
        for page in Page.objects.live().public().filter(id__in=missing):
            self.urls[page.id] = frontend_url(page)
        for page_id in missing:
            self.urls.setdefault(page_id, None)

    def url(self, page_id) -> str | None:
        self.prime([page_id])
        return self.urls[int(page_id)]


def link_resolver(info) -> PageLinkResolver:
    context = info.context if info is not None else None
    resolver = getattr(context, "_content_link_resolver", None)
    if resolver is None:
        resolver = PageLinkResolver()
        if context is not None:
            context._content_link_resolver = resolver
    return resolver


def page_link_ids(source: str) -> list[int]:
    return [
        int(match.group(1))
        for anchor in PAGE_LINK.finditer(source or "")
        if (match := LINK_ID.search(anchor.group("attrs")))
    ]


def render_html(source: str, info) -> str:
    if not source:
        return ""
    resolver = link_resolver(info)
    resolver.prime(page_link_ids(source))

    def replace(anchor):
        match = LINK_ID.search(anchor.group("attrs"))
        url = resolver.url(match.group(1)) if match else None
        if url is None:
            return anchor.group("text")
        return f'<a href="{html.escape(url)}">{anchor.group("text")}</a>'

    return expand_db_html(PAGE_LINK.sub(replace, source))


def html_to_text(source: str) -> str:
    """Plain text: one paragraph per line break pair, inner whitespace collapsed."""
    if not source:
        return ""
    marked = BLOCK_END.sub("\n", source)
    text = html.unescape(TAG.sub("", marked))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line)

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
from cms.selectors import is_public_media, public_pages

PAGE_LINK = re.compile(
    r"<a\s+(?P<attrs>[^>]*\blinktype=\"page\"[^>]*)>(?P<text>.*?)</a>", re.DOTALL
)
DOCUMENT_LINK = re.compile(
    r"<a\s+(?P<attrs>[^>]*\blinktype=\"document\"[^>]*)>(?P<text>.*?)</a>", re.DOTALL
)
IMAGE_EMBED = re.compile(
    r"<embed\s+(?P<attrs>[^>]*\bembedtype=\"image\"[^>]*)/?>", re.DOTALL
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
        # public_pages: also no expired pages, none under a hidden parent.
        for page in public_pages(Page.objects).filter(id__in=missing):
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

    source = PAGE_LINK.sub(replace, source)
    return expand_db_html(_without_private_media(source, info))


def _ids(pattern, source: str) -> set[int]:
    return {
        int(match.group(1))
        for found in pattern.finditer(source)
        if (match := LINK_ID.search(found.group("attrs")))
    }


def _public_ids(model, ids: set[int], info) -> set[int]:
    if not ids:
        return set()
    context = info.context if info is not None else None
    return {
        obj.pk
        for obj in model.objects.filter(pk__in=ids).only("pk", "collection_id")
        if is_public_media(obj, context)
    }


def _without_private_media(source: str, info) -> str:
    """Drop links to documents and embedded images that are not public.

    The editor features do not offer document links or images, but
    expand_db_html renders every registered link and embed type, so stored
    HTML (imports, the API) could still point at a private collection.
    """
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    document_ids = _ids(DOCUMENT_LINK, source)
    image_ids = _ids(IMAGE_EMBED, source)
    if not document_ids and not image_ids:
        return source
    public_documents = _public_ids(get_document_model(), document_ids, info)
    public_images = _public_ids(get_image_model(), image_ids, info)

    def keep(found, public) -> bool:
        match = LINK_ID.search(found.group("attrs"))
        return bool(match) and int(match.group(1)) in public

    source = DOCUMENT_LINK.sub(
        lambda a: a.group(0) if keep(a, public_documents) else a.group("text"),
        source,
    )
    return IMAGE_EMBED.sub(
        lambda e: e.group(0) if keep(e, public_images) else "", source
    )


def html_to_text(source: str) -> str:
    """Plain text: one paragraph per line break pair, inner whitespace collapsed."""
    if not source:
        return ""
    marked = BLOCK_END.sub("\n", source)
    text = html.unescape(TAG.sub("", marked))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line)

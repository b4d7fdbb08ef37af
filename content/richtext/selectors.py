"""Rich text as the public may read it: HTML with frontend links, and plain text.

Internal page links point at the frontend (``FRONTEND_BASE_URL`` + path) only
when the target is live and public; links to drafts or private pages are
rendered as their plain text so unpublished URLs never leak.
"""

import html
import re

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from cms.graphql.context import RequestContext
from cms.selectors import frontend_url, is_public_media, public_pages

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


class LinkResolver:
    """Per-request cache of where rich-text links point: page id -> public
    frontend URL, document id -> public document URL (None: not public).

    ``prime`` looks up every id it has not seen in one query per kind, so a
    resolver primed with a whole body (``prime_sources``) renders every rich
    text in it without further queries.
    """

    def __init__(self, context=None):
        self.context = context
        self.urls: dict[int, str | None] = {}
        self.documents: dict[int, str | None] = {}

    def prime(self, page_ids=(), document_ids=()) -> None:
        missing = {int(i) for i in page_ids} - self.urls.keys()
        if missing:
            # public_pages: also no expired pages, none under a hidden parent.
            for page in public_pages(Page.objects).filter(id__in=missing):
                self.urls[page.id] = frontend_url(page)
            for page_id in missing:
                self.urls.setdefault(page_id, None)
        missing = {int(i) for i in document_ids} - self.documents.keys()
        if missing:
            for document in get_document_model().objects.filter(id__in=missing):
                public = is_public_media(document, self.context)
                self.documents[document.id] = document.url if public else None
            for document_id in missing:
                self.documents.setdefault(document_id, None)

    def url(self, page_id) -> str | None:
        self.prime([page_id])
        return self.urls[int(page_id)]

    def document_url(self, document_id) -> str | None:
        self.prime(document_ids=[document_id])
        return self.documents[int(document_id)]


def link_resolver(info) -> LinkResolver:
    """The request's link resolver (one per GraphQL request, on its context)."""
    context = info.context if info is not None else None
    if not isinstance(context, RequestContext):
        return LinkResolver(context)
    if context.link_resolver is None:
        context.link_resolver = LinkResolver(context)
    return context.link_resolver


def page_link_ids(source: str) -> list[int]:
    return sorted(_ids(PAGE_LINK, source or ""))


def prime_sources(info, sources, page_ids=()) -> None:
    """Look up the targets of every link in ``sources`` (and ``page_ids``) at
    once, before the rich texts among them are rendered one by one."""
    text = "\n".join(sources)
    link_resolver(info).prime(
        [*page_link_ids(text), *page_ids], _ids(DOCUMENT_LINK, text)
    )


def raw_strings(value):
    """Every string in a StreamField's raw data (or any JSON-like value)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from raw_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from raw_strings(item)


def render_html(source: str, info) -> str:
    if not source:
        return ""
    resolver = link_resolver(info)
    resolver.prime(page_link_ids(source), _ids(DOCUMENT_LINK, source))

    def link(anchor, url):
        if url is None:
            return anchor.group("text")
        return f'<a href="{html.escape(url)}">{anchor.group("text")}</a>'

    def page(anchor):
        match = LINK_ID.search(anchor.group("attrs"))
        return link(anchor, resolver.url(match.group(1)) if match else None)

    def document(anchor):
        match = LINK_ID.search(anchor.group("attrs"))
        return link(anchor, resolver.document_url(match.group(1)) if match else None)

    # Page and document links are rewritten here, from the primed lookups
    # (Wagtail's own handlers would query once per rich text).
    source = DOCUMENT_LINK.sub(document, PAGE_LINK.sub(page, source))
    if "linktype=" not in source and "<embed" not in source:
        return source  # nothing left for expand_db_html to rewrite
    return expand_db_html(_without_private_images(source, info))


def _ids(pattern, source: str) -> set[int]:
    return {
        int(match.group(1))
        for found in pattern.finditer(source)
        if (match := LINK_ID.search(found.group("attrs")))
    }


def _without_private_images(source: str, info) -> str:
    """Drop embedded images that are not public.

    The editor features do not offer images in rich text, but expand_db_html
    renders every registered embed type, so stored HTML (imports, the API)
    could still embed one from a private collection.
    """
    image_ids = _ids(IMAGE_EMBED, source)
    if not image_ids:
        return source
    context = info.context if info is not None else None
    public = {
        image.pk
        for image in get_image_model()
        .objects.filter(pk__in=image_ids)
        .only("pk", "collection_id")
        if is_public_media(image, context)
    }

    def keep(embed) -> bool:
        match = LINK_ID.search(embed.group("attrs"))
        return bool(match) and int(match.group(1)) in public

    return IMAGE_EMBED.sub(lambda e: e.group(0) if keep(e) else "", source)


def html_to_text(source: str) -> str:
    """Plain text: one paragraph per line break pair, inner whitespace collapsed."""
    if not source:
        return ""
    marked = BLOCK_END.sub("\n", source)
    text = html.unescape(TAG.sub("", marked))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line)

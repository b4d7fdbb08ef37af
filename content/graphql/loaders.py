"""Batch loading for article lists and details.

A page of articles needs its tags, authors, credentials and image renditions.
Django's per-instance related managers (and taggit's) build a queryset per
article and per relation even when the rows are prefetched, which costs more
than the queries themselves. ``load_articles`` runs one lean query per
relation for the whole page, and only for the fields the query selected, and
stores plain lists on each article (``ArticlePage.graphql_*`` read them).

Query count for any page size: tags 1, authors 1, credentials 1, renditions
1 (hero images, author photos and body images together). Nothing is cached
across requests: every call reads the database.
"""

from collections import defaultdict
from typing import NamedTuple

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    StringValueNode,
    VariableNode,
)
from wagtail.images import get_image_model

from content.graphql.richtext import prime_sources, raw_strings

LOADED = "_api_loaded"
# What callers that cannot see the selection (search hits, the home page's
# featured articles) load: every relation an article card shows.
CARD_FIELDS = frozenset({"tags", "authors", "credentials", "heroImage"})


class TagValue(NamedTuple):
    name: str
    slug: str


def selected_fields(info, *path: str) -> set[str]:
    """Field names selected under the resolved field, then under ``path``.

    Follows fragments and inline fragments; ``selected_fields(info, "items")``
    gives the fields asked for on each item of a page type.
    """
    nodes = [n.selection_set for n in info.field_nodes if n.selection_set]
    for step in path:
        nodes = [
            field.selection_set
            for selection_set in nodes
            for field in _fields(selection_set, info)
            if field.name.value == step and field.selection_set
        ]
    return {
        field.name.value
        for selection_set in nodes
        for field in _fields(selection_set, info)
    }


def _walk(selection_set, info, seen=frozenset()):
    """Every field under ``selection_set``, at any depth, through fragments."""
    for field in _fields(selection_set, info, seen):
        yield field
        if field.selection_set:
            yield from _walk(field.selection_set, info, seen)


def _fields(selection_set, info, seen=frozenset()):
    """The fields of one selection set, through (inline) fragments."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, info, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = info.fragments.get(name)
            # Validation rejects fragment cycles; guard anyway.
            if fragment is not None and name not in seen:
                yield from _fields(fragment.selection_set, info, seen | {name})


def _string_values(node, variables):
    if isinstance(node, VariableNode):
        value = variables.get(node.name.value)
        values = value if isinstance(value, list) else [value]
    elif isinstance(node, ListValueNode):
        values = [
            v.value if isinstance(v, StringValueNode) else None for v in node.values
        ]
    elif isinstance(node, StringValueNode):
        values = [node.value]
    else:
        values = [None]
    return values


def requested_renditions(info) -> set[str] | None:
    """Filter specs of every ``rendition``/``srcset`` under the resolved
    field, or None when one cannot be known before resolving it."""
    specs = set()
    for node in info.field_nodes:
        if not node.selection_set:
            continue
        for field in _walk(node.selection_set, info):
            if field.name.value not in ("rendition", "srcset"):
                continue
            for argument in field.arguments:
                if argument.name.value in ("filter", "filters"):
                    values = _string_values(argument.value, info.variable_values)
                    if any(not isinstance(v, str) for v in values):
                        return None
                    specs.update(values)
    return specs


def loaded(article, name: str):
    """What ``load_articles`` stored for ``name``, or None if it did not."""
    return getattr(article, LOADED, {}).get(name)


def load_articles(
    articles: list, fields: set[str], renditions: set[str] | None = None, info=None
) -> None:
    """Load the relations ``fields`` asks for, for all ``articles`` at once,
    and the image renditions with the ``renditions`` specs (None: all). With
    ``info`` and the body selected, also what the bodies link to and choose
    (``prime_body_links``)."""
    from content.models import ArticlePage, ArticlePageAuthor, ArticlePageTag

    if not articles:
        return
    ids = [article.pk for article in articles]
    found: dict[str, dict[int, list]] = {}

    if "tags" in fields:
        tags = defaultdict(list)
        rows = ArticlePageTag.objects.filter(content_object_id__in=ids).values_list(
            "content_object_id", "tag__name", "tag__slug"
        )
        for page_id, name, slug in rows:
            tags[page_id].append(TagValue(name, slug))
        for values in tags.values():
            values.sort(key=lambda tag: (tag.name.lower(), tag.slug))
        found["tags"] = tags

    images = []
    if "authors" in fields:
        authors = defaultdict(list)
        links = (
            ArticlePageAuthor.objects.filter(page_id__in=ids)
            .select_related("author__photo")
            .order_by("page_id", "sort_order", "pk")
        )
        for link in links:
            authors[link.page_id].append(link.author)
            if link.author.photo is not None:
                images.append(link.author.photo)
        found["authors"] = authors

    if "credentials" in fields:
        through = ArticlePage.credentials.through
        credentials = defaultdict(list)
        links = (
            through.objects.filter(articlepage_id__in=ids)
            .select_related("credential")
            .order_by("credential__abbreviation", "credential__pk")
        )
        for link in links:
            credentials[link.articlepage_id].append(link.credential)
        found["credentials"] = credentials

    for article in articles:
        setattr(
            article,
            LOADED,
            {name: by_page.get(article.pk, []) for name, by_page in found.items()},
        )

    if "heroImage" in fields:
        images += [a.hero_image for a in articles if a.hero_image is not None]
    if "body" in fields:
        images += [image for article in articles for image in body_images(article)]
    attach_renditions(images, renditions)
    if "body" in fields and info is not None:
        prime_body_links(articles, info)


def table_link_sources(table) -> list[str]:
    """The rich text of a comparison table (intro, cells, footnotes)."""
    return [
        table.intro or "",
        table.footnotes or "",
        *raw_strings(list(table.rows.raw_data)),
    ]


def prime_table_links(tables: list, info) -> None:
    """Look up every page and document the tables' rich text links to."""
    prime_sources(info, [text for t in tables for text in table_link_sources(t)])


def prime_bio_links(trainers: list, info, *path: str) -> None:
    """Look up every page and document the trainers' bios link to, when the
    bio is selected (under ``path``); otherwise it may not even be loaded."""
    if trainers and "bio" in selected_fields(info, *path):
        prime_sources(
            info, [text for t in trainers for text in raw_strings(list(t.bio.raw_data))]
        )


FEATURED_TRAINERS = "_api_featured_trainers"


class FeaturedTrainers:
    """The profiles every featured-trainers block of the resolved bodies
    chooses, loaded in one query (with the relations the selection needs)
    when the first block is resolved."""

    def __init__(self, ids):
        self.ids = set(ids)
        self.by_pk = None

    def get(self, chosen: list, info) -> dict | None:
        if not self.ids.issuperset(chosen):
            return None
        if self.by_pk is None:
            from content.graphql.trainers import directory_queryset

            queryset = directory_queryset(selected_fields(info))
            self.by_pk = queryset.in_bulk(sorted(self.ids))
        return self.by_pk


def featured_trainer_ids(value) -> list[int]:
    """The pages a featured-trainers block value chooses (pages or raw ids,
    depending on who read the value)."""
    return [getattr(p, "pk", p) for p in value.get("trainers") or [] if p]


def prime_body_links(articles: list, info) -> None:
    """Look up every page and document the bodies link to, at once: rich
    text in any block, call-to-action pages, the rich text of the
    comparison tables the bodies choose (loaded with the body) and the
    trainers of every featured-trainers block."""
    sources, page_ids, trainer_ids = [], [], []
    for article in articles:
        raw = list(article.body.raw_data)
        sources += raw_strings(raw)
        page_ids += [
            block["value"]["page"]
            for block in raw
            if block.get("type") == "call_to_action"
            and isinstance(block.get("value"), dict)
            and isinstance(block["value"].get("page"), int)
        ]
        for block in article.body:
            if block.block_type == "comparison_table" and block.value is not None:
                sources += table_link_sources(block.value)
            elif block.block_type == "featured_trainers":
                trainer_ids += featured_trainer_ids(block.value)
    prime_sources(info, sources, page_ids)
    if trainer_ids and info.context is not None:
        setattr(info.context, FEATURED_TRAINERS, FeaturedTrainers(trainer_ids))


def load_bodies(articles: list) -> None:
    """Convert every article's body at once, with Wagtail's
    ``StreamBlock.bulk_to_python``: one query per chooser block type (images,
    tables, pages) for all ``articles``, where iterating each lazy body runs
    them once per article."""
    from content.models import ArticlePage

    if not articles:
        return
    stream_block = ArticlePage._meta.get_field("body").stream_block
    bodies = stream_block.bulk_to_python([list(a.body.raw_data) for a in articles])
    for article, body in zip(articles, bodies, strict=True):
        article.body = body


def body_images(article) -> list:
    """Images chosen in the body's image blocks (loaded in one query)."""
    found = []
    for block in article.body:
        if block.block_type == "image" and block.value.get("image") is not None:
            found.append(block.value["image"])
    return found


def attach_renditions(images: list, specs: set[str] | None = None) -> None:
    """The existing renditions of ``images`` (those with ``specs``, or all)
    in one query, put where Wagtail's ``find_existing_renditions`` looks
    first (``prefetched_renditions``, as ``Prefetch(to_attr=...)`` would)."""
    pending = [i for i in images if getattr(i, "prefetched_renditions", None) is None]
    if not pending or specs == set():
        return
    Rendition = get_image_model().get_rendition_model()
    by_image = defaultdict(list)
    ids = {image.pk for image in pending}
    found = Rendition.objects.filter(image_id__in=ids)
    if specs is not None:
        found = found.filter(filter_spec__in=sorted(specs))
    for rendition in found:
        by_image[rendition.image_id].append(rendition)
    for image in pending:
        image.prefetched_renditions = list(by_image.get(image.pk, []))

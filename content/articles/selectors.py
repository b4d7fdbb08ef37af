"""Articles as the public may read them, and their relations in batches.

A page of articles needs its tags, authors, credentials and image renditions.
Django's per-instance related managers (and taggit's) build a queryset per
article and per relation even when the rows are prefetched, which costs more
than the queries themselves. ``load_relations`` runs one lean query per
relation for the whole page, and only for the fields asked for, and stores
plain lists on each article (``ArticlePage.preloaded``).

Query count for any page size: tags 1, authors 1, credentials 1, renditions
1 (hero images, author photos and body images together). Nothing is cached
across requests: every call reads the database.
"""

from collections import defaultdict
from typing import NamedTuple

from taggit.models import Tag

from cms.selectors import is_public_page, public_pages, visibility
from content.articles.models import (
    PRELOADED,
    ArticlePage,
    ArticlePageAuthor,
    ArticlePageTag,
)
from content.media.selectors import attach_renditions

# What callers that cannot see the selection (search hits, the home page's
# featured articles) load: every relation an article card shows.
CARD_FIELDS = frozenset({"tags", "authors", "credentials", "heroImage"})

ARTICLE_ORDERING = {
    "newest": ("-first_published_at", "-id"),
    "oldest": ("first_published_at", "id"),
    "title": ("title", "id"),
}


class TagValue(NamedTuple):
    name: str
    slug: str


def public_articles(*, fields: set[str] | None = None):
    """Live, public articles, the hero image joined. Relations are loaded
    per page by ``load_relations``; with ``fields`` given, the body column is
    only read when a body field is asked for."""
    # public_pages, not live().public(): also drops expired articles and live
    # articles under an unpublished, scheduled or expired parent.
    return _with_columns(public_pages(ArticlePage.objects), fields)


def searchable_articles():
    """Live, public articles, nothing joined (the search index's queryset)."""
    return public_pages(ArticlePage.objects.all())


def _with_columns(articles, fields: set[str] | None):
    articles = articles.select_related("hero_image")
    if fields is not None and not fields & {"body", "bodyText"}:
        articles = articles.defer("body")
    return articles


def public_article(*, slug: str, fields: set[str] | None = None):
    """The live, public article with ``slug`` (the lowest id if several
    branches have one), or None.

    ``public_pages``' rules, checked on the few live rows with this slug by
    ``is_public_page`` rather than compiled into the query: with the
    visibility snapshot that check needs no query, and a plain slug lookup
    costs far less to build than the restriction and branch exclusions.
    """
    candidates = ArticlePage.objects.filter(live=True, slug=slug).order_by("pk")
    for article in _with_columns(candidates, fields):
        if is_public_page(article):
            return article
    return None


class ArticleKey(NamedTuple):
    pk: int
    live_revision_id: int | None


# Past this many public articles the slug map is not kept (its memory):
# ``public_article`` builds its query every time instead.
MAX_MAPPED_ARTICLES = 20_000


def public_article_keys() -> dict[str, ArticleKey] | None:
    """Slug to id and live revision of every public article (the lowest id
    per slug, as ``public_article`` picks): one query per content
    generation, kept until the next scheduled go-live or expiry. None when
    there is no generation's snapshot to keep it in, or past
    ``MAX_MAPPED_ARTICLES``."""
    seen = visibility()
    if not seen.shared:
        return None
    return seen.remembered_until_change(
        ("articles", "keys"), _load_article_keys, bounded=False
    )


def _load_article_keys() -> dict[str, ArticleKey] | None:
    rows = (
        public_pages(ArticlePage.objects.all())
        .order_by("pk")
        .values_list("slug", "pk", "live_revision_id")[: MAX_MAPPED_ARTICLES + 1]
    )
    keys: dict[str, ArticleKey] = {}
    for count, (slug, pk, revision) in enumerate(rows, start=1):
        if count > MAX_MAPPED_ARTICLES:
            return None
        keys.setdefault(slug, ArticleKey(pk, revision))
    return keys


def public_tags():
    """Tags used by public articles, by name. A subquery, not a join: no
    duplicates to remove, so no DISTINCT. Tags used only by hidden articles
    are not listed."""
    used = ArticlePageTag.objects.filter(
        content_object__in=public_pages(ArticlePage.objects).values("pk")
    ).values("tag_id")
    return Tag.objects.filter(pk__in=used).order_by("name", "id")


def public_tag_list() -> list:
    """``public_tags()`` as a list, kept for the content generation until
    the next scheduled go-live or expiry (``Visibility.remembered_until_change``)."""
    return visibility().remembered_until_change(
        ("articles", "tags"), lambda: list(public_tags()), bounded=False
    )


def public_article_ids(*, tag: str | None, order: str) -> list[int]:
    """The ids of the public articles (with ``tag``), in ``order``: kept like
    ``public_tag_list``, so that a page of articles is one query by id."""

    def load():
        articles = public_pages(ArticlePage.objects.all())
        if tag:
            articles = articles.filter(tags__slug=tag).distinct()
        ordering = ARTICLE_ORDERING[order]
        return list(articles.order_by(*ordering).values_list("pk", flat=True))

    return visibility().remembered_until_change(("articles", tag, order), load)


def articles_by_ids(ids: list[int], *, fields: set[str] | None = None) -> list:
    """The articles with ``ids`` in that order (the hero image joined, the
    body only when asked for), whatever their state: ``ids`` come from
    ``public_article_ids`` of this generation."""
    found = _with_columns(ArticlePage.objects.filter(pk__in=ids), fields)
    by_id = {article.pk: article for article in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def article_cards(*, ids: list[int]) -> list:
    """The public articles among ``ids``, in that order, with every relation
    a card shows loaded."""
    by_id = public_articles().in_bulk(ids)
    articles = [by_id[i] for i in ids if i in by_id]
    load_relations(articles, fields=CARD_FIELDS)
    return articles


def chosen_articles(links, *, fields: set[str] | None = None) -> list:
    """The public articles that ``links`` (rows of an orderable with an
    ``article`` foreign key) choose, in the links' order, read with the links
    in one query (hero image joined). Relations are not loaded."""
    links = (
        links.filter(article__in=public_pages(ArticlePage.objects).values("pk"))
        .select_related("article__hero_image")
        .order_by("sort_order", "pk")
    )
    if fields is not None and not fields & {"body", "bodyText"}:
        links = links.defer("article__body")
    return [link.article for link in links]


def load_relations(
    articles: list, *, fields: set[str], renditions: set[str] | None = None
) -> None:
    """Load the relations ``fields`` asks for, for all ``articles`` at once,
    and the image renditions with the ``renditions`` specs (None: all)."""
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
            PRELOADED,
            {name: by_page.get(article.pk, []) for name, by_page in found.items()},
        )

    if "heroImage" in fields:
        images += [a.hero_image for a in articles if a.hero_image is not None]
    if "body" in fields:
        images += [image for article in articles for image in body_images(article)]
    attach_renditions(images, specs=renditions)


def load_bodies(articles: list) -> None:
    """Convert every article's body at once, with Wagtail's
    ``StreamBlock.bulk_to_python``: one query per chooser block type (images,
    tables, pages) for all ``articles``, where iterating each lazy body runs
    them once per article."""
    if not articles:
        return
    stream_block = ArticlePage._meta.get_field("body").stream_block
    bodies = stream_block.bulk_to_python([list(a.body.raw_data) for a in articles])
    for article, body in zip(articles, bodies, strict=True):
        article.body = body


def body_images(article) -> list:
    """Images chosen in the body's image blocks (loaded in one query)."""
    found = []
    body = article.body
    for index, raw in enumerate(body.raw_data):
        # Only the image blocks are converted (one query for the body's).
        if raw.get("type") == "image":
            image = body[index].value.get("image")
            if image is not None:
                found.append(image)
    return found

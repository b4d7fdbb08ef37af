"""Root query fields for articles, comparison tables and credentials.

Registered through the ``register_schema_query`` hook (content/wagtail_hooks.py).
Resolvers only return live, public pages and live snippets.
"""

import graphene
from taggit.models import Tag

from cms.graphql.pagination import page_type, paginate, pagination_args
from cms.preview import resolve_preview
from cms.selectors import is_public_page, public_pages, public_snippets
from content.graphql.loaders import (
    load_articles,
    prime_table_links,
    requested_renditions,
    selected_fields,
)
from content.graphql.types import CredentialKindEnum, TagType, model_type
from content.models import ArticlePage, ArticlePageTag, ComparisonTable, Credential


class ArticleOrder(graphene.Enum):
    class Meta:
        description = "Orderings allowed for article lists."

    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"


ARTICLE_ORDERING = {
    "newest": ("-first_published_at", "-id"),
    "oldest": ("first_published_at", "id"),
    "title": ("title", "id"),
}


def public_articles(fields: set[str] | None = None):
    """Live, public articles, the hero image joined. Relations are loaded
    per page by ``loaders.load_articles``; with ``fields`` given, the body
    column is only read when a body field is asked for."""
    # public_pages, not live().public(): also drops expired articles and live
    # articles under an unpublished, scheduled or expired parent.
    return _with_columns(public_pages(ArticlePage.objects), fields)


def _with_columns(articles, fields: set[str] | None):
    articles = articles.select_related("hero_image")
    if fields is not None and not fields & {"body", "bodyText"}:
        articles = articles.defer("body")
    return articles


def public_article(slug: str, fields: set[str] | None = None):
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


def live_tables():
    # public_snippets, not live=True: a table past expire_at stays live.
    return public_snippets(ComparisonTable.objects)


ArticlePageList = page_type(
    "ArticlePageList",
    lambda: model_type("content.ArticlePage"),
    "A page of articles.",
)
ComparisonTableList = page_type(
    "ComparisonTableList",
    lambda: model_type("content.ComparisonTable"),
    "A page of comparison tables.",
)
CredentialList = page_type(
    "CredentialList",
    lambda: model_type("content.Credential"),
    "A page of catalogue credentials.",
)

ArticleTagList = page_type("ArticleTagList", TagType, "A page of article tags.")


class ContentQuery(graphene.ObjectType):
    articles = graphene.Field(
        graphene.NonNull(ArticlePageList),
        tag=graphene.String(description="Only articles with this tag slug."),
        order=graphene.Argument(
            ArticleOrder, default_value=ArticleOrder.NEWEST, description="Sort order."
        ),
        description="Published articles, newest first by default.",
        **pagination_args(),
    )
    article = graphene.Field(
        lambda: model_type("content.ArticlePage"),
        slug=graphene.String(required=True, description="The article's slug."),
        description="One published article by slug; null if none is live.",
    )
    article_tags = graphene.Field(
        graphene.NonNull(ArticleTagList),
        description="Tags used by published articles, alphabetical.",
        **pagination_args(default_limit=50),
    )
    comparison_tables = graphene.Field(
        graphene.NonNull(ComparisonTableList),
        description="Published comparison tables, by title.",
        **pagination_args(),
    )
    comparison_table = graphene.Field(
        lambda: model_type("content.ComparisonTable"),
        slug=graphene.String(required=True, description="The table's slug."),
        description="One published comparison table by slug; null if none is live.",
    )
    credentials = graphene.Field(
        graphene.NonNull(CredentialList),
        kind=graphene.Argument(CredentialKindEnum, description="Only this kind."),
        description="The credential catalogue, by abbreviation.",
        **pagination_args(),
    )

    def resolve_articles(self, info, limit, offset, tag=None, order="newest"):
        order = getattr(order, "value", order)
        fields = selected_fields(info, "items")
        articles = public_articles(fields)
        if tag:
            articles = articles.filter(tags__slug=tag).distinct()
        page = paginate(articles.order_by(*ARTICLE_ORDERING[order]), limit, offset)
        load_articles(page.items, fields, requested_renditions(info), info)
        return page

    def resolve_article(self, info, slug):
        # A valid X-Preview-Token for this slug returns the editor's draft.
        draft = resolve_preview(info.context, ArticlePage, slug)
        if draft is not None:
            return draft
        fields = selected_fields(info)
        article = public_article(slug, fields)
        if article is not None:
            load_articles([article], fields, requested_renditions(info), info)
        return article

    def resolve_article_tags(self, info, limit, offset):
        # Tags used only by hidden articles must not be listed. A subquery,
        # not a join: no duplicates to remove, so no DISTINCT.
        used = ArticlePageTag.objects.filter(
            content_object__in=public_pages(ArticlePage.objects).values("pk")
        ).values("tag_id")
        tags = Tag.objects.filter(pk__in=used).order_by("name", "id")
        return paginate(tags, limit, offset)

    def resolve_comparison_tables(self, info, limit, offset):
        page = paginate(live_tables().order_by("title", "id"), limit, offset)
        prime_table_links(page.items, info)
        return page

    def resolve_comparison_table(self, info, slug):
        draft = resolve_preview(info.context, ComparisonTable, slug)
        if draft is not None:
            return draft
        table = live_tables().filter(slug=slug).first()
        if table is not None:
            prime_table_links([table], info)
        return table

    def resolve_credentials(self, info, limit, offset, kind=None):
        credentials = Credential.objects.order_by("abbreviation")
        if kind:
            credentials = credentials.filter(kind=getattr(kind, "value", kind))
        return paginate(credentials, limit, offset)

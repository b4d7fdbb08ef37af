"""Root fields of articles: ``articles``, ``article``, ``articleTags``.

Resolvers only return live, public articles, or a draft for a valid preview
token.
"""

import graphene

from cms.graphql import materialise
from cms.graphql.pagination import page_type, paginate, pagination_args
from cms.graphql.registry import model_type
from cms.graphql.selection import selected_fields
from cms.preview import resolve_preview
from content.articles import selectors
from content.articles.graphql.loaders import load_article, load_articles
from content.articles.graphql.types import TagType
from content.articles.models import ArticlePage
from content.media.graphql.types import requested_renditions


class ArticleOrder(graphene.Enum):
    class Meta:
        description = "Orderings allowed for article lists."

    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"


ArticlePageList = page_type(
    "ArticlePageList",
    lambda: model_type("content.ArticlePage"),
    "A page of articles.",
)
ArticleTagList = page_type("ArticleTagList", TagType, "A page of article tags.")


class ArticleQuery(graphene.ObjectType):
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

    def resolve_articles(self, info, limit, offset, tag=None, order="newest"):
        order = getattr(order, "value", order)
        fields = selected_fields(info, "items")
        # The ordered ids are kept per content generation: a page is then
        # one query by id (``selectors.public_article_ids``).
        ids = paginate(
            selectors.public_article_ids(tag=tag, order=order), limit, offset
        )
        ids.items = selectors.articles_by_ids(ids.items, fields=fields)
        load_articles(ids.items, fields, requested_renditions(info), info)
        return ids

    def resolve_article(self, info, slug):
        # A valid X-Preview-Token for this slug returns the editor's draft.
        draft = resolve_preview(info.context, ArticlePage, slug)
        if draft is not None:
            return draft
        fields = selected_fields(info)
        # A materialised article is read from its row: its body column is
        # read (one more query) only if it is completed instead.
        kept = materialise.is_kept(info.context, "ArticlePage")
        columns = fields - {"body", "bodyText"} if kept else fields

        def load():
            article = selectors.public_article(slug=slug, fields=columns)
            if article is not None:
                load_article(article, fields, info)
            return article

        keys = selectors.public_article_keys() if kept else None
        if keys is None:
            return load()
        # Its row is found by id and revision: the page is loaded only if
        # the row misses.
        key = keys.get(slug)
        return key and materialise.Pending(key.pk, key.live_revision_id, load)

    def resolve_article_tags(self, info, limit, offset):
        return paginate(selectors.public_tag_list(), limit, offset)

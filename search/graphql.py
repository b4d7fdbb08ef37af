"""GraphQL for the site search: ``search`` and ``searchSuggestions``.

Replaces grapple's root ``search`` (never part of the root Query, see
api.schema), which returned unpublished and private pages with no page-size
limit.
"""

import logging

import graphene
from django.db import DatabaseError
from wagtail.contrib.search_promotions.models import Query as QueryLog
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from cms.graphql.errors import ApiError, ErrorCode
from cms.graphql.pagination import pagination_args
from cms.graphql.registry import model_type
from cms.selectors import frontend_url, is_public_page
from content.trainers.graphql.types import TrainerProfile
from search import engine

logger = logging.getLogger("search")

MAX_SUGGESTIONS = 10


class SearchContentType(graphene.Enum):
    class Meta:
        description = "Kinds of content the site search covers."

    ARTICLE = "article"
    COMPARISON_TABLE = "comparison_table"
    TRAINER = "trainer"


CONTENT_MODELS = {
    "article": "content.ArticlePage",
    "comparison_table": "content.ComparisonTable",
    "trainer": "content.TrainerProfilePage",
}


def _content_union():
    """The union of the searchable types (built when the root Query is
    assembled: grapple makes its model types when the app registry is ready)."""
    members = {key: model_type(label) for key, label in CONTENT_MODELS.items()}
    # Trainer profiles have a hand-written type (content.trainers.graphql.types).
    members["trainer"] = TrainerProfile

    class Meta:
        name = "SearchHitContent"
        description = "The content a search hit points at."
        types = tuple(members.values())

    def resolve_type(cls, instance, info):
        for key, label in CONTENT_MODELS.items():
            if instance._meta.label == label:
                return members[key]
        return None

    return type(
        "SearchHitContent",
        (graphene.Union,),
        {"Meta": Meta, "resolve_type": classmethod(resolve_type)},
    )


class SearchHit(graphene.ObjectType):
    class Meta:
        description = "One search result."

    rank = graphene.Int(
        required=True, description="1-based position in the relevance order."
    )
    type = graphene.Field(
        SearchContentType, required=True, description="Kind of content."
    )
    title = graphene.String(required=True, description="Title or trainer name.")
    url = graphene.String(description="Frontend URL of the result.")
    excerpt = graphene.String(
        required=True,
        description=(
            "A short HTML-escaped snippet of the text with the matched words "
            "wrapped in <mark> elements."
        ),
    )
    content = graphene.Field(
        graphene.NonNull(lambda: SEARCH_HIT_CONTENT[0]),
        description="The matched article, comparison table or trainer profile.",
    )

    def resolve_title(hit, info):
        return hit.source.title(hit.obj)

    def resolve_url(hit, info):
        return hit.source.url(hit.obj)

    def resolve_content(hit, info):
        return hit.obj


SEARCH_HIT_CONTENT: list = []


class SearchPromotionResult(graphene.ObjectType):
    class Meta:
        name = "SearchPromotion"
        description = "A result editors pinned to the top for this query."

    title = graphene.String(required=True, description="Link text.")
    url = graphene.String(required=True, description="Where the promotion links.")
    description = graphene.String(required=True, description="Editor's blurb.")


class SearchResults(graphene.ObjectType):
    class Meta:
        description = "A page of search results."

    query = graphene.String(required=True, description="The query as received.")
    items = graphene.List(
        graphene.NonNull(SearchHit),
        required=True,
        description="Hits on this page, most relevant first.",
    )
    total_count = graphene.Int(
        required=True, description="Number of hits over all pages."
    )
    limit = graphene.Int(required=True, description="Page size used.")
    offset = graphene.Int(required=True, description="Offset used.")
    has_next_page = graphene.Boolean(
        required=True, description="Whether another page follows."
    )
    promotions = graphene.List(
        graphene.NonNull(SearchPromotionResult),
        required=True,
        description="Editor-promoted results for this exact query (first page only).",
    )

    def resolve_items(results, info):
        return results.hits


class SearchSuggestion(graphene.ObjectType):
    class Meta:
        description = "A type-ahead suggestion."

    title = graphene.String(required=True, description="Title or trainer name.")
    type = graphene.Field(
        SearchContentType, required=True, description="Kind of content."
    )
    url = graphene.String(description="Frontend URL of the suggestion.")


def _keys(types) -> list[str] | None:
    if not types:
        return None
    return [getattr(t, "value", t) for t in types]


def _promotions(query: str) -> list[dict]:
    normalised = normalise_query_string(query)
    if not normalised:
        return []
    picks = (
        SearchPromotion.objects.filter(query__query_string=normalised)
        .select_related("page")
        .order_by("sort_order")
    )
    promotions = []
    for pick in picks:
        if pick.page_id is not None:
            page = pick.page.specific_deferred if pick.page else None
            # Promotions pointing at drafts or private pages are skipped.
            if page is None or not is_public_page(pick.page):
                continue
            url = frontend_url(pick.page)
            if url is None:
                continue
            title = pick.page.title
        else:
            url, title = pick.external_link_url, pick.external_link_text or ""
        promotions.append({"title": title, "url": url, "description": pick.description})
    return promotions


def _log(query: str) -> None:
    """Feed Wagtail's "Search terms" report; never fail a search over it."""
    try:
        QueryLog.get(query).add_hit()
    except DatabaseError:
        logger.warning("could not log search query", exc_info=True)


def build_search_query():
    """The query mixin, built when grapple builds the schema."""
    if not SEARCH_HIT_CONTENT:
        SEARCH_HIT_CONTENT.append(_content_union())
    return SearchQuery


class SearchQuery(graphene.ObjectType):
    search = graphene.Field(
        graphene.NonNull(SearchResults),
        query=graphene.String(
            required=True,
            description=(
                f"Words to look for (at most {engine.MAX_QUERY_LENGTH} characters; "
                "punctuation and operators are ignored)."
            ),
        ),
        types=graphene.List(
            graphene.NonNull(SearchContentType),
            description="Only these kinds of content (default: all).",
        ),
        description="Full-text search over published, public content.",
        **pagination_args(),
    )
    search_suggestions = graphene.Field(
        graphene.List(graphene.NonNull(SearchSuggestion)),
        required=True,
        prefix=graphene.String(
            required=True, description="What the user has typed so far."
        ),
        types=graphene.List(
            graphene.NonNull(SearchContentType),
            description="Only these kinds of content (default: all).",
        ),
        limit=graphene.Int(
            default_value=5,
            description=f"Number of suggestions, 1 to {MAX_SUGGESTIONS}.",
        ),
        description="Type-ahead suggestions: titles and trainer names by prefix.",
    )

    def resolve_search(self, info, query, limit, offset, types=None):
        results = engine.run_search(query, _keys(types), limit, offset)
        # Promotions and the query log see only the words: control characters
        # (a NUL byte breaks PostgreSQL) and operators never reach the database.
        words = " ".join(engine.terms_of(query))
        results.promotions = _promotions(words) if offset == 0 else []
        if words:
            _log(words)
        return results

    def resolve_search_suggestions(self, info, prefix, limit=5, types=None):
        if not 1 <= limit <= MAX_SUGGESTIONS:
            raise ApiError(
                f"limit must be between 1 and {MAX_SUGGESTIONS}.",
                code=ErrorCode.PAGE_SIZE_TOO_LARGE
                if limit > MAX_SUGGESTIONS
                else ErrorCode.INVALID_PAGINATION,
            )
        return [
            {
                "title": hit.source.title(hit.obj),
                "type": hit.type,
                "url": hit.source.url(hit.obj),
            }
            for hit in engine.suggest(prefix, _keys(types), limit)
        ]

"""GraphQL types of engagement, and the article fields that use them.

``ArticlePage.graphql_fields`` names the fields below by dotted path (models
import no GraphQL): ``comments(limit, offset)``, ``commentCount``,
``commentPolicy``, ``viewCount`` and ``views(since:)``. Counts for a page of
articles are loaded at once (``prime_counts``); a lone article costs one
query per count.
"""

import datetime

import graphene
from django.conf import settings
from django.urls import reverse

from cms.graphql.errors import ApiError, ErrorCode
from cms.graphql.pagination import page_type, paginate, pagination_args
from cms.selectors import visibility
from content.engagement import selectors
from content.engagement.models import CommentSettings
from content.engagement.services import closes_at, comments_open

# Where prime_counts keeps a page of articles' counts.
COUNTS = "_engagement_counts"
MAX_TREND_DAYS = 366


class ArticleComment(graphene.ObjectType):
    class Meta:
        description = (
            "An approved comment, or a reply from clinic staff. Plain text: "
            "render it as text, never as HTML."
        )

    id = graphene.ID(required=True, description="Stable id of this comment.")
    author_name = graphene.String(required=True, description="Name the author gave.")
    body = graphene.String(
        required=True,
        description="Plain text; paragraphs split by blank lines. Links are text.",
    )
    created_at = graphene.DateTime(required=True, description="When it was posted.")
    is_staff_reply = graphene.Boolean(
        required=True, description="Whether clinic staff wrote it."
    )
    replies = graphene.List(
        graphene.NonNull(lambda: ArticleComment),
        required=True,
        description="Approved replies, oldest first (staff replies).",
    )

    def resolve_id(self, info):
        return self.pk

    def resolve_author_name(self, info):
        return self.name

    def resolve_replies(self, info):
        loaded = getattr(self, "_replies", None)
        if loaded is not None:
            return loaded
        return selectors.approved_replies(comment_ids=[self.pk]).get(self.pk, [])


ArticleCommentPage = page_type(
    "ArticleCommentPage", ArticleComment, "A page of approved comments."
)


class CommentPolicy(graphene.ObjectType):
    class Meta:
        description = (
            "Whether an article takes comments, and what to show with the form."
        )

    open = graphene.Boolean(required=True, description="Whether comments are open.")
    closes_at = graphene.DateTime(
        description="When comments close by age (null: they do not)."
    )
    health_disclaimer = graphene.String(
        required=True, description="Text to show with the comment form."
    )
    minimum_fill_seconds = graphene.Int(
        required=True,
        description="Seconds between fetching a form token and submitting it.",
    )
    form_token_url = graphene.String(
        required=True,
        description="Path that issues a form token (GET, never cached).",
    )


class ArticleViewDayType(graphene.ObjectType):
    class Meta:
        name = "ArticleDailyReaders"
        description = "Unique readers of an article on one day (UTC)."

    day = graphene.Date(required=True, description="The day.")
    readers = graphene.Int(required=True, description="Unique readers that day.")


def prime_counts(articles: list, fields: set[str]) -> None:
    """Load ``commentCount`` and ``viewCount`` for a page of articles at once."""
    if not articles:
        return
    ids = [article.pk for article in articles]
    comments = (
        selectors.approved_counts(article_ids=ids) if "commentCount" in fields else {}
    )
    views = selectors.view_counts(article_ids=ids) if "viewCount" in fields else {}
    for article in articles:
        setattr(
            article,
            COUNTS,
            {"comments": comments.get(article.pk), "views": views.get(article.pk)},
        )


def _count(article, name: str):
    return (getattr(article, COUNTS, None) or {}).get(name)


def article_comments(article, info, limit=None, offset=None):
    page = paginate(selectors.approved_comments(article_id=article.pk), limit, offset)
    replies = selectors.approved_replies(comment_ids=[c.pk for c in page.items])
    for comment in page.items:
        comment._replies = replies.get(comment.pk, [])
    return page


def comment_count(article, info) -> int:
    count = _count(article, "comments")
    if count is None:
        count = selectors.approved_counts(article_ids=[article.pk])[article.pk]
    return count


def view_count(article, info) -> int:
    count = _count(article, "views")
    if count is None:
        count = selectors.view_counts(article_ids=[article.pk])[article.pk]
    return count


def article_views(article, info, since):
    today = datetime.datetime.now(datetime.UTC).date()
    if since > today or (today - since).days > MAX_TREND_DAYS:
        raise ApiError(
            f"since must be within the last {MAX_TREND_DAYS} days.",
            code=ErrorCode.BAD_USER_INPUT,
        )
    return selectors.views_since(article_id=article.pk, since=since)


def comment_policy(article, info) -> CommentPolicy:
    # Read without creating (a GET writes no settings row; the defaults
    # apply until an editor saves them). Saving the row bumps the content
    # generation, so the row read is kept for it (cms.selectors).
    policy = visibility().remembered(
        ("comment-settings",), selectors.saved_comment_settings
    )
    policy = policy or CommentSettings()
    return CommentPolicy(
        open=comments_open(article, policy),
        closes_at=closes_at(article, policy),
        health_disclaimer=policy.health_disclaimer,
        minimum_fill_seconds=settings.COMMENT_MIN_FILL_SECONDS,
        form_token_url=reverse("engagement:comment-form") + f"?article={article.pk}",
    )


# Grapple field wrappers for ``ArticlePage.graphql_fields`` (each is called
# with the declared type and returns the whole field, resolver included).


def comments_field(_declared):
    return graphene.Field(
        graphene.NonNull(ArticleCommentPage),
        description="Approved comments, oldest first, with their approved replies.",
        resolver=article_comments,
        **pagination_args(),
    )


def comment_count_field(_declared):
    return graphene.Field(
        graphene.NonNull(graphene.Int),
        description="Approved comments and replies.",
        resolver=comment_count,
    )


def comment_policy_field(_declared):
    return graphene.Field(
        graphene.NonNull(CommentPolicy),
        description="Whether comments are open; the disclaimer to show with the form.",
        resolver=comment_policy,
    )


def view_count_field(_declared):
    return graphene.Field(
        graphene.NonNull(graphene.Int),
        description="Unique readers per day, summed; updated by the worker "
        "every few minutes (a lag that keeps responses cacheable).",
        resolver=view_count,
    )


def views_field(_declared):
    return graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(ArticleViewDayType))),
        since=graphene.Date(
            required=True,
            description=f"First day of the trend (at most {MAX_TREND_DAYS} days ago).",
        ),
        description="Unique readers per day since `since`, as last flushed "
        "(days without readers are left out).",
        resolver=article_views,
    )

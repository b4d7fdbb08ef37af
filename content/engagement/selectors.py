"""What the public may read: approved comments and flushed view counts.

Only approved comments on public articles are ever returned; the article's
own visibility is the caller's (its resolver only runs for public articles).
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Sum

from content.engagement.models import (
    ArticleViewDay,
    Comment,
    CommentSettings,
    CommentStatus,
)


def approved_comments(*, article_id: int):
    """Approved top-level comments, oldest first."""
    return Comment.objects.filter(
        article_id=article_id, parent__isnull=True, status=CommentStatus.APPROVED
    ).order_by("created_at", "id")


def approved_replies(*, comment_ids: list[int]) -> dict[int, list[Comment]]:
    """Approved replies of each comment, oldest first (one query)."""
    replies = defaultdict(list)
    if not comment_ids:
        return replies
    rows = Comment.objects.filter(
        parent_id__in=comment_ids, status=CommentStatus.APPROVED
    ).order_by("created_at", "id")
    for reply in rows:
        replies[reply.parent_id].append(reply)
    return replies


def approved_counts(*, article_ids: list[int]) -> dict[int, int]:
    """Approved comments and replies per article (one query)."""
    rows = (
        Comment.objects.filter(
            article_id__in=article_ids, status=CommentStatus.APPROVED
        )
        .values("article_id")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(article_ids, 0)
    counts.update({row["article_id"]: row["n"] for row in rows})
    return counts


def view_counts(*, article_ids: list[int]) -> dict[int, int]:
    """Unique readers per article, summed over the flushed days (one query)."""
    rows = (
        ArticleViewDay.objects.filter(article_id__in=article_ids)
        .values("article_id")
        .annotate(n=Sum("readers"))
    )
    counts = dict.fromkeys(article_ids, 0)
    counts.update({row["article_id"]: row["n"] or 0 for row in rows})
    return counts


def views_since(*, article_id: int, since: date) -> list[ArticleViewDay]:
    return list(
        ArticleViewDay.objects.filter(article_id=article_id, day__gte=since).order_by(
            "day"
        )
    )


def saved_comment_settings() -> CommentSettings | None:
    """The saved comment settings row, if an editor has saved one."""
    return CommentSettings.objects.order_by("pk").first()


def comment_settings() -> CommentSettings:
    """The comment settings, read without creating the row (the defaults
    until an editor saves them): reading them never writes, and so never
    bumps the content generation."""
    return saved_comment_settings() or CommentSettings()

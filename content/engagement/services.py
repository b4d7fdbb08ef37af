"""Writes: submitting, moderating, replying to and deleting comments.

``submit_comment`` checks everything that needs no database first (rate
limit, honeypot, token signature and age, text), then reads the article and
settings, and spends the token and saves the comment in one transaction:
a bounded number of queries whatever the input (see the tests). Moderation
bumps the response-cache generation only when what the public sees changes
(a comment becomes approved, or an approved one goes away).
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from cms.db import parse_pk
from cms.graphql import ratelimit
from cms.graphql.signals import content_changed
from cms.graphql.tags import prefix_for_label
from cms.selectors import public_pages
from content.engagement import selectors, spam, tokens
from content.engagement.models import (
    Comment,
    CommentSettings,
    CommentStatus,
    UsedFormToken,
)
from content.engagement.text import TextRejected, clean_body, clean_name

logger = logging.getLogger("content.engagement")


class CommentRejected(Exception):
    """A submission refused; ``code`` is stable (cms.graphql.errors.ErrorCode)."""

    def __init__(self, code: str, message: str, **extensions):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extensions = extensions


def _article_model():
    # By name, as the foreign keys: engagement sits below articles.
    return apps.get_model("content", "ArticlePage")


def public_article(article_id) -> object | None:
    pk = parse_pk(article_id)
    if pk is None:
        return None
    model = _article_model()
    return public_pages(model.objects.filter(pk=pk)).first()


def closes_at(article, comment_settings: CommentSettings):
    """When comments on ``article`` close by age, or None (never)."""
    days = comment_settings.close_after_days
    if not days or article.first_published_at is None:
        return None
    return article.first_published_at + timedelta(days=days)


def comments_open(article, comment_settings: CommentSettings, now=None) -> bool:
    if not getattr(article, "comments_open", True):
        return False
    closing = closes_at(article, comment_settings)
    return closing is None or (now or timezone.now()) < closing


def _clean(name, email, body) -> tuple[str, str, str]:
    try:
        name, body = clean_name(name or ""), clean_body(body or "")
    except TextRejected as rejected:
        raise CommentRejected(
            rejected.code, rejected.message, field=rejected.field
        ) from None
    email = (email or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise CommentRejected(
                "COMMENT_INVALID_EMAIL",
                "The email address is not valid.",
                field="email",
            ) from None
    return name, email, body


def submit_comment(
    *, article_id, name, email, body, website, form_token, request
) -> Comment:
    """Save a pending comment, or raise ``CommentRejected``."""
    retry = ratelimit.over_limit(
        "comment",
        request,
        limit=settings.COMMENT_RATE_LIMIT,
        window=settings.COMMENT_RATE_LIMIT_WINDOW,
    )
    if retry is not None:
        raise CommentRejected(
            "RATE_LIMITED", "Too many comments; retry later.", retryAfter=retry
        )
    if website:
        # The honeypot: hidden from people, filled in by form-filling bots.
        raise CommentRejected("COMMENT_REJECTED", "The comment was not accepted.")
    article_pk = parse_pk(article_id)
    if article_pk is None:
        raise CommentRejected("NOT_FOUND", "No such article.")
    try:
        token = tokens.read_form_token(form_token, article_pk)
    except tokens.TokenRejected as rejected:
        raise CommentRejected(rejected.code, rejected.message) from None
    name, email, body = _clean(name, email, body)

    article = public_article(article_pk)
    if article is None:
        raise CommentRejected("NOT_FOUND", "No such article.")
    comment_settings = selectors.comment_settings()
    if not comments_open(article, comment_settings):
        raise CommentRejected("COMMENTS_CLOSED", "Comments on this article are closed.")

    status = CommentStatus.PENDING
    check = spam.backend()
    if not isinstance(check, spam.NoSpamCheck):
        submission = spam.Submission(
            name=name,
            email=email,
            body=body,
            permalink=getattr(article, "url", "") or "",
            user_ip=request.META.get("REMOTE_ADDR", ""),
            user_agent=request.headers.get("User-Agent", "")[:500],
            referrer=request.headers.get("Referer", "")[:500],
        )
        if check.is_spam(submission):
            status = CommentStatus.SPAM

    try:
        with transaction.atomic():
            UsedFormToken.objects.create(nonce=token.nonce)
            comment = Comment.objects.create(
                article=article, name=name, email=email, body=body, status=status
            )
    except IntegrityError:
        raise CommentRejected(
            "COMMENT_TOKEN_REUSED", "This form was already sent; reload the page."
        ) from None
    if status == CommentStatus.PENDING:
        link_base = settings.COMMENT_LINK_BASE_URL or request.build_absolute_uri("/")
        transaction.on_commit(
            lambda: _send_notices(comment, article, comment_settings, link_base)
        )
    return comment


def moderator_addresses(comment_settings: CommentSettings) -> list[str]:
    listed = [
        line.strip()
        for line in comment_settings.moderator_emails.splitlines()
        if line.strip()
    ]
    if listed:
        return listed
    users = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return [email for email in users.values_list("email", flat=True) if email]


def delete_url(comment: Comment, link_base: str) -> str:
    path = reverse(
        "engagement:delete-comment",
        args=[tokens.delete_token(comment.pk, comment.email)],
    )
    return link_base.rstrip("/") + path


def _send_notices(comment, article, comment_settings, link_base) -> None:
    title = getattr(article, "title", "")
    try:
        recipients = moderator_addresses(comment_settings)
        if recipients:
            admin_url = link_base.rstrip("/") + reverse(
                "wagtailsnippets_content_comment:list"
            )
            send_mail(
                f"New comment awaiting moderation: {title}",
                f"{comment.name} commented on “{title}”:\n\n{comment.body}\n\n"
                f"Moderate it here: {admin_url}?status=pending\n",
                None,
                recipients,
            )
        if comment.email:
            send_mail(
                "Your comment is awaiting moderation",
                f"Thank you for your comment on “{title}”. It will appear once "
                "a moderator approves it.\n\nTo delete your comment, open this "
                f"link: {delete_url(comment, link_base)}\n",
                None,
                [comment.email],
            )
    except Exception:
        # Mail is a courtesy: a mail server outage loses no comment.
        logger.warning("comment notice not sent", exc_info=True)


# --- moderation -------------------------------------------------------------


def public_change(article_ids) -> None:
    """Comments the public sees changed on these articles: the responses
    tagged with them are invalidated in the response cache, and a CDN drops
    them (their edge tags) once the change commits."""
    prefixes = (
        prefix_for_label("content.articlepage"),
        prefix_for_label("wagtailcore.page"),
    )
    content_changed({f"{p}:{pk}" for pk in article_ids for p in prefixes})


def moderate(comments, status: str) -> int:
    """Set ``status`` on ``comments`` (a queryset); the number changed."""
    changing = comments.exclude(status=status)
    with transaction.atomic():
        public = set(
            changing.filter(status=CommentStatus.APPROVED).values_list(
                "article_id", flat=True
            )
        )
        if status == CommentStatus.APPROVED:
            public |= set(changing.values_list("article_id", flat=True))
        count = changing.update(status=status, moderated_at=timezone.now())
        if count and public:
            public_change(public)
    return count


def reply(parent: Comment, body: str, user) -> Comment:
    """A staff reply, shown at once (the author is staff)."""
    try:
        text = clean_body(body)
    except TextRejected as rejected:
        raise CommentRejected(rejected.code, rejected.message) from None
    with transaction.atomic():
        comment = Comment.objects.create(
            article_id=parent.article_id,
            parent=parent,
            name=(user.get_full_name() or user.get_username())[:80],
            body=text,
            status=CommentStatus.APPROVED,
            is_staff_reply=True,
            staff_user=user,
            moderated_at=timezone.now(),
        )
    return comment


def delete_comment(comment: Comment) -> None:
    """Delete a comment and its replies (the receivers below bump the
    generation for each one the public could see)."""
    with transaction.atomic():
        comment.delete()


def _saved(sender, instance, created, **kwargs):
    before = getattr(instance, "loaded_status", None)
    if CommentStatus.APPROVED in (before, instance.status) and (
        created or before != instance.status
    ):
        public_change([instance.article_id])
    instance.loaded_status = instance.status


def _deleted(sender, instance, **kwargs):
    if instance.status == CommentStatus.APPROVED:
        public_change([instance.article_id])


def connect() -> None:
    post_save.connect(_saved, sender=Comment, dispatch_uid="engagement.saved")
    post_delete.connect(_deleted, sender=Comment, dispatch_uid="engagement.deleted")

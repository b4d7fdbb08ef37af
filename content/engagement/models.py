"""Comments, used form tokens, view counters and the comment settings.

Articles are referenced by a string ("content.ArticlePage"): engagement sits
below articles and never imports them. No row here holds an IP address or a
user agent: readers are counted by a keyed hash with a salt that lives for
one day (``ViewSalt``), and comments keep only what the author typed.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

DEFAULT_DISCLAIMER = (
    "Comments are public and are not medical advice. Do not share personal "
    "health information here; for questions about your care, contact the "
    "clinic directly."
)


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class Comment(models.Model):
    """A reader's comment on an article, or a staff reply to one."""

    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="engagement_comments",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this replies to (staff replies).",
    )
    name = models.CharField(max_length=settings.COMMENT_NAME_MAX_CHARS)
    # Never exposed: moderators may write back; the delete link goes here.
    email = models.EmailField(blank=True)
    body = models.TextField()
    status = models.CharField(
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        db_index=True,
    )
    is_staff_reply = models.BooleanField(default=False)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    # Nothing links to a comment; indexing each submission costs queries.
    wagtail_reference_index_ignore = True

    panels = [
        FieldPanel("status"),
        FieldPanel("name", read_only=True),
        FieldPanel("body", read_only=True),
    ]

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"],
                name="comment_article_status",
            )
        ]

    def __str__(self):
        first = " ".join(self.body.split())[:60]
        return f"{self.name}: {first}"

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        # What the public saw before this save (services.connect).
        comment.loaded_status = comment.__dict__.get("status")
        return comment


class UsedFormToken(models.Model):
    """A form token already spent: a token submits one comment, once."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.nonce


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    """What editors decide about comments (Settings > Comments)."""

    health_disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER,
        help_text="Shown with the comment form.",
    )
    close_after_days = models.PositiveIntegerField(
        default=0,
        help_text="Close comments this many days after an article is first "
        "published (0: never).",
    )
    moderator_emails = models.TextField(
        blank=True,
        help_text="Addresses told about each new comment, one per line. Empty: "
        "every active superuser.",
    )

    panels = [
        FieldPanel("health_disclaimer"),
        FieldPanel("close_after_days"),
        FieldPanel("moderator_emails"),
    ]

    class Meta:
        verbose_name = "Comments"

    def __str__(self):
        return "Comment settings"


class ArticleViewDay(models.Model):
    """Unique readers of one article on one day (flushed counts)."""

    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    readers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day"], name="article_view_day_unique"
            )
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.readers}"


class ViewReader(models.Model):
    """One reader of one article on one day, as a keyed hash (database path).

    Rows of past days are deleted once flushed: with that day's salt gone,
    nothing links them to anyone.
    """

    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    digest = models.CharField(max_length=64)
    flushed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day", "digest"], name="view_reader_unique"
            )
        ]
        indexes = [models.Index(fields=["flushed", "day"], name="view_reader_pending")]

    def __str__(self):
        return f"{self.article_id} {self.day}"


class ViewSalt(models.Model):
    """The day's random salt (database path); deleted when the day is over."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)

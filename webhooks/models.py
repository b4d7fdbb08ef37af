"""Webhook endpoints, the event outbox, deliveries and their attempts."""

import datetime
import uuid

from django.db import models
from django.utils import timezone

EVENT_TYPES = [
    (f"{kind}.{action}", f"{label} {action}")
    for kind, label in (
        ("article", "Article"),
        ("table", "Comparison table"),
        ("trainer", "Trainer"),
        ("settings", "Settings"),
    )
    for action in ("published", "unpublished", "deleted", "moved")
] + [
    ("trainerDirectory.changed", "Trainer directory changed"),
    ("webhook.test", "Test event"),
]
CONTENT_TYPES = [
    ("article", "Articles"),
    ("table", "Comparison tables"),
    ("trainer", "Trainer profiles"),
    ("settings", "Organisation settings"),
    ("trainerDirectory", "Trainer directory"),
]


class WebhookEndpoint(models.Model):
    name = models.CharField(max_length=120)
    url = models.URLField(
        "target URL",
        max_length=500,
        help_text="HTTPS URL that receives signed POST requests. Redirects "
        "are not followed.",
    )
    events = models.JSONField(default=list, help_text="Event types sent here.")
    content_types = models.JSONField(
        default=list,
        blank=True,
        help_text="Only events about these content types; none selected = all.",
    )
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook"

    def __str__(self):
        return self.name

    def secrets(self, now=None) -> list[str]:
        """The secrets deliveries are signed with: the current one, and the
        previous one until its grace period ends."""
        now = now or timezone.now()
        found = [self.secret]
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and self.previous_secret_expires_at > now
        ):
            found.append(self.previous_secret)
        return found

    def wants(self, event_type: str, content_type: str) -> bool:
        if event_type not in (self.events or []):
            return False
        return not self.content_types or content_type in self.content_types

    def rotate_secret(self, now=None) -> str:
        """A new secret; the old one keeps signing for the grace period."""
        from django.conf import settings

        from webhooks.signing import generate_secret

        now = now or timezone.now()
        grace = datetime.timedelta(hours=settings.WEBHOOK_SECRET_GRACE_HOURS)
        self.previous_secret = self.secret
        self.previous_secret_expires_at = now + grace
        self.secret = generate_secret()
        self.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at"]
        )
        return self.secret

    @property
    def masked_secret(self) -> str:
        return f"whsec_…{self.secret[-4:]}" if self.secret else ""


class WebhookEvent(models.Model):
    """The outbox: one row per change, written in the change's transaction.

    ``id`` is the event's ``sequence``: it grows with every event.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "webhook event"

    def __str__(self):
        return f"{self.type} #{self.pk}"

    @property
    def message_id(self) -> str:
        return f"msg_{self.uid.hex}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed (dead letter)"
        CANCELLED = "cancelled", "Cancelled (endpoint disabled)"

    event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    nudged_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event.type} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the log the admin shows."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=32)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = "webhook attempt"

    def __str__(self):
        return f"attempt {self.number} of delivery {self.delivery_id}"

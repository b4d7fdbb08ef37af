"""Delivering webhook events: one idempotent job per delivery, and a sweeper.

A delivery is attempted only by whoever moves its lease forward in one
conditional UPDATE (the job, a replay, or the sweeper), so two workers
never send the same attempt. Outcomes (README: "Webhooks"):

- 2xx: delivered; the endpoint's failure count resets.
- 410 Gone: the endpoint is disabled at once; its pending deliveries are
  cancelled.
- 429 or 503 with ``Retry-After`` (seconds or an HTTP date): the next
  attempt waits exactly that long (at most a day).
- anything else (other status, redirect, timeout, refused target, network
  error): retried with exponential backoff and jitter, ``BACKOFF`` seconds
  apart, about a day in all; after ``MAX_ATTEMPTS`` attempts the delivery
  is failed (the dead letter, shown in the delivery log, replayable).
- ``WEBHOOK_DISABLE_AFTER_FAILURES`` failed attempts in a row disable the
  endpoint, with a warning on the dashboard.

A worker killed mid-request leaves the lease to run out (timeout + 5 s);
the sweeper then attempts the delivery again: at least once, never lost.
"""

import datetime
import email.utils
import hashlib
import json
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from cms import metrics
from webhooks import signing, transport
from worker.db import write_transaction
from worker.queue import enqueue_later, enqueue_with_transaction

logger = logging.getLogger("webhooks")

# Seconds before attempt 2, 3, ...: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h,
# 2 h, 4 h, 8 h, 8 h (about 23.7 h in all, before jitter).
BACKOFF = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800)
MAX_ATTEMPTS = len(BACKOFF) + 1
JITTER = 0.2  # each delay is scaled by a factor in [0.8, 1.2)
RETRY_AFTER_MAX = 24 * 3600
LEASE_MARGIN = 5
# Deliveries due longer than this without a worker taking them are
# re-enqueued by the sweeper (a job lost with a killed worker).
SWEEP_GRACE = 5
DELIVERY_PRIORITY = 10


def interval() -> float:
    return 5


def lease_seconds() -> int:
    return settings.WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN


def backoff_delay(delivery_id: int, attempt: int) -> float:
    """Seconds before the attempt after ``attempt``: the schedule, scaled by
    a jitter factor derived from the delivery and attempt (so deliveries
    that failed together spread out, and each delay can be checked)."""
    base = BACKOFF[min(attempt, len(BACKOFF)) - 1]
    digest = hashlib.sha256(f"{delivery_id}:{attempt}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return base * (1 - JITTER + 2 * JITTER * fraction)


def parse_retry_after(value: str | None, now) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = (when - now).total_seconds()
    return min(max(seconds, 1.0), RETRY_AFTER_MAX)


def payload(event) -> bytes:
    """The body sent for ``event``: the same bytes on every attempt."""
    body = {
        "type": event.type,
        "timestamp": event.created_at.astimezone(datetime.UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "data": {**event.data, "sequence": event.pk},
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=False).encode()


@task(priority=DELIVERY_PRIORITY)
def deliver_task(delivery_id: int) -> str:
    return attempt(delivery_id)


def enqueue_delivery(delivery_id: int) -> None:
    enqueue_with_transaction(deliver_task, delivery_id)


def _claim(delivery_id: int, now) -> bool:
    from webhooks.models import WebhookDelivery

    lease = now + datetime.timedelta(seconds=lease_seconds())
    return (
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(
            locked_until=lease,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
        == 1
    )


def attempt(delivery_id: int) -> str:
    """Attempt one delivery if it is due and free; return the outcome."""
    from webhooks.models import WebhookDelivery

    now = timezone.now()
    if not _claim(delivery_id, now):
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(
        pk=delivery_id
    )
    endpoint = delivery.endpoint
    if not endpoint.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.CANCELLED,
            locked_until=None,
            attempts=F("attempts") - 1,
            error="endpoint disabled",
        )
        return "cancelled"
    body = payload(delivery.event)
    headers = signing.headers(
        endpoint.secrets(now), delivery.event.message_id, int(now.timestamp()), body
    )
    response = transport.post(endpoint.url, body, headers)
    return _record(delivery, response, now)


def _record(delivery, response, started) -> str:
    from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

    now = timezone.now()
    status = response.status
    endpoint = delivery.endpoint
    changes = {
        "locked_until": None,
        "response_code": status,
        "duration_ms": response.duration_ms,
        "response_excerpt": response.excerpt,
        "error": response.error[:300],
    }
    retry_at = None
    if status is not None and 200 <= status < 300:
        outcome = "succeeded"
        changes.update(status=WebhookDelivery.Status.SUCCEEDED, delivered_at=now)
    elif status == 410:
        outcome = "gone"
        changes.update(status=WebhookDelivery.Status.FAILED, error="410 Gone")
    else:
        delay = None
        if status in (429, 503):
            delay = parse_retry_after(response.headers.get("retry-after"), now)
        if delay is not None:
            outcome = "retry_after"
        elif response.timed_out:
            outcome = "timeout"
        elif status is None:
            outcome = "error"
        else:
            outcome = "http_error"
        if delay is None and delivery.attempts >= MAX_ATTEMPTS:
            changes.update(status=WebhookDelivery.Status.FAILED)
            outcome = "dead"
        else:
            if delay is None:
                delay = backoff_delay(delivery.pk, delivery.attempts)
            retry_at = now + datetime.timedelta(seconds=delay)
            changes.update(next_attempt_at=retry_at, nudged_at=None)
    metrics.WEBHOOK_DELIVERIES.labels(
        result="success" if outcome == "succeeded" else "failure"
    ).inc()
    with write_transaction():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=started,
            duration_ms=response.duration_ms,
            response_code=status,
            response_excerpt=response.excerpt,
            error=response.error[:300],
            outcome=outcome,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
        if outcome == "succeeded":
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=0
            )
        elif outcome == "gone":
            disable(endpoint, "The receiver answered 410 Gone.")
        else:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=F("consecutive_failures") + 1
            )
            endpoint.refresh_from_db(fields=["consecutive_failures"])
            limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
            if limit and endpoint.consecutive_failures >= limit:
                disable(endpoint, f"{limit} failed attempts in a row.")
        if retry_at is not None:
            enqueue_later(deliver_task, retry_at, delivery.pk)
    logger.info(
        "webhook delivery %s attempt %s to %s: %s (%s)",
        delivery.pk,
        delivery.attempts,
        endpoint.pk,
        outcome,
        status or response.error,
    )
    return outcome


def disable(endpoint, reason: str) -> None:
    """Switch ``endpoint`` off and cancel what it still had pending."""
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=False, disabled_at=now, disabled_reason=reason[:200]
    )
    WebhookDelivery.objects.filter(
        endpoint_id=endpoint.pk, status=WebhookDelivery.Status.PENDING
    ).filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now)).update(
        status=WebhookDelivery.Status.CANCELLED, error="endpoint disabled"
    )
    logger.warning("webhook %s disabled: %s", endpoint.pk, reason)


def due_deliveries(now=None, grace: float = 0):
    from webhooks.models import WebhookDelivery

    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now - datetime.timedelta(seconds=grace),
    ).filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))


def sweep(now=None, limit: int = 200) -> int:
    """Re-enqueue deliveries that are due but whose job is gone (a killed
    worker, a backend without deferred jobs); return how many."""
    now = now or timezone.now()
    recent = now - datetime.timedelta(seconds=60)
    rows = list(
        due_deliveries(now, SWEEP_GRACE)
        .filter(Q(nudged_at__isnull=True) | Q(nudged_at__lt=recent))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not rows:
        return 0
    from webhooks.models import WebhookDelivery

    with write_transaction():
        WebhookDelivery.objects.filter(pk__in=rows).update(nudged_at=now)
        for pk in rows:
            enqueue_delivery(pk)
    return len(rows)


def deliver_due(now=None) -> list[str]:
    """Attempt every due delivery here and now (tests, ``make_due``)."""
    pks = list(due_deliveries(now).order_by("pk").values_list("pk", flat=True))
    return [attempt(pk) for pk in pks]


def replay(delivery, user=None):
    """A new delivery of the same event to the same endpoint."""
    from webhooks.models import WebhookDelivery

    with write_transaction():
        copy = WebhookDelivery.objects.create(
            event=delivery.event, endpoint=delivery.endpoint, replay_of=delivery
        )
        enqueue_delivery(copy.pk)
    return copy


def send_test(endpoint):
    """A ``webhook.test`` event to ``endpoint`` only."""
    from webhooks.events import record

    data = {
        "id": str(endpoint.pk),
        "contentType": "webhook",
        "slug": "",
        "url": None,
        "revision": None,
        "cacheTags": [],
    }
    with write_transaction():
        return record("webhook.test", "webhook", data, endpoints=[endpoint])


def prune(now=None) -> int:
    """Forget delivered events older than ``WEBHOOK_LOG_RETENTION_DAYS``."""
    from webhooks.models import WebhookDelivery, WebhookEvent

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.WEBHOOK_LOG_RETENTION_DAYS)
    open_events = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING
    ).values("event_id")
    deleted, _ = (
        WebhookEvent.objects.filter(created_at__lt=cutoff)
        .exclude(pk__in=open_events)
        .delete()
    )
    return deleted

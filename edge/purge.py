"""Purging the edge: tags requested in the change's transaction, sent by the
worker in one debounced, batched, idempotent job.

``request(tags)`` upserts one ``PendingPurge`` row per tag and, once per
transaction, enqueues ``purge_task`` to run ``EDGE_PURGE_DEBOUNCE_MS``
later (where the backend can defer jobs), so a burst of changes goes out as
one batch. The job reads every pending tag, purges them through the
configured backend (``edge.backends``) and then deletes exactly the rows it
read: a tag requested again meanwhile has a newer ``requested_at`` and
stays for the next job. Purging a tag twice is harmless, so the job may run
twice; when the backend fails the rows stay and the job raises, and the
worker retries it with backoff (``worker.recovery``).
"""

import datetime
import functools
import logging
import operator
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from cms import metrics
from cms.graphql.tags import purge_tags
from edge import backends
from worker.queue import enqueue_later, enqueue_with_transaction

logger = logging.getLogger("edge")

PURGE_PRIORITY = 20  # before webhook deliveries: a purge makes content visible
BATCH = 200  # pending tags one job takes; the rest go to the next job


def enabled() -> bool:
    return bool(settings.EDGE_PURGE_BACKEND)


@task(priority=PURGE_PRIORITY)
def purge_task() -> str:
    return purge_pending()


def _job_marker():
    """Marks a transaction that has enqueued its purge job."""


def request(tags) -> None:
    """Purge ``tags`` once the current transaction commits."""
    from edge.models import PendingPurge

    tags = sorted({tag for tag in tags if tag})
    if not tags or not enabled():
        return
    now = timezone.now()
    PendingPurge.objects.bulk_create(
        [PendingPurge(tag=tag[:255], requested_at=now) for tag in tags],
        update_conflicts=True,
        unique_fields=["tag"],
        update_fields=["requested_at"],
    )
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(entry[1] is _job_marker for entry in connection.run_on_commit):
            return
        transaction.on_commit(_job_marker)
    _enqueue()


def _enqueue() -> None:
    delay = datetime.timedelta(milliseconds=settings.EDGE_PURGE_DEBOUNCE_MS)
    if delay and enqueue_later(purge_task, timezone.now() + delay):
        return
    enqueue_with_transaction(purge_task)


def purge_pending() -> str:
    from edge.models import PendingPurge

    rows = list(
        PendingPurge.objects.order_by("requested_at").values_list(
            "tag", "requested_at"
        )[:BATCH]
    )
    if not rows:
        return "nothing to purge"
    backend = backends.configured()
    tags = purge_tags(tag for tag, _ in rows)
    if backend is not None:
        started = time.monotonic()
        try:
            backend.purge(tags)
        finally:
            metrics.PURGE_DURATION.observe(time.monotonic() - started)
    # Only the rows as read: one requested again since is purged again.
    matched = functools.reduce(
        operator.or_, (Q(tag=tag, requested_at=at) for tag, at in rows)
    )
    PendingPurge.objects.filter(matched).delete()
    if len(rows) == BATCH:
        _enqueue()
    name = backend.name if backend else "no backend"
    logger.info("purged %d tags (%s)", len(tags), name)
    return f"purged {len(tags)} tags ({name})"

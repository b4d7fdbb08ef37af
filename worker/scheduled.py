"""Scheduled publishing: go-live and expiry, run by the worker.

The same work as Wagtail's ``publish_scheduled`` command, every
``WORKER_SCHEDULED_PUBLISHING_SECONDS`` (15) on one worker, with each object
in a transaction of its own: its publish, its search and reference index
jobs and its webhook events commit together, and one failing object does
not hold back the others. Until it runs, expired content is already hidden
from the API (``cms.selectors.not_expired``).
"""

import logging

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

from worker.db import write_transaction

logger = logging.getLogger("worker")


def interval() -> float:
    return settings.WORKER_SCHEDULED_PUBLISHING_SECONDS


def _draft_state_models():
    models = [Page]
    models += [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]
    return models


def publish_scheduled(now=None) -> dict:
    """Unpublish what has expired, publish what has come due; return counts."""
    now = now or timezone.now()
    done = {"expired": 0, "published": 0, "failed": 0}
    for model in _draft_state_models():
        expired = model.objects.filter(live=True, expire_at__lte=now).order_by(
            "expire_at"
        )
        for obj in list(expired):
            try:
                with write_transaction():
                    obj.unpublish(
                        set_expired=True, log_action="wagtail.unpublish.scheduled"
                    )
                done["expired"] += 1
            except Exception:
                logger.exception("could not unpublish expired %r", obj)
                done["failed"] += 1
    due = Revision.objects.filter(approved_go_live_at__lte=now).order_by(
        "approved_go_live_at"
    )
    for revision in list(due):
        try:
            with write_transaction():
                revision.publish(log_action="wagtail.publish.scheduled")
            done["published"] += 1
        except Exception:
            logger.exception("could not publish scheduled revision %s", revision.pk)
            done["failed"] += 1
    if done["expired"] or done["published"] or done["failed"]:
        logger.info("scheduled publishing: %s", done)
    return done

"""How long a response may be reused: never past the next scheduled change.

A page or snippet that expires at 10:00 is hidden from 10:00 on, by the
clock (``cms.selectors.not_expired``), without a publish to bump the
content generation; a scheduled go-live appears when the worker publishes
it, up to ``WORKER_SCHEDULED_PUBLISHING_SECONDS`` later, and a trainer
credential stops being current at midnight after its expiry date. So
neither the response cache's timeout nor HTTP ``max-age`` may reach past
the next of those moments: both are cut to the seconds left until it (0,
and no cache entry, when a go-live is due and not yet published).

The moment is the earliest over all content, not only the content in one
response: cheaper, and never too late. It is computed once per content
generation and process, and again when it has passed.
"""

import datetime
import logging
import math
import threading

from django.apps import apps
from django.db.models import Min
from django.utils import timezone

logger = logging.getLogger("cms.graphql")

# While a go-live is overdue (the worker has not published it yet), look
# again at most this often.
OVERDUE_RECHECK = datetime.timedelta(seconds=1)
_lock = threading.Lock()
_memo: tuple[int, datetime.datetime | None, datetime.datetime] | None = None


def _earliest(*moments):
    found = [moment for moment in moments if moment is not None]
    return min(found) if found else None


def compute_next_change(now=None) -> datetime.datetime | None:
    """The next moment at which public content changes by itself."""
    from wagtail.models import DraftStateMixin, Page, Revision

    now = now or timezone.now()
    moments = [
        Revision.objects.filter(approved_go_live_at__isnull=False).aggregate(
            at=Min("approved_go_live_at")
        )["at"],
        Page.objects.filter(live=True, expire_at__gt=now).aggregate(
            at=Min("expire_at")
        )["at"],
    ]
    for model in apps.get_models():
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page):
            moments.append(
                model.objects.filter(live=True, expire_at__gt=now).aggregate(
                    at=Min("expire_at")
                )["at"]
            )
    moments.append(_next_credential_lapse(now))
    return _earliest(*moments)


def _next_credential_lapse(now):
    try:
        credential = apps.get_model("content", "TrainerCredential")
    except LookupError:
        return None
    today = timezone.localdate(now)
    expires_on = credential.objects.filter(expires_on__gte=today).aggregate(
        on=Min("expires_on")
    )["on"]
    if expires_on is None:
        return None
    # Current through its expiry date: it lapses at the next midnight.
    midnight = datetime.datetime.combine(
        expires_on + datetime.timedelta(days=1), datetime.time()
    )
    return timezone.make_aware(midnight)


def next_change(generation=None, now=None) -> datetime.datetime | None:
    global _memo
    now = now or timezone.now()
    memo = _memo
    if (
        generation is not None
        and memo is not None
        and memo[0] == generation
        and now < memo[2]
    ):
        return memo[1]
    try:
        moment = compute_next_change(now)
    except Exception:
        # No database (it is down, or the response needed none): the
        # configured lifetime stands, as before scheduled changes counted.
        logger.warning("next scheduled change unknown", exc_info=True)
        return None
    if generation is not None:
        if moment is None:
            recheck = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        elif moment > now:
            recheck = moment
        else:
            recheck = now + OVERDUE_RECHECK
        with _lock:
            _memo = (generation, moment, recheck)
    return moment


def bound(seconds: int, generation=None, now=None) -> int:
    """``seconds``, cut to the whole seconds left until the next change."""
    now = now or timezone.now()
    return cut(seconds, next_change(generation, now), now)


def cut(seconds: int, moment, now) -> int:
    """``seconds``, cut to the whole seconds left until ``moment`` (a
    ``next_change`` read once for several lifetimes)."""
    if moment is None:
        return seconds
    left = (moment - now).total_seconds()
    return max(0, min(seconds, math.floor(left)))


def forget() -> None:
    global _memo
    with _lock:
        _memo = None

"""Writes of the trainer directory: the change log and the sync cursors.

Append to the change log whenever a profile's public state may change.

Covered: publish (including scheduled go-live), unpublish (including scheduled
expiry, which runs through ``unpublish``), delete, move (a profile can land
under a private parent), view restrictions added/changed/removed on the page
or an ancestor, an ancestor published or unpublished (a profile under a draft
or expired parent is hidden), and edits to the shared vocabularies a profile
embeds.
Credentials expiring by date fire no signal: ``log_expired_credentials``
(the ``sync_credential_expiry`` command, run from cron) covers them.

A sync cursor is the id of the last log row a client has read, signed.
"""

import datetime

from django.core import signing
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.graphql.errors import ApiError, ErrorCode
from cms.graphql.signals import content_changed
from cms.graphql.tags import prefix_for_label
from cms.selectors import public_pages
from content.catalogue.models import Credential, Specialty
from content.trainers.models import (
    TrainerChange,
    TrainerCredential,
    TrainerProfilePage,
    lock_change_log,
)

UPSERT = TrainerChange.Kind.UPSERT
REMOVE = TrainerChange.Kind.REMOVE
CURSOR_SALT = "content.trainers.sync"
CURSOR_VERSION = 1


def log_changes(page_ids, kind=None) -> None:
    """Log one row per page; ``kind`` None means 'work out from current state'.

    A row's kind always matches what the API showed when it was written
    (``public_pages``, as the sync resolver uses), which lets
    ``_log_ancestor_change`` spot profiles whose visibility changed since.
    """
    page_ids = sorted(set(page_ids))
    if not page_ids:
        return
    if kind is None:
        visible = set(
            public_pages(TrainerProfilePage.objects)
            .filter(pk__in=page_ids)
            .values_list("pk", flat=True)
        )
        rows = [
            TrainerChange(page_id=pk, kind=UPSERT if pk in visible else REMOVE)
            for pk in page_ids
        ]
    else:
        rows = [TrainerChange(page_id=pk, kind=kind) for pk in page_ids]
    TrainerChange.objects.bulk_create(rows)


def _ever_published_in_subtree(page):
    # Profiles that were never live have nothing to tombstone.
    return TrainerProfilePage.objects.filter(
        path__startswith=page.path, first_published_at__isnull=False
    ).values_list("pk", flat=True)


def _log_ancestor_change(page) -> None:
    """Log the profiles under ``page`` whose visibility no longer matches their
    newest row: publishing or unpublishing an ancestor shows or hides them
    without touching them. An ordinary edit of a visible parent logs nothing."""
    newest_kind = (
        TrainerChange.objects.filter(page_id=OuterRef("pk"))
        .order_by("-id")
        .values("kind")[:1]
    )
    subtree = TrainerProfilePage.objects.filter(
        path__startswith=page.path, first_published_at__isnull=False
    )
    visible = set(public_pages(subtree).values_list("pk", flat=True))
    rows = subtree.annotate(kind=Subquery(newest_kind)).values_list("pk", "kind")
    log_changes([pk for pk, kind in rows if (pk in visible) != (kind == UPSERT)])


@receiver(page_published)
def trainer_published(sender, instance, **kwargs):
    if isinstance(instance, TrainerProfilePage):
        log_changes([instance.pk])
    elif instance.numchild:
        _log_ancestor_change(instance)


@receiver(page_unpublished)
def trainer_unpublished(sender, instance, **kwargs):
    if isinstance(instance, TrainerProfilePage):
        log_changes([instance.pk], REMOVE)
    elif instance.numchild:
        _log_ancestor_change(instance)


@receiver(post_delete, sender=TrainerProfilePage)
def trainer_deleted(sender, instance, **kwargs):
    if instance.first_published_at is not None:
        log_changes([instance.pk], REMOVE)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    instance.refresh_from_db(fields=["path"])
    log_changes(_ever_published_in_subtree(instance))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata (restore): the change log arrives with the backup
    try:
        page = instance.page
    except Exception:  # the page itself is being deleted in the same cascade
        return
    log_changes(_ever_published_in_subtree(page))


def _live_holders(**lookup):
    return (
        public_pages(TrainerProfilePage.objects)
        .filter(**lookup)
        .values_list("pk", flat=True)
        .distinct()
    )


@receiver(post_save, sender=Credential)
def credential_changed(sender, instance, created, **kwargs):
    if not created and not kwargs.get("raw"):
        log_changes(_live_holders(credentials__credential=instance), UPSERT)


@receiver(post_save, sender=Specialty)
def specialty_changed(sender, instance, created, **kwargs):
    if not created and not kwargs.get("raw"):
        log_changes(_live_holders(specialties=instance), UPSERT)


def credential_lapses_at(expires_on: datetime.date) -> datetime.datetime:
    """When a credential stops being current: local midnight after its expiry
    date (``TrainerCredential.is_current`` compares with the local date)."""
    day_after = expires_on + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))


def log_expired_credentials(now: datetime.datetime | None = None) -> list[int]:
    """UPSERT every public profile whose credential lapsed after its last log row.

    A profile's ``isCurrent`` flags flip at midnight without any write, so an
    app that fetched the profile before then keeps the old flags. An app
    fetches a profile when it replays one of its rows, after the row's ``at``;
    so the profile is stale for some app exactly when a credential lapsed
    after its newest row (or it has no row). The horizon comes from the log
    itself: nothing else to store, missed runs catch up, and a second run
    finds every such profile already logged (idempotent). Holding the log
    lock while reading makes two concurrent runs on PostgreSQL log once.
    """
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        lock_change_log()
        lapsed = (
            TrainerCredential.objects.filter(expires_on__lt=today)
            .filter(page__in=public_pages(TrainerProfilePage.objects).values("pk"))
            .values("page_id")
            .annotate(last=Max("expires_on"))
            .values_list("page_id", "last")
        )
        lapsed = {pk: credential_lapses_at(day) for pk, day in lapsed}
        logged = dict(
            TrainerChange.objects.filter(
                page_id__in=TrainerCredential.objects.filter(
                    expires_on__lt=today
                ).values("page_id")
            )
            .values("page_id")
            .annotate(last=Max("at"))
            .values_list("page_id", "last")
        )
        stale = sorted(
            pk for pk, at in lapsed.items() if pk not in logged or logged[pk] < at
        )
        log_changes(stale, UPSERT)
    if stale:
        # Cached directory, sync and profile responses show the old flags.
        prefixes = (
            prefix_for_label("content.trainerprofilepage"),
            prefix_for_label("wagtailcore.page"),
        )
        content_changed(
            {"trainerDirectory", *(f"{p}:{pk}" for pk in stale for p in prefixes)}
        )
    return stale


def encode_cursor(change_id: int) -> str:
    # No timestamp in the signature: the same position always gives the same
    # cursor, so sync responses are cacheable and reproducible.
    payload = {"v": CURSOR_VERSION, "c": change_id}
    return signing.Signer(salt=CURSOR_SALT).sign_object(payload, compress=False)


def decode_cursor(cursor: str | None) -> int:
    if cursor is None or cursor == "":
        return 0
    try:
        payload = signing.Signer(salt=CURSOR_SALT).unsign_object(cursor)
        if payload.get("v") != CURSOR_VERSION:
            raise ValueError("cursor version")
        change_id = payload["c"]
        if not isinstance(change_id, int) or change_id < 0:
            raise ValueError("cursor value")
    except (signing.BadSignature, ValueError, KeyError, TypeError, AttributeError):
        raise ApiError(
            "The sync cursor is malformed or was not issued by this server. "
            "Sync again from the start (cursor: null).",
            code=ErrorCode.INVALID_CURSOR,
        ) from None
    return change_id

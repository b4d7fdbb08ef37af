"""Content changes become outbox rows, in the transaction of the change.

Receivers of Wagtail's and Django's signals, matched on model labels (never
on content's classes): a publish, unpublish, delete or move of an article,
comparison table, trainer profile or the organisation settings writes one
``WebhookEvent`` and one ``WebhookDelivery`` per endpoint that wants it,
and enqueues the delivery job. All of it happens inside the change's
transaction (admin writes are atomic: ``worker.middleware``), so a rolled
back publish leaves nothing behind and a committed one is delivered at
least once (the sweeper finds deliveries whose job was lost).

The payload is thin and never carries draft content: ids, slug, the
frontend URL and the live revision, as of the change.
"""

import functools

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

# Model label (lower case) -> contentType in payloads and filters.
CONTENT_TYPES = {
    "content.articlepage": "article",
    "content.comparisontable": "table",
    "content.trainerprofilepage": "trainer",
    "home.organisationsettings": "settings",
    "content.trainerdirectorypage": "trainerDirectory",
}
# Frontend paths of content that is not a page.
URL_PATTERNS = {"table": "/compare/{slug}/", "settings": "/"}
DIRECTORY = "trainerDirectory"
DIRECTORY_CHANGED = "trainerDirectory.changed"


def content_type_of(obj) -> str | None:
    return CONTENT_TYPES.get(obj._meta.label_lower)


def frontend_url(obj, content_type: str) -> str | None:
    if isinstance(obj, Page):
        from cms.graphql.interfaces import frontend_url as page_url

        try:
            return page_url(obj)
        except Exception:
            return None
    pattern = URL_PATTERNS.get(content_type)
    if pattern is None:
        return None
    return settings.FRONTEND_BASE_URL + pattern.format(slug=getattr(obj, "slug", ""))


def cache_tags(content_type: str, object_id: str) -> list[str]:
    tags = [content_type, f"{content_type}:{object_id}"]
    if content_type == "trainer":
        tags.append(DIRECTORY)
    return tags


def describe(obj, content_type: str, revision_id=None) -> dict:
    object_id = str(obj.pk)
    return {
        "id": object_id,
        "contentType": content_type,
        "slug": getattr(obj, "slug", "") or "",
        "url": frontend_url(obj, content_type),
        "revision": revision_id,
        "cacheTags": cache_tags(content_type, object_id),
    }


def _active_endpoints():
    from webhooks.models import WebhookEndpoint

    return list(WebhookEndpoint.objects.filter(active=True))


def record(event_type: str, content_type: str, data: dict, endpoints=None):
    """Write the event and its deliveries; enqueue the deliveries' jobs.

    Nothing is written when no active endpoint wants the event.
    """
    from webhooks.delivery import enqueue_delivery
    from webhooks.models import WebhookDelivery, WebhookEvent

    if endpoints is None:
        endpoints = [
            endpoint
            for endpoint in _active_endpoints()
            if endpoint.wants(event_type, content_type)
        ]
    if not endpoints:
        return None
    event = WebhookEvent.objects.create(
        type=event_type,
        content_type=content_type,
        object_id=str(data.get("id", "")),
        data=data,
        created_at=timezone.now(),
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event=event, endpoint=endpoint, created_at=event.created_at)
            for endpoint in endpoints
        ]
    )
    for delivery in deliveries:
        enqueue_delivery(delivery.pk)
    return event


def emit(obj, action: str, revision_id=None) -> None:
    content_type = content_type_of(obj)
    if content_type is None:
        return
    if content_type != DIRECTORY:
        record(
            f"{content_type}.{action}",
            content_type,
            describe(obj, content_type, revision_id),
        )
    if content_type in ("trainer", DIRECTORY):
        _directory_changed(obj)


def _directory_marker():
    """Marks a transaction that already has its directory event."""


def _directory_changed(obj) -> None:
    # One "trainerDirectory.changed" per transaction, however many profiles
    # it touches; Django drops the marker with the transaction's callbacks.
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(entry[1] is _directory_marker for entry in connection.run_on_commit):
            return
        transaction.on_commit(_directory_marker)
    directory = _directory_page(obj)
    data = {
        "id": str(directory.pk) if directory else "",
        "contentType": DIRECTORY,
        "slug": getattr(directory, "slug", "") if directory else "",
        "url": frontend_url(directory, DIRECTORY) if directory else None,
        "revision": None,
        "cacheTags": [DIRECTORY],
    }
    record(DIRECTORY_CHANGED, DIRECTORY, data)


def _directory_page(obj):
    if content_type_of(obj) == DIRECTORY:
        return obj
    if not isinstance(obj, Page):
        return None
    for ancestor in obj.get_ancestors().specific().reverse():
        if content_type_of(ancestor) == DIRECTORY:
            return ancestor
    return None


# Signal receivers -------------------------------------------------------------


def _skip(kwargs) -> bool:
    return bool(kwargs.get("raw"))  # loaddata (restore) is not a change


def _page_published(sender, instance, revision=None, **kwargs):
    # Wagtail also sends it when it only schedules a go-live: not live yet.
    if instance.live:
        emit(instance, "published", getattr(revision, "pk", None))


def _page_unpublished(sender, instance, **kwargs):
    emit(instance, "unpublished")


def _snippet_published(sender, instance, revision=None, **kwargs):
    # Pages have page_published; a scheduled go-live is not live yet.
    if not isinstance(instance, Page) and getattr(instance, "live", True):
        emit(instance, "published", getattr(revision, "pk", None))


def _snippet_unpublished(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        emit(instance, "unpublished")


def _page_moved(sender, instance, url_path_before=None, url_path_after=None, **kw):
    if url_path_before == url_path_after:
        return  # reordered among siblings: no URL changed
    moved = instance.specific
    pages = [moved, *moved.get_descendants().specific()]
    for page in pages:
        if page.live and content_type_of(page):
            emit(page, "moved", page.live_revision_id)


def _saved(sender, instance, created=False, **kwargs):
    # Models without draft state (the organisation settings) are live on save.
    if _skip(kwargs) or getattr(sender._meta, "label_lower", "") not in _PLAIN:
        return
    emit(instance, "published")


def _deleted(sender, instance, **kwargs):
    if content_type_of(instance) is None:
        return
    if hasattr(instance, "first_published_at") and not instance.first_published_at:
        return  # never public: nothing to announce
    emit(instance, "deleted", getattr(instance, "live_revision_id", None))


_PLAIN = {"home.organisationsettings"}


@functools.cache
def connect() -> None:
    uid = "webhooks.events"
    page_published.connect(_page_published, dispatch_uid=f"{uid}.page_published")
    page_unpublished.connect(_page_unpublished, dispatch_uid=f"{uid}.page_unpub")
    published.connect(_snippet_published, dispatch_uid=f"{uid}.published")
    unpublished.connect(_snippet_unpublished, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(_page_moved, dispatch_uid=f"{uid}.moved")
    post_save.connect(_saved, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_deleted, dispatch_uid=f"{uid}.deleted")

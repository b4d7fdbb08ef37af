"""Which tags a change purges, decided in the change's transaction.

Publish, unpublish, delete and move of pages and snippets, and saves of
models without drafts (the organisation settings, authors, credentials,
images) purge the object's own tags (``cms.graphql.tags.tags_for_object``),
its model's list tags (``EDGE_LIST_TAGS_BY_MODEL``), and the tags of every
object that refers to it in Wagtail's reference index: editing a comparison
table purges each article embedding it, and nothing else. Draft saves of
pages and snippets purge nothing (the public API never shows drafts).
Models are those of ``GRAPHQL_CACHE_INVALIDATING_APPS`` less
``GRAPHQL_CACHE_IGNORED_MODELS``, as for the response cache's generation.
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from wagtail.models import DraftStateMixin, Page, ReferenceIndex
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from cms.graphql.config import graphql_settings
from cms.graphql.tags import list_tags_for_label, prefix_for_label, tags_for_object
from edge import purge

# Live descendants of a moved page purged with it (their URLs change);
# past this, the page's list tags cover lists, and "overflow" the rest.
MOVE_DESCENDANTS_MAX = 500


def _watched(model) -> bool:
    meta = getattr(model, "_meta", None)
    if meta is None:
        return False
    config = graphql_settings()
    return (
        meta.app_label in config.cache_invalidating_apps
        and meta.label_lower not in config.cache_ignored_models
    )


def referrer_tags(obj) -> set[str]:
    """Tags of the objects that refer to ``obj`` (one query)."""
    tags = set()
    page_prefix = prefix_for_label("wagtailcore.page")
    references = (
        ReferenceIndex.get_references_to(obj)
        .values_list("content_type_id", "object_id")
        .distinct()
    )
    for content_type_id, object_id in references:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        tags.add(f"{prefix_for_label(model._meta.label_lower)}:{object_id}")
        if issubclass(model, Page):
            tags.add(f"{page_prefix}:{object_id}")
    return tags


def tags_for_change(obj) -> set[str]:
    label = obj._meta.label_lower
    tags = {*tags_for_object(obj), *list_tags_for_label(label)}
    tags.update(referrer_tags(obj))
    return tags


def changed(obj) -> None:
    if not purge.enabled() or not _watched(type(obj)):
        return
    if isinstance(obj, Page):
        obj = obj.specific_deferred
    purge.request(tags_for_change(obj))


# Signal receivers -------------------------------------------------------------


def _published(sender, instance, **kwargs):
    # Also sent when a go-live is only scheduled: nothing public changed yet.
    if getattr(instance, "live", True):
        changed(instance)


def _unpublished(sender, instance, **kwargs):
    changed(instance)


def _snippet_published(sender, instance, **kwargs):
    if not isinstance(instance, Page):  # pages have page_published
        _published(sender, instance)


def _snippet_unpublished(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        changed(instance)


def _moved(sender, instance, **kwargs):
    if not purge.enabled():
        return
    moved = instance.specific_deferred
    tags = tags_for_change(moved)
    descendants = moved.get_descendants().live().specific(defer=True)
    for page in descendants[:MOVE_DESCENDANTS_MAX]:
        tags.update(tags_for_object(page))
    purge.request(tags)


def _saved(sender, instance, raw=False, **kwargs):
    # Pages and snippets with drafts change in public only when published.
    if raw or issubclass(sender, Page | DraftStateMixin):
        return
    changed(instance)


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and type(instance) is Page:
        return  # the specific page's own post_delete covers it
    changed(instance)


@functools.cache
def connect() -> None:
    uid = "edge.signals"
    page_published.connect(_published, dispatch_uid=f"{uid}.page_published")
    page_unpublished.connect(_unpublished, dispatch_uid=f"{uid}.page_unpublished")
    published.connect(_snippet_published, dispatch_uid=f"{uid}.published")
    unpublished.connect(_snippet_unpublished, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(_moved, dispatch_uid=f"{uid}.moved")
    post_save.connect(_saved, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_deleted, dispatch_uid=f"{uid}.deleted")

"""Content changed: what a change invalidates, decided once, in the change's
transaction, for the response cache and for every listener (the edge's
purges, ``edge.signals``).

A change with precise tags (``tags_for_change``: the object's own tags, its
model's list tags, and the tags of every object that refers to it in
Wagtail's reference index) invalidates exactly those in the response cache
(``cms.graphql.versions.invalidate``, synchronously) and hands them to the
listeners. Precise:

- publish and unpublish of pages and snippets, and a full save of a live
  page (a draft save updates named fields only, and changes nothing public);
- delete of a page or snippet;
- save and delete of models without drafts that the API shows as objects
  of their own (``EDGE_TAG_PREFIXES`` and ``EDGE_LIST_TAGS_BY_MODEL``:
  the organisation settings, credentials);
- save and delete of a page's child rows (tags, orderables): the page's
  tags.

Everything else in ``GRAPHQL_CACHE_INVALIDATING_APPS`` (less
``GRAPHQL_CACHE_IGNORED_MODELS``) may change what the public sees without a
tag saying where: page moves, privacy (view restrictions), sites, locales,
collections, taggit tags, images, documents, search promotions. Those bump
the whole response cache (``bump_generation``); the listeners get the
change's own tags, as before.
"""

import functools

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_migrate, post_save
from modelcluster.fields import ParentalKey
from wagtail.models import DraftStateMixin, Page, ReferenceIndex
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    published,
    unpublished,
)

from cms.graphql import versions
from cms.graphql.config import graphql_settings
from cms.graphql.tags import list_tags_for_label, prefix_for_label, tags_for_object

# Live descendants of a moved page whose tags go to the listeners with it
# (their URLs change); past this, the page's list tags cover lists.
MOVE_DESCENDANTS_MAX = 500

# Called with the tags of each change, in its transaction.
_listeners: list = []


def subscribe(listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def watched(model) -> bool:
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


def content_changed(tags, *, everything: bool = False) -> None:
    """Invalidate ``tags`` (every cached response when ``everything``) and
    tell the listeners. For services that change content without a signal
    (comment moderation, lapsed credentials)."""
    tags = {tag for tag in tags if tag}
    versions.invalidate(versions.EVERYTHING if everything else tags)
    if tags:
        for listener in _listeners:
            listener(tags)


def changed(obj, *, everything: bool = False) -> None:
    if not watched(type(obj)):
        return
    if isinstance(obj, Page):
        obj = obj.specific_deferred
    content_changed(tags_for_change(obj), everything=everything)


def _precise(model) -> bool:
    label = model._meta.label_lower
    return label in settings.EDGE_TAG_PREFIXES or label in (
        settings.EDGE_LIST_TAGS_BY_MODEL
    )


def _parent_page(instance):
    """The page a child row (an orderable, a tag) belongs to, if any."""
    for field in instance._meta.concrete_fields:
        related = field.related_model if field.is_relation else None
        if (
            isinstance(related, type)
            and issubclass(related, Page)
            and isinstance(field, ParentalKey)
        ):
            try:
                return getattr(instance, field.name)
            except Exception:  # deleted with it: no tag to go by
                return None
    return None


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


def _before_move(sender, instance, **kwargs):
    versions.bump_generation()


def _moved(sender, instance, **kwargs):
    if not watched(type(instance)):
        return
    moved = instance.specific_deferred
    tags = tags_for_change(moved)
    descendants = moved.get_descendants().live().specific(defer=True)
    for page in descendants[:MOVE_DESCENDANTS_MAX]:
        tags.update(tags_for_object(page))
    # URLs and parents change under the page: no tag names them all.
    content_changed(tags, everything=True)


def _child_changed(instance) -> bool:
    page = _parent_page(instance)
    if page is None:
        return False
    if page.live and watched(type(page)):
        content_changed({*tags_for_object(page), *tags_for_object(instance)})
    return True


# Whether a migration changed watched content since the last post_migrate.
_migration_changed = [False]


def _historical(sender) -> bool:
    """A migration's model: no reference index to ask, maybe no tables (the
    generation's own among them): the change is bumped once migrate ends."""
    if sender._meta.apps is global_apps:
        return False
    if watched(sender):
        _migration_changed[0] = True
    return True


def _migrated(**kwargs):
    if _migration_changed[0]:
        _migration_changed[0] = False
        versions.bump_generation()


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _historical(sender) or not watched(sender):
        return
    if issubclass(sender, Page):
        # A draft save names its fields; a full save of a live page (a copy
        # kept live, a script) changes what the public sees.
        if update_fields is None and instance.live and type(instance) is not Page:
            changed(instance)
        return
    if issubclass(sender, DraftStateMixin):
        return  # public only when published
    if _precise(sender):
        changed(instance)
    elif not _child_changed(instance):
        changed(instance, everything=True)


def _deleted(sender, instance, **kwargs):
    if _historical(sender) or not watched(sender):
        return
    if isinstance(instance, Page) and type(instance) is Page:
        return  # the specific page's own post_delete covers it
    if isinstance(instance, Page | DraftStateMixin) or _precise(sender):
        changed(instance)
    elif not _child_changed(instance):
        changed(instance, everything=True)


@functools.cache
def connect() -> None:
    uid = "cms.graphql.changes"
    page_published.connect(_published, dispatch_uid=f"{uid}.page_published")
    page_unpublished.connect(_unpublished, dispatch_uid=f"{uid}.page_unpublished")
    published.connect(_snippet_published, dispatch_uid=f"{uid}.published")
    unpublished.connect(_snippet_unpublished, dispatch_uid=f"{uid}.unpublished")
    pre_page_move.connect(_before_move, dispatch_uid=f"{uid}.before_move")
    post_page_move.connect(_moved, dispatch_uid=f"{uid}.moved")
    post_save.connect(_saved, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_deleted, dispatch_uid=f"{uid}.deleted")
    post_migrate.connect(_migrated, dispatch_uid=f"{uid}.migrated")

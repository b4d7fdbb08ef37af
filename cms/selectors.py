"""Selectors for what the public may see. Every public resolver goes through these."""

import contextlib

from django.db.models import Q
from django.utils import timezone


def not_expired(now=None) -> Q:
    # Wagtail only flips ``live`` on expiry when ``publish_scheduled`` runs,
    # so a page past its expiry date can still be live: filter it here.
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def _hidden(now=None) -> Q:
    return Q(live=False) | Q(expire_at__lte=now or timezone.now())


def hidden_branches_q(now=None) -> Q:
    """Pages under (or at) a draft, scheduled or expired page with children.

    Wagtail keeps a child ``live`` when its parent is unpublished, and
    ``live()`` / ``public()`` never look at ancestors' publish state, so a
    live article under an unpublished blog index would otherwise be served.
    Built like Wagtail's ``private_q`` (path prefixes, one small query) rather
    than with ``Exists()``: search backends only understand plain lookups.
    """
    from wagtail.models import Page

    q = Q()
    hidden = Page.objects.filter(_hidden(now), numchild__gt=0)
    for path in hidden.values_list("path", flat=True):
        q |= Q(path__startswith=path)
    # Match no page when nothing is hidden.
    return q if q else Q(pk__in=[])


def public_pages(queryset):
    """Live, public (no view restriction on it or an ancestor), not expired,
    and no ancestor is a draft, scheduled or expired."""
    return queryset.live().public().filter(not_expired()).exclude(hidden_branches_q())


def public_snippets(queryset):
    """Published, not expired rows of a DraftStateMixin snippet model."""
    return queryset.filter(live=True).filter(not_expired())


def is_public_snippet(obj) -> bool:
    if obj is None or not getattr(obj, "live", True):
        return False
    expire_at = getattr(obj, "expire_at", None)
    return expire_at is None or expire_at > timezone.now()


def is_public_page(page) -> bool:
    if page is None or not page.live:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    if page.get_ancestors().filter(_hidden()).exists():
        return False
    return not page.get_view_restrictions().exists()


# Images and documents ------------------------------------------------------


def private_collection_ids() -> frozenset[int]:
    """Ids of collections with a view restriction on them or an ancestor.

    One query when nothing is restricted (the usual case), two otherwise.
    Images and documents in these collections are never served publicly.
    """
    from wagtail.models import Collection, CollectionViewRestriction

    paths = list(
        CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    )
    if not paths:
        return frozenset()
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return frozenset(Collection.objects.filter(under).values_list("id", flat=True))


def request_private_collection_ids(context=None) -> frozenset[int]:
    """``private_collection_ids`` computed once per request (cached on it)."""
    if context is None:
        return private_collection_ids()
    ids = getattr(context, "_private_collection_ids", None)
    if ids is None:
        ids = private_collection_ids()
        with contextlib.suppress(AttributeError):
            context._private_collection_ids = ids
    return ids


def is_public_media(obj, context=None) -> bool:
    """An image or document outside every restricted collection."""
    if obj is None:
        return False
    return obj.collection_id not in request_private_collection_ids(context)

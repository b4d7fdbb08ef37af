"""Selectors for what the public may see. Every public resolver goes through these."""

from django.db.models import Q
from django.utils import timezone


def not_expired(now=None) -> Q:
    # Wagtail only flips ``live`` on expiry when ``publish_scheduled`` runs,
    # so a page past its expiry date can still be live: filter it here.
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def public_pages(queryset):
    """Live, public (no view restriction on it or an ancestor), not expired."""
    return queryset.live().public().filter(not_expired())


def public_snippets(queryset):
    """Published, not expired rows of a DraftStateMixin snippet model."""
    return queryset.filter(live=True).filter(not_expired())


def is_public_page(page) -> bool:
    if page is None or not page.live:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return not page.get_view_restrictions().exists()

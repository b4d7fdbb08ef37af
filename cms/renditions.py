"""Image renditions are made ahead of time, never while answering the API.

Every allowlisted filter (``GRAPPLE["ALLOWED_IMAGE_FILTERS"]``) is rendered
when an image is uploaded or its file changes (after the transaction
commits), and by ``manage.py make_renditions`` for existing libraries. API
resolvers call ``existing_rendition``, which only looks renditions up (from
the prefetch cache, then the database) and falls back to the original file
when one is missing, logging it, instead of resizing inside the request.
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from wagtail.images import get_image_model
from wagtail.images.models import Filter

logger = logging.getLogger("cms.renditions")


def allowed_filters() -> list[str]:
    return list(settings.GRAPPLE.get("ALLOWED_IMAGE_FILTERS") or [])


def make_all_renditions(image) -> int:
    """Create every allowlisted rendition of ``image``; return how many."""
    filters = [Filter(spec) for spec in allowed_filters()]
    if not filters:
        return 0
    return len(image.get_renditions(*filters))


@functools.lru_cache(maxsize=128)
def _filter(spec: str) -> Filter:
    # A Filter parses its spec once (``operations`` is a cached property);
    # callers only pass allowlisted specs, so this stays small.
    return Filter(spec)


def existing_rendition(image, spec: str):
    """An already-made rendition for ``spec``, or None."""
    found = image.find_existing_renditions(_filter(spec))
    return next(iter(found.values()), None)


def _on_image_saved(sender, instance, created, update_fields=None, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata: files arrive with the backup's renditions
    if update_fields and "file" not in update_fields:
        return

    def make():
        try:
            make_all_renditions(instance)
        except Exception:
            # A broken upload must not fail the editor's save.
            logger.exception("could not make renditions for image %s", instance.pk)

    transaction.on_commit(make)


def connect() -> None:
    post_save.connect(
        _on_image_saved, sender=get_image_model(), dispatch_uid="cms.renditions"
    )

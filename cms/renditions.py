"""Image renditions are made ahead of time, never while answering the API.

Every allowlisted filter (``GRAPPLE["ALLOWED_IMAGE_FILTERS"]``) is rendered
by a background job when an image is uploaded or its file changes (the
worker runs it; never the editor's request), and by ``manage.py
make_renditions`` for existing libraries. API resolvers call
``existing_rendition``, which only looks renditions up (from the prefetch
cache, then the database) and falls back to the original file when one is
missing, logging it, instead of resizing inside the request.
"""

import functools
import logging

from django.conf import settings
from django.db.models.signals import post_save
from django_tasks import task
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


@task()
def make_renditions_task(image_id: int) -> int:
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0  # deleted before the job ran
    try:
        return make_all_renditions(image)
    except Exception:
        # A broken upload: retrying will not mend it.
        logger.exception("could not make renditions for image %s", image_id)
        return 0


def _on_image_saved(sender, instance, created, update_fields=None, **kwargs):
    from worker.queue import enqueue_with_transaction

    if kwargs.get("raw"):
        return  # loaddata: files arrive with the backup's renditions
    if update_fields and "file" not in update_fields:
        return
    enqueue_with_transaction(make_renditions_task, instance.pk)


def connect() -> None:
    post_save.connect(
        _on_image_saved, sender=get_image_model(), dispatch_uid="cms.renditions"
    )

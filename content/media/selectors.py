"""Images as the public may read them, and their renditions in one query."""

from collections import defaultdict
from dataclasses import dataclass

from wagtail.images import get_image_model

from cms.selectors import is_public_media


@dataclass
class ImageValue:
    """An image with the alt text of the place it is shown in."""

    image: object
    alt: str = ""


def public_image(*, image, alt: str = "", request=None) -> ImageValue | None:
    """The image for the API, or None when missing or in a private collection.

    Images in a collection with a view restriction (or under one) are
    withheld entirely: their title, id and rendition URLs are not public.
    """
    if image is None or not is_public_media(image, request):
        return None
    return ImageValue(image, alt or "")


def attach_renditions(images: list, *, specs: set[str] | None = None) -> None:
    """The existing renditions of ``images`` (those with ``specs``, or all)
    in one query, put where Wagtail's ``find_existing_renditions`` looks
    first (``prefetched_renditions``, as ``Prefetch(to_attr=...)`` would)."""
    pending = [i for i in images if getattr(i, "prefetched_renditions", None) is None]
    if not pending or specs == set():
        return
    Rendition = get_image_model().get_rendition_model()
    by_image = defaultdict(list)
    ids = {image.pk for image in pending}
    found = Rendition.objects.filter(image_id__in=ids)
    if specs is not None:
        found = found.filter(filter_spec__in=sorted(specs))
    for rendition in found:
        by_image[rendition.image_id].append(rendition)
    for image in pending:
        image.prefetched_renditions = list(by_image.get(image.pk, []))

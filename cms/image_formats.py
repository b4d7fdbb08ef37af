"""pillow-heif stays unloaded while HEIC is not an accepted upload format.

Willow registers pillow-heif (libheif and its codecs) with Pillow whenever
it is installed; Wagtail 8 depends on it. Loading it costs each process about
6 MB, for HEIC alone: Pillow itself reads and writes AVIF. This project
accepts Wagtail's default upload formats (``WAGTAILIMAGES_EXTENSIONS``,
which lists no ``heic``: a HEIC file is refused on its extension before it
is opened) and renders only the allowlisted filters (no ``format-heic``), so
no process ever opens or writes a HEIC image.

``skip_heif_unless_accepted()``, called as ``cms.apps`` is imported (``cms``
comes first in ``INSTALLED_APPS``, before ``wagtail.images`` imports Willow),
marks ``pillow_heif`` as absent (``None`` in ``sys.modules``: importing it
raises ImportError, which Willow treats as not installed). Add ``heic`` to
``WAGTAILIMAGES_EXTENSIONS`` and it loads as before.
"""

import sys

# Imports only django.conf (no Willow).
from wagtail.images.utils import get_allowed_image_extensions

HEIF_EXTENSIONS = {"heic", "heif"}


def heif_accepted() -> bool:
    extensions = {e.lower() for e in get_allowed_image_extensions()}
    return bool(HEIF_EXTENSIONS & extensions)


def skip_heif_unless_accepted() -> None:
    if not heif_accepted():
        sys.modules.setdefault("pillow_heif", None)

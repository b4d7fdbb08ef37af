import logging

from django.apps import AppConfig

from cms.image_formats import skip_heif_unless_accepted

# Before wagtail.images (later in INSTALLED_APPS) imports Willow.
skip_heif_unless_accepted()


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content service"

    def ready(self):
        from cms.graphql import checks, persisted, signals  # noqa: F401

        signals.connect()
        from cms import renditions

        renditions.connect()
        # Load the persisted operations once at startup, not on a request.
        try:
            persisted.registry()
        except OSError:
            logging.getLogger("cms.graphql").exception(
                "could not read persisted operations"
            )

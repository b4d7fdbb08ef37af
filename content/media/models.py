"""Media has no models of its own (Wagtail's images and documents serve); these
are the fields every domain declares to show an image."""

from django.db import models


def image_field() -> models.ForeignKey:
    """An optional image from the library (deleting the image empties it)."""
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def alt_text_field(help_text: str) -> models.CharField:
    """The alt text of an image, in the place it is shown."""
    return models.CharField(max_length=250, blank=True, help_text=help_text)

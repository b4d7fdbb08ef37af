"""People who write the clinic's articles."""

from django.db import models
from django.utils.text import slugify
from grapple.models import GraphQLField, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index


def _types():
    from content.graphql import types

    return types


class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    credentials = models.CharField(
        max_length=120, blank=True, help_text='Letters after the name, e.g. "PT, DPT".'
    )
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text="e.g. Clinic director, physical therapist.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(
        max_length=250, blank=True, help_text="Describe the photo for screen readers."
    )
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("photo_alt"),
        FieldPanel("bio"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("role"),
    ]

    graphql_fields = [
        GraphQLString("name", required=True, description="Full name."),
        GraphQLString("slug", required=True, description="Stable identifier."),
        GraphQLString(
            "credentials",
            required=True,
            description='Letters after the name, e.g. "PT, DPT" (may be empty).',
        ),
        GraphQLString("role", required=True, description="Role (may be empty)."),
        GraphQLField(
            "photo",
            lambda: _types().ResponsiveImage,
            source="graphql_photo",
            description="Portrait with alt text and renditions.",
        ),
        GraphQLField(
            "bio",
            lambda: _types().FormattedText,
            required=True,
            source="graphql_bio",
            description="Short biography (may be empty).",
        ),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def graphql_photo(self, info, **kwargs):
        return _types().image_value(self.photo, self.photo_alt, info)

    def graphql_bio(self, info, **kwargs):
        return _types().rich(self.bio)

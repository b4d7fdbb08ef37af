"""The credential catalogue and the specialty vocabulary, shared by articles and
trainer profiles."""

from django.db import models
from django.utils.text import slugify
from grapple.models import GraphQLField, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class CredentialKind(models.TextChoices):
    LICENCE = "licence", "Licence"
    CERTIFICATION = "certification", "Certification"
    DEGREE = "degree", "Degree"


class Credential(index.Indexed, models.Model):
    """A catalogue entry: DPT, PT, PTA, NSCA-CPT, NSCA-CSCS, NASM-CPT, CPR/AED..."""

    abbreviation = models.CharField(
        max_length=32,
        unique=True,
        help_text="Letters as written after a name, e.g. DPT or NSCA-CSCS.",
    )
    slug = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Stable identifier used by API filters, e.g. nsca-cscs.",
    )
    full_name = models.CharField(
        max_length=200, help_text="e.g. Certified Strength and Conditioning Specialist"
    )
    issuing_body = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who grants it, e.g. National Strength and Conditioning Association.",
    )
    kind = models.CharField(
        max_length=20,
        choices=CredentialKind.choices,
        default=CredentialKind.CERTIFICATION,
    )
    description = models.TextField(
        blank=True, help_text="One or two plain sentences for patients."
    )

    panels = [
        FieldPanel("abbreviation"),
        FieldPanel("slug"),
        FieldPanel("full_name"),
        FieldPanel("issuing_body"),
        FieldPanel("kind"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("abbreviation", boost=3),
        index.AutocompleteField("abbreviation"),
        index.SearchField("full_name"),
        index.AutocompleteField("full_name"),
        index.SearchField("issuing_body"),
        index.FilterField("kind"),
    ]
    graphql_fields = [
        GraphQLString(
            "abbreviation", required=True, description="Letters, e.g. NSCA-CSCS."
        ),
        GraphQLString("slug", required=True, description="Stable identifier."),
        GraphQLString("full_name", required=True, description="Full name."),
        GraphQLString(
            "issuing_body", required=True, description="Who grants it (may be empty)."
        ),
        GraphQLField(
            "kind",
            "content.catalogue.graphql.types.CredentialKindEnum",
            required=True,
            description="Licence, certification or degree.",
        ),
        GraphQLString(
            "description", required=True, description="Plain-language description."
        ),
    ]

    class Meta:
        ordering = ["abbreviation"]

    def __str__(self):
        return f"{self.abbreviation} ({self.full_name})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.abbreviation.replace("/", "-"))
        super().save(*args, **kwargs)


class Specialty(models.Model):
    """Controlled vocabulary of trainer specialties, managed by editors."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Stable identifier used by API filters."
    )
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

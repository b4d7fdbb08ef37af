from django.db import models
from grapple.models import GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site root the frontend renders at ``/``."""

    hero_heading = models.CharField(
        max_length=120,
        blank=True,
        help_text="Large heading at the top of the home page.",
    )
    hero_text = models.TextField(
        blank=True, help_text="One or two sentences under the hero heading."
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
    ]
    graphql_fields = [
        GraphQLString("hero_heading", description="Hero heading."),
        GraphQLString("hero_text", description="Hero text under the heading."),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"

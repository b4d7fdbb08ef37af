from django.db import models
from grapple.models import GraphQLField, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from cms.preview import HeadlessPreviewMixin
from content.articles.blocks import CallToActionBlock, public_blocks
from content.articles.selectors import article_cards
from content.media.models import alt_text_field, image_field
from content.media.selectors import public_image
from content.trainers.selectors import trainers_by_id
from home.blocks import SocialLinkBlock

# Field types are dotted paths, imported when the schema is built.
GRAPHQL = "home.graphql"


class HomePage(HeadlessPreviewMixin, Page):
    """The site root the frontend renders at ``/``."""

    hero_heading = models.CharField(
        max_length=120,
        blank=True,
        help_text="Large heading at the top of the home page.",
    )
    hero_text = models.TextField(
        blank=True, help_text="One or two sentences under the hero heading."
    )
    hero_image = image_field()
    hero_image_alt = alt_text_field("Describe the image for screen readers.")
    call_to_action = StreamField(
        [("call_to_action", CallToActionBlock())],
        blank=True,
        max_num=1,
        help_text="The button block near the bottom of the page.",
    )

    hero_panels = [
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading="Image"
        ),
    ]
    featured_panels = [
        InlinePanel("featured_articles", label="Featured articles", max_num=6),
        InlinePanel("featured_trainers", label="Featured trainers", max_num=12),
        FieldPanel("call_to_action"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(Page.content_panels + hero_panels, heading="Hero"),
            ObjectList(featured_panels, heading="Featured"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    graphql_fields = [
        GraphQLString("hero_heading", required=True, description="Hero heading."),
        GraphQLString(
            "hero_text", required=True, description="Hero text under the heading."
        ),
        GraphQLField(
            "hero_image",
            "content.media.graphql.types.ResponsiveImage",
            source="graphql_hero_image",
            description="Hero image with alt text and renditions.",
        ),
        GraphQLField(
            "featured_articles",
            f"{GRAPHQL}.FEATURED_ARTICLES",
            source="graphql_featured_articles",
            description="Featured articles in editor order (published ones only).",
        ),
        GraphQLField(
            "featured_trainers",
            f"{GRAPHQL}.FEATURED_TRAINERS",
            source="graphql_featured_trainers",
            description="Featured partner trainers in editor order (public only).",
        ),
        GraphQLField(
            "call_to_action",
            "content.articles.graphql.types.BodyCallToAction",
            source="graphql_call_to_action",
            description="The call to action, if any.",
        ),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"

    # The home page resolver attaches the requested hero renditions
    # (home.graphql.HomeQuery): every filter in one query.

    def graphql_hero_image(self, info, **kwargs):
        return public_image(
            image=self.hero_image, alt=self.hero_image_alt, request=info.context
        )

    # The live page's resolver loads both lists in bulk
    # (home.graphql.with_featured); a preview's draft reads its own.

    def graphql_featured_articles(self, info, **kwargs):
        loaded = getattr(self, "featured_article_cards", None)
        if loaded is not None:
            return loaded
        return article_cards(
            ids=[link.article_id for link in self.featured_articles.all()]
        )

    def graphql_featured_trainers(self, info, **kwargs):
        loaded = getattr(self, "featured_trainer_profiles", None)
        if loaded is not None:
            return loaded
        ids = [link.trainer_id for link in self.featured_trainers.all()]
        by_id = trainers_by_id(ids=ids)
        return [by_id[i] for i in ids if i in by_id]

    def graphql_call_to_action(self, info, **kwargs):
        blocks = public_blocks(self.call_to_action)
        return blocks[0] if blocks else None


class HomePageFeaturedArticle(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_articles"
    )
    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]


class HomePageFeaturedTrainer(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_trainers"
    )
    trainer = models.ForeignKey(
        "content.TrainerProfilePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("trainer")]


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    """Who the clinic is and where to find it, per site."""

    clinic_name = models.CharField(max_length=120, default="Dynamic Physical Therapy")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=40, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    booking_url = models.URLField(
        blank=True,
        help_text="Online booking (Jane App) for new and returning patients.",
    )
    social_links = StreamField(
        [("social_link", SocialLinkBlock())],
        blank=True,
        help_text="Profiles shown in the footer, in order.",
    )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("clinic_name"),
                    FieldPanel("phone"),
                    FieldPanel("email"),
                    MultiFieldPanel(
                        [
                            FieldPanel("street_address"),
                            FieldPanel("city"),
                            FieldPanel("state"),
                            FieldPanel("postal_code"),
                        ],
                        heading="Address",
                    ),
                ],
                heading="Contact",
            ),
            ObjectList(
                [FieldPanel("booking_url"), FieldPanel("social_links")],
                heading="Booking and social",
            ),
        ]
    )
    graphql_fields = [
        GraphQLString("clinic_name", required=True, description="Clinic name."),
        GraphQLString("phone", required=True, description="Phone (may be empty)."),
        GraphQLString("email", required=True, description="Email (may be empty)."),
        GraphQLString("street_address", required=True, description="Street address."),
        GraphQLString("city", required=True, description="City."),
        GraphQLString("state", required=True, description="State."),
        GraphQLString("postal_code", required=True, description="Postal code."),
        GraphQLString(
            "booking_url", required=True, description="Online booking URL (Jane App)."
        ),
        GraphQLField(
            "social_links",
            f"{GRAPHQL}.SOCIAL_LINKS",
            source="graphql_social_links",
            description="Social profiles in display order.",
        ),
    ]

    class Meta:
        verbose_name = "organisation settings"

    def graphql_social_links(self, info, **kwargs):
        return [link.value for link in self.social_links]

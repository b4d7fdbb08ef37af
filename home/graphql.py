"""GraphQL for the home page and organisation settings.

The ``HomePage`` and ``OrganisationSettings`` object types are grapple's (the
models' ``graphql_fields``); their list fields point at the structures below.
"""

import graphene
from grapple.registry import registry
from wagtail.models import Site

from cms.graphql.registry import list_of, model_type
from cms.graphql.selection import selected_fields
from cms.preview import resolve_preview
from cms.selectors import public_pages, request_site, visibility
from content.articles.selectors import chosen_articles, load_relations
from content.engagement.graphql.types import prime_counts
from content.media.graphql.types import requested_renditions
from content.media.selectors import attach_renditions
from content.trainers.graphql.types import TrainerProfile
from content.trainers.selectors import chosen_trainers
from home.models import (
    HomePage,
    HomePageFeaturedArticle,
    HomePageFeaturedTrainer,
    OrganisationSettings,
)


class SocialPlatformEnum(graphene.Enum):
    class Meta:
        name = "SocialPlatform"
        description = "Where a social link points."

    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    GOOGLE = "google"
    JANE_APP = "jane_app"


class SocialLink(graphene.ObjectType):
    class Meta:
        description = "A link to one of the clinic's profiles."

    platform = graphene.Field(
        graphene.NonNull(SocialPlatformEnum), description="The platform."
    )
    url = graphene.String(required=True, description="Profile URL.")
    link_text = graphene.String(
        required=True, description='Text to show, e.g. "Check us out on Facebook!".'
    )

    def resolve_platform(self, info):
        return self["platform"]

    def resolve_url(self, info):
        return self["url"]

    def resolve_link_text(self, info):
        return self["link_text"]


# The models' list fields (``HomePage`` and ``OrganisationSettings``).
SOCIAL_LINKS = list_of(SocialLink)
FEATURED_ARTICLES = list_of(lambda: model_type("content.ArticlePage"))
FEATURED_TRAINERS = list_of(TrainerProfile)


def current_site(info):
    """The request's site, else the default one; kept per host for the
    content generation (``cms.selectors.request_site``)."""
    site = request_site(info.context)
    if site is not None:
        return site
    return visibility().remembered(
        ("default-site",), lambda: Site.objects.filter(is_default_site=True).first()
    )


def with_hero_renditions(home, info):
    """The home page, with every hero rendition the query asks for loaded
    in one query (not one per filter)."""
    if home is None or home.hero_image_id is None:
        return home
    specs = requested_renditions(info, "heroImage")
    if specs != set():  # nothing asked for: not even the image is read
        attach_renditions([home.hero_image], specs=specs)
    return home


def union(*specs):
    """Rendition specs of several selections (None: every one)."""
    if any(s is None for s in specs):
        return None
    return set().union(*specs)


def with_featured(home, info):
    """The live home page, its featured articles and trainers loaded with
    one query each (links joined to the public pages, in editor order) and
    the relations the query selects, and the renditions of the hero and of
    the articles' images in one query."""
    images, specs = [], []
    if home.hero_image_id is not None:
        images.append(home.hero_image)
        specs.append(requested_renditions(info, "heroImage"))
    fields = selected_fields(info, "featuredArticles")
    if fields:
        links = HomePageFeaturedArticle.objects.filter(page_id=home.pk)
        articles = chosen_articles(links, fields=fields)
        load_relations(articles, fields=fields - {"heroImage"})
        prime_counts(articles, fields)
        home.featured_article_cards = articles
        if "heroImage" in fields:
            images += [a.hero_image for a in articles if a.hero_image is not None]
            specs.append(requested_renditions(info, "featuredArticles", "heroImage"))
    fields = selected_fields(info, "featuredTrainers")
    if fields:
        links = HomePageFeaturedTrainer.objects.filter(page_id=home.pk)
        home.featured_trainer_profiles = chosen_trainers(links, fields=fields)
    wanted = union(*specs)
    if images and wanted != set():
        attach_renditions(images, specs=wanted)
    return home


class HomeQuery(graphene.ObjectType):
    home_page = graphene.Field(
        lambda: registry.pages[HomePage],
        description="The live home page of the requested site (or the default site).",
    )
    organisation_settings = graphene.Field(
        lambda: registry.settings[OrganisationSettings],
        description="The clinic's name, contact details, booking and social links.",
    )

    def resolve_home_page(self, info):
        site = current_site(info)
        # The token must be for this site's home page; checked even without a
        # site so that a bad token is always refused the same way.
        draft = resolve_preview(
            info.context, HomePage, object_id=site.root_page_id if site else "-"
        )
        if draft is not None:
            return with_hero_renditions(draft, info)
        if site is None:
            return None
        # public_pages also drops an expired home page.
        home = (
            public_pages(HomePage.objects)
            .select_related("hero_image")
            .filter(pk=site.root_page_id)
            .first()
        )
        return None if home is None else with_featured(home, info)

    def resolve_organisation_settings(self, info):
        site = current_site(info)
        if site is None:
            return None
        # Read without creating: a GET must never write a settings row. Any
        # change to the row bumps the generation, so the row read is kept
        # for it (one per site).
        found = visibility().remembered(
            ("organisation-settings", site.pk),
            lambda: OrganisationSettings.objects.filter(site=site).first(),
        )
        return found or OrganisationSettings(site=site)

"""GraphQL for the home page and organisation settings.

The ``HomePage`` and ``OrganisationSettings`` object types are grapple's (the
models' ``graphql_fields``); their list fields point at the structures below.
"""

import graphene
from grapple.registry import registry
from wagtail.models import Site

from cms.graphql.registry import list_of, model_type
from cms.preview import resolve_preview
from cms.selectors import public_pages
from content.media.graphql.types import requested_renditions
from content.media.selectors import attach_renditions
from content.trainers.graphql.types import TrainerProfile
from home.models import HomePage, OrganisationSettings


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
    return (
        Site.find_for_request(info.context)
        or Site.objects.filter(is_default_site=True).first()
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
        return with_hero_renditions(home, info)

    def resolve_organisation_settings(self, info):
        site = current_site(info)
        if site is None:
            return None
        # Read without creating: a GET must never write a settings row.
        found = OrganisationSettings.objects.filter(site=site).first()
        return found or OrganisationSettings(site=site)

"""GraphQL for the home page and organisation settings."""

import graphene
from wagtail.models import Site

from cms.selectors import public_pages
from content.graphql import types as content_types


def types():
    return content_types


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


def social_links_type():
    return graphene.List(graphene.NonNull(SocialLink), required=True)


def featured_articles_type():
    return graphene.List(
        graphene.NonNull(content_types.model_type("content.ArticlePage")),
        required=True,
    )


def featured_articles(home) -> list:
    from content.graphql.loaders import CARD_FIELDS, load_articles
    from content.graphql.queries import public_articles

    ids = [link.article_id for link in home.featured_articles.all()]
    by_id = public_articles().in_bulk(ids)
    articles = [by_id[i] for i in ids if i in by_id]
    load_articles(articles, CARD_FIELDS)
    return articles


def featured_trainers_type():
    from content.graphql.trainer_types import TrainerProfile

    return graphene.List(graphene.NonNull(TrainerProfile), required=True)


def featured_trainers(home) -> list:
    from content.graphql.trainers import directory_queryset

    ids = [link.trainer_id for link in home.featured_trainers.all()]
    by_id = directory_queryset().in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def current_site(info):
    return (
        Site.find_for_request(info.context)
        or Site.objects.filter(is_default_site=True).first()
    )


class HomeQuery(graphene.ObjectType):
    home_page = graphene.Field(
        lambda: _home_type(),
        description="The live home page of the requested site (or the default site).",
    )
    organisation_settings = graphene.Field(
        lambda: _settings_type(),
        description="The clinic's name, contact details, booking and social links.",
    )

    def resolve_home_page(self, info):
        from cms.preview import resolve_preview
        from home.models import HomePage

        site = current_site(info)
        # The token must be for this site's home page; checked even without a
        # site so that a bad token is always refused the same way.
        draft = resolve_preview(
            info.context, HomePage, object_id=site.root_page_id if site else "-"
        )
        if draft is not None:
            return draft
        if site is None:
            return None
        # public_pages also drops an expired home page.
        return (
            public_pages(HomePage.objects)
            .select_related("hero_image")
            .filter(pk=site.root_page_id)
            .first()
        )

    def resolve_organisation_settings(self, info):
        from home.models import OrganisationSettings

        site = current_site(info)
        if site is None:
            return None
        # Read without creating: a GET must never write a settings row.
        found = OrganisationSettings.objects.filter(site=site).first()
        return found or OrganisationSettings(site=site)


def _home_type():
    from grapple.registry import registry

    from home.models import HomePage

    return registry.pages[HomePage]


def _settings_type():
    from grapple.registry import registry

    from home.models import OrganisationSettings

    return registry.settings[OrganisationSettings]

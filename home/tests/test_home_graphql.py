"""Home page and organisation settings over /graphql/."""

from io import StringIO

import pytest

from home.demo import load_organisation_settings, load_site
from home.models import HomePageFeaturedArticle, OrganisationSettings

SETTINGS = "{ organisationSettings { clinicName bookingUrl socialLinks { platform } } }"
PLATFORMS = ["FACEBOOK", "INSTAGRAM", "YOUTUBE", "GOOGLE", "JANE_APP"]


@pytest.mark.django_db
def test_organisation_settings_read_does_not_create_a_row(gql):
    load_site(StringIO())

    data = gql.data(SETTINGS)

    assert data == {
        "organisationSettings": {
            "clinicName": "Dynamic Physical Therapy",
            "bookingUrl": "",
            "socialLinks": [],
        }
    }
    assert not OrganisationSettings.objects.exists()


@pytest.mark.django_db
def test_organisation_settings_serve_typed_social_links_and_booking_link(gql):
    load_site(StringIO())
    load_organisation_settings(StringIO())

    data = gql.data(SETTINGS)["organisationSettings"]

    assert data["bookingUrl"] == "https://dynamicphysicaltherapy.janeapp.com/"
    assert [link["platform"] for link in data["socialLinks"]] == PLATFORMS


@pytest.mark.django_db
def test_unpublished_home_page_is_not_served(gql):
    home = load_site(StringIO())
    home.unpublish()

    assert gql.data("{ homePage { title } }") == {"homePage": None}


def test_home_page_features_only_published_articles(make_article, home, gql):
    live, draft = make_article(slug="live"), make_article(slug="draft", live=False)
    home.featured_articles = [
        HomePageFeaturedArticle(article=draft),
        HomePageFeaturedArticle(article=live),
    ]
    home.save_revision().publish()

    data = gql.data("{ homePage { featuredArticles { slug } } }")

    assert data["homePage"]["featuredArticles"] == [{"slug": "live"}]

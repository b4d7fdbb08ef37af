"""With the response cache on, every kind of change is seen on the next request.

Each case asks twice (the second answer comes from the response cache), makes
one change the way an editor would, and asks again: the answer must be the
new one. Publish, unpublish, delete and move; snippets with and without
drafts; images; site settings; catalogue models; trainer profiles.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from content.models import ArticlePage, BlogIndexPage, ComparisonTable, Credential
from content.trainers.models import TrainerProfilePage
from home.models import OrganisationSettings

pytestmark = pytest.mark.django_db

SEED = "physical-therapy-or-personal-training"
TABLE = "physical-therapists-vs-personal-trainers"

ARTICLE = """query($slug: String!) {
  article(slug: $slug) { title authors { name } heroImage { id } }
}"""
TABLE_QUERY = """query($slug: String!) { comparisonTable(slug: $slug) { title } }"""
SETTINGS = "{ organisationSettings { phone } }"
CREDENTIALS = "{ credentials(limit: 50) { items { slug fullName } } }"
TRAINER = """query($slug: String) { trainer(slug: $slug) { headline } }"""


@pytest.fixture
def demo(settings, public_visibility_cache):
    settings.GRAPHQL_RESPONSE_CACHE = True
    call_command("load_demo_content", stdout=StringIO())


def seed():
    return ArticlePage.objects.get(slug=SEED)


def publish_title(obj, title):
    obj.title = title
    obj.save_revision().publish()


def move_into_private_section(article):
    blog = article.get_parent()
    private = blog.get_parent().add_child(
        instance=BlogIndexPage(title="Staff only", slug="staff-only")
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    article.move(private, pos="last-child")


def withdraw_hero_image(article):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Unreleased photos")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    image = article.hero_image
    image.collection = private
    image.save()


def rename_first_author(article):
    author = article.article_authors.order_by("sort_order").first().author
    author.name = "Renamed Author"
    author.save()


def change_phone():
    clinic = OrganisationSettings.objects.get()
    clinic.phone = "(608) 555-0199"
    clinic.save()


def rename_credential():
    credential = Credential.objects.get(slug="nsca-cscs")
    credential.full_name = "Certified Strength Coach (renamed)"
    credential.save()


def republish_trainer():
    trainer = TrainerProfilePage.objects.get(slug="maya-lindqvist")
    trainer.headline = "Now coaching runners"
    trainer.save_revision().publish()


CASES = {
    "an article edit is published": (
        ARTICLE,
        {"slug": SEED},
        lambda: publish_title(seed(), "Physio or personal trainer?"),
        lambda data: data["article"]["title"] == "Physio or personal trainer?",
    ),
    "an article is unpublished": (
        ARTICLE,
        {"slug": SEED},
        lambda: seed().unpublish(),
        lambda data: data["article"] is None,
    ),
    "an article is deleted": (
        ARTICLE,
        {"slug": SEED},
        lambda: seed().delete(),
        lambda data: data["article"] is None,
    ),
    "an article is moved into a private section": (
        ARTICLE,
        {"slug": SEED},
        lambda: move_into_private_section(seed()),
        lambda data: data["article"] is None,
    ),
    "an author snippet is edited": (
        ARTICLE,
        {"slug": SEED},
        lambda: rename_first_author(seed()),
        lambda data: data["article"]["authors"][0]["name"] == "Renamed Author",
    ),
    "an image moves into a private collection": (
        ARTICLE,
        {"slug": SEED},
        lambda: withdraw_hero_image(seed()),
        lambda data: data["article"]["heroImage"] is None,
    ),
    "a table snippet edit is published": (
        TABLE_QUERY,
        {"slug": TABLE},
        lambda: publish_title(ComparisonTable.objects.get(slug=TABLE), "PTs vs PTs"),
        lambda data: data["comparisonTable"]["title"] == "PTs vs PTs",
    ),
    "the site settings change": (
        SETTINGS,
        {},
        change_phone,
        lambda data: data["organisationSettings"]["phone"] == "(608) 555-0199",
    ),
    "a credential in the catalogue is renamed": (
        CREDENTIALS,
        {},
        rename_credential,
        lambda data: (
            "Certified Strength Coach (renamed)"
            in [c["fullName"] for c in data["credentials"]["items"]]
        ),
    ),
    "a trainer profile edit is published": (
        TRAINER,
        {"slug": "maya-lindqvist"},
        republish_trainer,
        lambda data: data["trainer"]["headline"] == "Now coaching runners",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_next_request_sees_the_change(case, demo, gql):
    query, variables, change, changed = CASES[case]
    before = gql.data(query, variables)
    assert not changed(before)
    with CaptureQueriesContext(connection) as cached:
        assert gql.data(query, variables) == before
    # A response-cache hit: only the generation was read.
    assert len(cached.captured_queries) == 1, cached.captured_queries

    change()

    assert changed(gql.data(query, variables))

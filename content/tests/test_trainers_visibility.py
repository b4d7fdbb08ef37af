import datetime

import pytest
import wagtail_factories
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from content.articles.factories import ArticlePageFactory, BlogIndexPageFactory
from content.trainers.factories import (
    CredentialFactory,
    SpecialtyFactory,
    TrainerCredentialFactory,
    TrainerEducationFactory,
    TrainerProfilePageFactory,
    publish,
)

pytestmark = pytest.mark.django_db

EVERYWHERE = """
query($slug: String, $id: ID) {
  trainers(limit: 50) {
    totalCount
    items { slug }
    facets {
      specialties { slug count } credentials { slug count } cities { name count }
    }
  }
  bySlug: trainer(slug: $slug) { slug }
  byId: trainer(id: $id) { slug }
  trainerSync(limit: 50) { changed { slug } removedIds }
}"""


def visible_everywhere(gql, page) -> dict:
    data = gql.data(EVERYWHERE, {"slug": page.slug, "id": str(page.pk)})
    trainers = data["trainers"]
    facets = trainers["facets"]
    return {
        "list": page.slug in [i["slug"] for i in trainers["items"]],
        "facets": bool(facets["specialties"] or facets["credentials"]),
        "cities": bool(facets["cities"]),
        "by_slug": data["bySlug"] is not None,
        "by_id": data["byId"] is not None,
        "sync_changed": page.slug
        in [i["slug"] for i in data["trainerSync"]["changed"]],
    }


def hidden(result: dict) -> bool:
    return not any(result.values())


def profile_with_vocab(directory, **kwargs):
    page = TrainerProfilePageFactory(parent=directory, **kwargs)
    page.specialties.set([SpecialtyFactory(name="Older adults")])
    TrainerCredentialFactory(page=page, credential=CredentialFactory(abbreviation="PT"))
    return page


def test_a_live_profile_is_visible_everywhere(gql, directory):
    page = profile_with_vocab(directory)
    publish(page)
    assert all(visible_everywhere(gql, page).values())


def test_a_draft_profile_is_hidden_everywhere(gql, directory):
    page = profile_with_vocab(directory, live=False)
    assert hidden(visible_everywhere(gql, page))


def test_a_scheduled_profile_is_hidden_until_it_goes_live(gql, directory):
    page = profile_with_vocab(directory, live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    page.save_revision(approved_go_live_at=page.go_live_at)
    assert hidden(visible_everywhere(gql, page))


def test_an_expired_profile_is_hidden_and_tombstoned(gql, directory):
    page = profile_with_vocab(directory)
    publish(page)
    page.refresh_from_db()
    page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save()
    call_command("publish_scheduled", verbosity=0)
    assert hidden(visible_everywhere(gql, page))
    removed = gql.data("{ trainerSync(limit: 50) { removedIds } }")
    assert str(page.pk) in removed["trainerSync"]["removedIds"]


@pytest.mark.parametrize("restrict", ["page", "parent"])
def test_a_private_profile_is_hidden_and_tombstoned(gql, directory, restrict):
    page = profile_with_vocab(directory)
    publish(page)
    target = page if restrict == "page" else directory
    PageViewRestriction.objects.create(
        page=target, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert hidden(visible_everywhere(gql, page))
    removed = gql.data("{ trainerSync(limit: 50) { removedIds } }")
    assert str(page.pk) in removed["trainerSync"]["removedIds"]


FEATURED = """
query {
  article(slug: "featuring") {
    body { ... on BodyFeaturedTrainers { heading trainers { id } } }
  }
}"""


def test_featured_trainers_block_returns_only_live_public_profiles(directory, gql):
    live = TrainerProfilePageFactory(parent=directory)
    publish(live)
    draft = TrainerProfilePageFactory(parent=directory, live=False)
    private = TrainerProfilePageFactory(parent=directory)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    blog = BlogIndexPageFactory(parent=directory.get_parent())
    chosen = {"heading": "Meet them", "trainers": [private.pk, draft.pk, live.pk]}
    article = ArticlePageFactory(
        parent=blog,
        slug="featuring",
        body=[{"type": "featured_trainers", "value": chosen}],
    )
    article.save_revision().publish()

    [block] = gql.data(FEATURED)["article"]["body"]

    assert block == {"heading": "Meet them", "trainers": [{"id": str(live.pk)}]}


PAGE_QUERY = """
query($limit: Int, $near: TrainerNearInput) {
  trainers(limit: $limit, near: $near) {
    totalCount
    items {
      name url distanceKm
      photo { altText rendition(filter: FILL_200X200) { url width } }
      bio { __typename }
      credentials { credential { abbreviation kind } isCurrent }
      education { degree }
      specialties { slug }
      location { city latitude }
    }
  }
}"""


def test_query_count_does_not_grow_with_page_size(gql, directory, settings, tmp_path):
    # Own media dir: another xdist worker's session teardown empties the shared one.
    settings.MEDIA_ROOT = str(tmp_path)
    specialties = [SpecialtyFactory(name=f"S{i}") for i in range(3)]
    credential = CredentialFactory(abbreviation="NSCA-CPT")
    photos = [wagtail_factories.ImageFactory() for _ in range(10)]
    for i in range(50):
        page = TrainerProfilePageFactory(parent=directory, photo=photos[i % 10])
        page.specialties.set(specialties[: 1 + i % 3])
        page.save()
        TrainerCredentialFactory(page=page, credential=credential)
        TrainerEducationFactory(page=page)
    for near in (None, {"latitude": 43.07, "longitude": -89.4}):
        gql.data(PAGE_QUERY, {"limit": 50, "near": near})  # renditions get created
        counts = {}
        for limit in (5, 50):
            with CaptureQueriesContext(connection) as ctx:
                data = gql.data(PAGE_QUERY, {"limit": limit, "near": near})
            assert len(data["trainers"]["items"]) == limit
            counts[limit] = len(ctx.captured_queries)
        assert counts == {5: 9, 50: 9}, near

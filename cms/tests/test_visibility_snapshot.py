"""The per-process visibility snapshot (cms.selectors.visibility).

Production keeps view restrictions, hidden branches and private collections
per content generation; these tests switch it on (the test settings keep it
off) and check that every change that hides content is seen on the very next
request, and that the generation is shared by all processes.
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms import selectors
from cms.graphql import cache as response_cache
from content.articles.factories import ArticlePageFactory

QUERY = """
query($slug: String!) {
  articles(limit: 10) { totalCount items { slug } }
  article(slug: $slug) { slug heroImage { id } }
}
"""


@pytest.fixture
def article(blog):
    page = ArticlePageFactory(parent=blog, slug="story")
    page.save_revision().publish()
    return page


def slugs(gql, slug="story"):
    data = gql.data(QUERY, {"slug": slug})
    listed = [item["slug"] for item in data["articles"]["items"]]
    assert data["articles"]["totalCount"] == len(listed)
    return listed, data["article"]


def test_a_view_restriction_hides_the_page_on_the_next_request(
    public_visibility_cache, article, gql
):
    assert slugs(gql) == (["story"], {"slug": "story", "heroImage": None})
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.LOGIN
    )
    assert slugs(gql) == ([], None)


def test_a_restriction_on_an_ancestor_hides_the_subtree(
    public_visibility_cache, article, gql
):
    assert slugs(gql)[0] == ["story"]
    PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    assert slugs(gql) == ([], None)


def test_unpublishing_the_parent_hides_live_children(
    public_visibility_cache, article, gql
):
    assert slugs(gql)[0] == ["story"]
    article.get_parent().specific.unpublish()
    assert slugs(gql) == ([], None)


def test_a_parent_expiring_hides_children_without_any_change(
    public_visibility_cache, article, gql, monkeypatch
):
    parent = article.get_parent().specific
    parent.expire_at = timezone.now() + timedelta(hours=1)
    parent.save_revision().publish()
    assert slugs(gql)[0] == ["story"]

    # No save, no signal: only the clock moves past the expiry date.
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert slugs(gql) == ([], None)


def test_a_collection_restriction_withholds_its_images_next_request(
    public_visibility_cache, article, gql
):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    collection = Collection.get_first_root_node().add_child(name="Staff only")
    image = get_image_model().objects.create(
        title="x", file=get_test_image_file(), collection=collection
    )
    article.hero_image = image
    article.save_revision().publish()
    assert slugs(gql)[1] == {"slug": "story", "heroImage": {"id": str(image.pk)}}

    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    assert slugs(gql)[1] == {"slug": "story", "heroImage": None}


def test_a_warm_snapshot_costs_no_queries(public_visibility_cache, article):
    selectors.visibility().restricted_paths  # noqa: B018 - warm it
    selectors.visibility().branch_heads  # noqa: B018
    selectors.visibility().private_collection_ids  # noqa: B018
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            visible = selectors.visibility()
            visible.restricted_q()
            visible.hidden_q()
            assert visible.private_collection_ids == frozenset()
    # One generation read per call (a primary-key lookup), nothing else.
    assert len(queries) == 3
    assert all("contentgeneration" in q["sql"] for q in queries.captured_queries)


def test_one_generation_read_per_graphql_request(public_visibility_cache, article, gql):
    slugs(gql)  # warm the snapshot
    with CaptureQueriesContext(connection) as queries:
        slugs(gql)
    reads = [q for q in queries.captured_queries if "contentgeneration" in q["sql"]]
    assert len(reads) == 1
    assert not [q for q in queries.captured_queries if "viewrestriction" in q["sql"]]


def test_the_snapshot_is_not_used_when_switched_off(settings, article):
    settings.PUBLIC_VISIBILITY_CACHE = False
    with CaptureQueriesContext(connection) as queries:
        selectors.visibility().restricted_paths  # noqa: B018
        selectors.visibility().restricted_paths  # noqa: B018
    assert sum("viewrestriction" in q["sql"] for q in queries.captured_queries) == 2


def test_an_unknown_generation_never_reuses_the_snapshot(
    public_visibility_cache, article, monkeypatch
):
    first = selectors.visibility()
    monkeypatch.setattr(response_cache, "current_generation", lambda: None)
    assert selectors.visibility() is not first
    assert selectors.visibility() is not selectors.visibility()


@pytest.mark.django_db
def test_a_local_memory_cache_keeps_the_generation_in_the_database():
    # Each worker process has its own local-memory cache: the generation must
    # not live there, or a publish in one worker would not reach the others.
    before = response_cache.current_generation()
    response_cache.bump_generation()
    caches["default"].clear()  # as seen from another process
    after = response_cache.current_generation()
    assert after == before + 1
    from cms.models import ContentGeneration

    assert ContentGeneration.objects.get().value == after


def test_no_snapshot_is_kept_or_served_inside_a_transaction(
    public_visibility_cache, article
):
    from django.db import transaction

    outside = selectors.visibility()
    with transaction.atomic():
        # What a transaction reads may roll back: it must not become the
        # snapshot, and it must not use one either.
        inside = selectors.visibility()
        assert inside is not outside
        assert selectors.visibility() is not inside
    assert selectors.visibility() is outside


def test_a_rolled_back_restriction_change_never_reaches_the_snapshot(
    public_visibility_cache, article, gql
):
    from django.db import transaction

    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.LOGIN
    )
    assert slugs(gql) == ([], None)

    pk = restriction.pk

    def delete_then_roll_back():
        with transaction.atomic():
            restriction.delete()
            assert selectors.visibility().restricted_paths == ()
            transaction.set_rollback(True)

    delete_then_roll_back()
    assert PageViewRestriction.objects.filter(pk=pk).exists()
    # The rolled-back bump's number comes round again with the next change.
    response_cache.bump_generation()
    assert slugs(gql) == ([], None)

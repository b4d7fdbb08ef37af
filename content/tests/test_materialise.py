"""Materialised articles (cms.graphql.materialise): the seed article's
ArticleDetail read from its row while current, and never once it is not.

Every read is compared with the same operation completed from scratch
(``GRAPHQL_MATERIALISE=False``): a row may make a read cheaper, never
different.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.graphql import materialise
from cms.graphql.signals import _historical, _migrated, _migration_changed
from cms.models import ContentGeneration, MaterialisedObject
from cms.preview import create_preview_token
from content.models import ArticlePage
from content.tables.models import ComparisonTable
from content.trainers.models import TrainerProfilePage
from frontend_contract.tools import OPERATIONS_DIR

SLUG = "physical-therapy-or-personal-training"


def contract(name: str) -> str:
    return (OPERATIONS_DIR / f"{name}.graphql").read_text()


DETAIL = contract("ArticleDetail")


@pytest.fixture
def kept(settings, public_visibility_cache):
    settings.GRAPHQL_MATERIALISE = True
    settings.GRAPHQL_MATERIALISED_TYPES = ["ArticlePage"]


def computed(gql, settings, query=DETAIL, variables=None):
    """The answer completed from scratch, no row read or written."""
    settings.GRAPHQL_MATERIALISE = False
    try:
        return gql.data(query, variables or {"slug": SLUG})
    finally:
        settings.GRAPHQL_MATERIALISE = True


def read(gql, query=DETAIL, variables=None):
    with CaptureQueriesContext(connection) as captured:
        data = gql.data(query, variables or {"slug": SLUG})
    return data, len(captured.captured_queries)


def test_a_kept_article_is_read_in_three_queries_and_equals_the_computed_one(
    demo, gql, kept, settings
):
    first, first_count = read(gql)
    assert MaterialisedObject.objects.filter(page=demo).count() == 1
    # Generation, the row, the row's tag versions: the article is found by
    # slug in the generation's map (``public_article_keys``), not loaded.
    second, second_count = read(gql)
    assert second_count == 3
    assert first_count > second_count
    assert second == first == computed(gql, settings)
    row = MaterialisedObject.objects.get(page=demo)
    assert row.revision == demo.live_revision_id
    tags = row.tags.split()
    assert f"article:{demo.pk}" in tags
    assert any(tag.startswith("table:") for tag in tags)
    assert any(tag.startswith("trainer:") for tag in tags)


def test_a_new_revision_replaces_the_row(demo, gql, kept, settings):
    read(gql)
    demo.title = "Physical therapy, or personal training?"
    demo.save_revision().publish()
    data, _ = read(gql)
    assert data["article"]["title"] == "Physical therapy, or personal training?"
    assert data == computed(gql, settings)
    rows = MaterialisedObject.objects.filter(page=demo)
    assert [row.revision for row in rows] == [
        ArticlePage.objects.get(pk=demo.pk).live_revision_id
    ]


def test_a_change_to_a_chosen_table_is_never_served_stale(demo, gql, kept, settings):
    read(gql)
    table = ComparisonTable.objects.get(
        pk=next(b.value.pk for b in demo.body if b.block_type == "comparison_table")
    )
    table.title = "Who does what, revised"
    table.save_revision().publish()
    data, _ = read(gql)
    tables = [b for b in data["article"]["body"] if "table" in b]
    assert tables[0]["table"]["title"] == "Who does what, revised"
    assert data == computed(gql, settings)


def featured_slugs(data) -> list[str]:
    blocks = data["article"]["body"]
    block = next(b for b in blocks if b["__typename"] == "BodyFeaturedTrainers")
    return [trainer["slug"] for trainer in block["trainers"]]


def test_an_unpublished_featured_trainer_leaves_the_kept_article(
    demo, gql, kept, settings
):
    before, _ = read(gql)
    gone = featured_slugs(before)[0]
    TrainerProfilePage.objects.get(slug=gone).unpublish()
    after, _ = read(gql)
    assert gone not in featured_slugs(after)
    assert after == computed(gql, settings)


def test_an_unpublished_article_is_not_read_from_its_row(demo, gql, kept):
    read(gql)
    ArticlePage.objects.get(pk=demo.pk).unpublish()
    data, _ = read(gql)
    assert data["article"] is None


def test_an_expired_row_is_computed_again(demo, gql, kept):
    read(gql)
    MaterialisedObject.objects.update(expires_at=0, data='{"title": "expired"}')
    data, _ = read(gql)
    assert data["article"]["title"] != "expired"
    assert MaterialisedObject.objects.get().expires_at > 0


def test_a_row_whose_tags_changed_is_computed_again(demo, gql, kept):
    read(gql)
    MaterialisedObject.objects.update(data='{"title": "stale"}')
    # A change to any of its tags (here only the generation moves on: no row
    # is stale until one of its own tags changes).
    row = MaterialisedObject.objects.get()
    from cms.graphql import versions

    versions.invalidate([row.tags.split()[-1]])
    data, _ = read(gql)
    assert data["article"]["title"] != "stale"


def test_ad_hoc_queries_previews_and_volatile_fields_are_not_kept(
    demo, gql, kept, settings
):
    ad_hoc = "query($slug: String!) { article(slug: $slug) { title } }"
    assert read(gql, ad_hoc)[0]["article"]["title"]
    engagement = contract("ArticleEngagement")
    assert "viewCount" in engagement
    read(gql, engagement)
    # The operation file itself, with a preview token: the editor's draft,
    # which shares the live article's page and revision, so a row would be
    # served to the public in its place.
    draft = ArticlePage.objects.get(pk=demo.pk)
    draft.title = "Draft title"
    token = create_preview_token(draft)
    for _ in range(2):
        data = gql.data(DETAIL, {"slug": SLUG}, HTTP_X_PREVIEW_TOKEN=token)
        assert data["article"]["title"] == "Draft title"
    assert not MaterialisedObject.objects.exists()


def test_a_value_with_errors_is_never_kept(demo, gql, kept, settings, monkeypatch):
    from content.articles.graphql import types

    def failing(value, info):
        raise RuntimeError("the call to action's page could not be linked")

    # A nullable field deep in the article: the error leaves the article
    # (and the rest of its value) in the response.
    with monkeypatch.context() as patched:
        patched.setattr(types, "cta_url", failing)
        for _ in range(2):
            body = gql.execute(DETAIL, {"slug": SLUG})
            assert body["errors"]
            assert body["data"]["article"]["title"]
            assert not MaterialisedObject.objects.exists()
    data, _ = read(gql)
    assert MaterialisedObject.objects.filter(page=demo).count() == 1
    assert data == read(gql)[0] == computed(gql, settings)


def test_nothing_is_kept_without_a_content_generation(demo, gql, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False
    settings.PUBLIC_VISIBILITY_CACHE = False
    read(gql)
    read(gql)
    assert not MaterialisedObject.objects.exists()


def test_the_selection_fingerprint_follows_fragments_and_used_variables():
    from graphql import parse

    document = parse(
        "query Q($slug: String!, $unused: Int) {"
        " article(slug: $slug) { ...A } }"
        " fragment A on ArticlePage { title }"
    )
    operation = document.definitions[0]
    fragments = {d.name.value: d for d in document.definitions[1:]}
    field = [operation.selection_set.selections[0]]
    one = materialise.fingerprint(field, fragments, {"slug": "a", "unused": 1})
    assert "fragment A on ArticlePage" in one
    assert one == materialise.fingerprint(field, fragments, {"slug": "a", "unused": 2})
    assert one != materialise.fingerprint(field, fragments, {"slug": "b"})


@pytest.mark.django_db
def test_migrations_bump_the_generation_once_they_end():
    from django.db.migrations.state import ProjectState

    state = ProjectState.from_apps(__import__("django.apps").apps.apps)
    historical = state.apps.get_model("content", "ArticlePage")
    before = ContentGeneration.objects.values_list("value", flat=True).first()
    assert _historical(historical) is True
    assert ContentGeneration.objects.values_list("value", flat=True).first() == before
    assert _migration_changed[0] is True
    _migrated()
    assert _migration_changed[0] is False
    assert ContentGeneration.objects.values_list("value", flat=True).first() != before


def test_rows_are_json(demo, gql, kept):
    read(gql)
    row = MaterialisedObject.objects.get()
    assert json.loads(row.data)["slug"] == SLUG


def test_article_list_follows_the_clock(
    demo, gql, public_visibility_cache, monkeypatch
):
    """The list's ordered ids and tags are kept for the content generation,
    but never past the next scheduled change: an article that expires drops
    out of the list when its time comes, with no save to bump anything."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ArticlePage.objects.filter(pk=demo.pk).update(expire_at=now + timedelta(hours=1))
    from cms.graphql import versions

    versions.bump_generation()  # as the save that set it would have
    query = contract("ArticleList")
    slugs = [a["slug"] for a in gql.data(query, {"limit": 50})["articles"]["items"]]
    assert SLUG in slugs
    later = now + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    data = gql.data(query, {"limit": 50})
    assert SLUG not in [a["slug"] for a in data["articles"]["items"]]
    assert data["articles"]["totalCount"] == len(slugs) - 1


def test_without_the_slug_map_a_kept_article_is_loaded_first(
    demo, gql, kept, settings, monkeypatch
):
    from content.articles import selectors

    monkeypatch.setattr(selectors, "MAX_MAPPED_ARTICLES", 0)
    first, _ = read(gql)
    # Generation, the article, the row, the row's tag versions.
    second, second_count = read(gql)
    assert second_count == 4
    assert second == first == computed(gql, settings)


def test_a_kept_slug_of_no_public_article_is_null_without_a_page_query(demo, gql, kept):
    read(gql)  # the generation's map is built
    data, count = read(gql, variables={"slug": "no-such-article"})
    assert data == {"article": None}
    assert count == 1  # the generation


def test_the_slug_map_is_kept_however_many_keys_requests_added(demo, gql, kept):
    """Requests choose most remembered keys (a tag per list request); the
    slug map is kept even once they filled the snapshot's memo."""
    from cms import selectors

    seen = selectors.visibility()
    for n in range(selectors.MAX_REMEMBERED):
        seen.remembered_until_change(("articles", f"tag-{n}", "newest"), list)
    read(gql)
    _, count = read(gql)
    assert count == 3  # the map was kept: the article is not loaded

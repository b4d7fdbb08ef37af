"""Narrow invalidation in the project's own response cache: a change drops
the responses tagged with what it touched, and no other (with the versions
in the database, local-memory cache, and in a shared cache)."""

import sqlite3

import pytest
from django.core.cache import caches
from django.db import connection

from cms.graphql import cache as response_cache
from cms.graphql.config import graphql_settings
from cms.graphql.pipeline import caching
from edge.tests.conftest import SEED_SLUG, article_params, persisted_params
from edge.tests.test_varnish import site  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["local-memory", "shared"])
def own_cache(request, settings, tmp_path, monkeypatch):
    settings.GRAPHQL_RESPONSE_CACHE = True
    if request.param == "shared":  # a cache every process sees, like Redis
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    graphql_settings.cache_clear()
    caches["default"].clear()
    response_cache.local_copies.clear()
    assert response_cache._process_local() is (request.param == "local-memory")
    hits = []
    original = caching.lookup_key

    def lookup_key(*args, **kwargs):  # every lookup with a key, recalled or not
        found = original(*args, **kwargs)
        hits.append(found.body is not None)
        return found

    monkeypatch.setattr(caching, "lookup_key", lookup_key)
    yield hits
    graphql_settings.cache_clear()
    response_cache.local_copies.clear()


class Reader:
    def __init__(self, client, hits):
        self.client, self.hits = client, hits

    def read(self, params) -> tuple[dict, bool]:
        response = self.client.get("/graphql/", params)
        assert response.status_code == 200, response.content[:300]
        return response.json(), self.hits[-1]

    def warm(self, *params):
        for each in params:
            first, _ = self.read(each)
            again, hit = self.read(each)
            assert hit
            assert again == first


def trainer_params(slug):
    return persisted_params("TrainerProfile", {"slug": slug})


def test_a_change_to_one_trainer_leaves_cached_articles_as_hits(
    site,  # noqa: F811
    own_cache,
    client,
):
    from wagtail.models import ReferenceIndex

    from content.models import TrainerProfilePage

    reader = Reader(client, own_cache)
    trainer = next(
        t
        for t in TrainerProfilePage.objects.live()
        if not ReferenceIndex.get_references_to(t).exists()
    )
    articles = [
        article_params(SEED_SLUG),
        article_params("plain"),
        persisted_params("ArticleList", {"limit": 10, "offset": 0}),
    ]
    reader.warm(*articles, trainer_params(trainer.slug))

    trainer.headline = "Now also coaching rowers"
    trainer.save_revision().publish()

    for params in articles:
        assert reader.read(params)[1], params
    changed, hit = reader.read(trainer_params(trainer.slug))
    assert not hit
    assert changed["data"]["trainer"]["headline"] == "Now also coaching rowers"


def test_editing_a_table_invalidates_the_articles_embedding_it_and_nothing_else(
    site,  # noqa: F811
    own_cache,
    client,
):
    from content.models import ComparisonTable, TrainerProfilePage

    reader = Reader(client, own_cache)
    trainer = TrainerProfilePage.objects.live().first()
    reader.warm(
        article_params(SEED_SLUG),
        article_params("plain"),
        trainer_params(trainer.slug),
    )
    table = ComparisonTable.objects.get(live=True)
    table.title = "Therapists and trainers, side by side"
    table.save_revision().publish()

    embedding, hit = reader.read(article_params(SEED_SLUG))
    assert not hit
    assert "Therapists and trainers, side by side" in str(embedding)
    assert reader.read(article_params("plain"))[1]
    assert reader.read(trainer_params(trainer.slug))[1]


def test_a_change_without_precise_tags_invalidates_everything(
    site,  # noqa: F811
    own_cache,
    client,
):
    from wagtail.models import Collection

    reader = Reader(client, own_cache)
    reader.warm(article_params("plain"))
    Collection.get_first_root_node().add_child(name="Clinic photos")

    assert not reader.read(article_params("plain"))[1]


@pytest.mark.parametrize("own_cache", ["local-memory"], indirect=True)
def test_a_hit_costs_one_query_with_the_versions_in_the_database(
    site,  # noqa: F811
    own_cache,
    client,
    django_assert_num_queries,
):
    """One query; none on SQLite while nothing was committed to the file
    since the last read (``cms.graphql.sqlite_versions``)."""
    reader = Reader(client, own_cache)
    reader.warm(article_params(SEED_SLUG))
    sqlite = connection.vendor == "sqlite"
    with django_assert_num_queries(0 if sqlite else 1):
        assert reader.read(article_params(SEED_SLUG))[1]
    if not sqlite:
        return
    # Another connection (another worker) commits a change to every
    # response: asked again, and no hit (the miss runs the operation).
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
    with other:
        other.execute("UPDATE cms_contentgeneration SET value = value + 1")
        other.execute(
            "UPDATE cms_tagversion SET version ="
            " (SELECT value FROM cms_contentgeneration) WHERE tag = 'graphql'"
        )
    other.close()
    assert not reader.read(article_params(SEED_SLUG))[1]

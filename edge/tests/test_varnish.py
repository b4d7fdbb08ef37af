"""The real thing: Debian's Varnish with deploy/varnish/default.vcl (xkey) in
front of a live server. Purges go out from the change's commit (the test
settings run jobs at once), so the next GET already sees the change."""

import json
from io import StringIO
from urllib.parse import urlencode, urlsplit

import pytest
import urllib3
from django.core.management import call_command
from django.urls import reverse

from edge.tests.conftest import SEED_SLUG, article_params, persisted_params
from edge.varnish import Varnish, VarnishMissing
from worker.tests.helpers import article_form

pytestmark = pytest.mark.django_db(transaction=True)
http = urllib3.PoolManager(retries=False, timeout=30)


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    """varnishd in front of the live server; fails (never skips) without it."""
    parts = urlsplit(live_server.url)
    try:
        edge = Varnish(tmp_path / "varnish", parts.hostname, parts.port).start()
    except VarnishMissing as missing:
        pytest.fail(str(missing))
    settings.EDGE_PURGE_BACKEND = "varnish"
    settings.EDGE_VARNISH_URLS = [f"{edge.url}/"]
    yield edge
    edge.stop()


class Client:
    def __init__(self, edge):
        self.base = edge.url

    def get(self, params: dict, headers=None):
        url = f"{self.base}/graphql/?{urlencode(params)}"
        response = http.request("GET", url, headers=headers or {})
        return response

    def article(self, slug, headers=None):
        return self.get(article_params(slug), headers)

    def trainer(self, slug):
        return self.get(persisted_params("TrainerProfile", {"slug": slug}))


def cache(response) -> str:
    return response.headers["X-Cache"]


def data(response) -> dict:
    assert response.status == 200, response.data[:500]
    return json.loads(response.data)["data"]


def warm(*requests):
    """GET each twice: the second must be a hit."""
    for request in requests:
        request()
        assert cache(request()) == "HIT"


@pytest.fixture
def site():
    call_command("load_demo_content", stdout=StringIO())
    from content.articles.factories import ArticlePageFactory
    from content.models import ArticlePage

    seed = ArticlePage.objects.get(slug=SEED_SLUG)
    plain = ArticlePageFactory(parent=seed.get_parent(), slug="plain", title="Plain")
    plain.save_revision().publish()
    return {"seed": seed, "plain": plain}


def test_a_get_is_a_hit_the_second_time(site, varnish):
    client = Client(varnish)
    first = client.article(SEED_SLUG)
    second = client.article(SEED_SLUG)

    assert cache(first) == "MISS"
    assert cache(second) == "HIT"
    assert second.data == first.data
    assert "Surrogate-Control" not in second.headers  # for the edge only
    assert second.headers["Cache-Control"] == "public, max-age=60"


def test_after_publish_in_the_admin_the_next_get_shows_the_new_title(
    site, varnish, admin_client
):
    client = Client(varnish)
    plain = site["plain"]
    warm(lambda: client.article("plain"))

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[plain.pk]),
        article_form(
            title="Plain, republished",
            slug="plain",
            **{"action-publish": "action-publish"},
        ),
    )

    assert response.status_code == 302
    after = client.article("plain")
    assert cache(after) == "MISS"
    assert data(after)["article"]["title"] == "Plain, republished"
    assert cache(client.article("plain")) == "HIT"


def test_editing_a_table_purges_the_articles_embedding_it_and_nothing_else(
    site, varnish
):
    from content.models import ComparisonTable, TrainerProfilePage

    client = Client(varnish)
    trainer = TrainerProfilePage.objects.live().first()
    warm(
        lambda: client.article(SEED_SLUG),
        lambda: client.article("plain"),
        lambda: client.trainer(trainer.slug),
    )
    table = ComparisonTable.objects.get(live=True)
    table.title = "Therapists and trainers, side by side"
    table.save_revision().publish()

    embedding = client.article(SEED_SLUG)
    assert cache(embedding) == "MISS"
    assert "Therapists and trainers, side by side" in embedding.data.decode()
    assert cache(client.article("plain")) == "HIT"
    assert cache(client.trainer(trainer.slug)) == "HIT"


def test_a_change_to_one_trainer_leaves_cached_articles_as_hits(site, varnish):
    from wagtail.models import ReferenceIndex

    from content.models import TrainerProfilePage

    client = Client(varnish)
    trainer = next(
        t
        for t in TrainerProfilePage.objects.live()
        if not ReferenceIndex.get_references_to(t).exists()
    )
    warm(
        lambda: client.article(SEED_SLUG),
        lambda: client.article("plain"),
        lambda: client.trainer(trainer.slug),
    )
    trainer.headline = "Now also coaching rowers"
    trainer.save_revision().publish()

    assert cache(client.article(SEED_SLUG)) == "HIT"
    assert cache(client.article("plain")) == "HIT"
    changed = client.trainer(trainer.slug)
    assert cache(changed) == "MISS"
    assert data(changed)["trainer"]["headline"] == "Now also coaching rowers"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Preview-Token": "not-a-real-token"},
        {"Cookie": "sessionid=abc"},
        {"Authorization": "Bearer abc"},
    ],
    ids=["preview-token", "cookie", "authorization"],
)
def test_private_requests_are_never_cached(site, varnish, headers):
    client = Client(varnish)

    first = client.article(SEED_SLUG, headers)
    second = client.article(SEED_SLUG, headers)
    anonymous = client.article(SEED_SLUG)

    assert (cache(first), cache(second)) == ("PASS", "PASS")
    assert cache(anonymous) == "MISS"  # nothing was stored for them


def test_a_preview_token_in_the_query_string_is_never_cached(site, varnish):
    client = Client(varnish)
    query = '{ article(slug: "plain") { title } }'
    params = {"query": query, "variables": json.dumps({"previewToken": "x"})}

    assert [cache(client.get(params)) for _ in range(2)] == ["PASS", "PASS"]


def test_a_purge_without_tags_is_refused(site, varnish):
    refused = http.request("PURGE", f"{varnish.url}/")

    assert refused.status == 400

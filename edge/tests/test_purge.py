"""Changes purge their tags through Fastly and Cloudflare (local fakes that
check the documented APIs), debounced and batched by the worker's job."""

import json

import pytest
from django.db import transaction
from werkzeug import Response

from cms import metrics
from edge import purge
from edge.backends import PurgeFailed
from edge.models import PendingPurge


@pytest.fixture
def other_article(demo_site):
    """A second live article, published before purging is configured (the
    test's transaction never commits: one capture of callbacks per test)."""
    from content.articles.factories import ArticlePageFactory

    article = ArticlePageFactory(parent=demo_site.get_parent(), slug="another")
    article.save_revision().publish()
    return article


class Recorder:
    """A fake CDN API: records each request, answers as the real one does."""

    def __init__(self, answer):
        self.requests = []
        self.answer = answer

    def __call__(self, request):
        self.requests.append(
            {
                "path": request.path,
                "method": request.method,
                "headers": dict(request.headers),
                "json": json.loads(request.get_data() or b"null"),
            }
        )
        return self.answer(request)

    def tags(self, field) -> set[str]:
        return {tag for r in self.requests for tag in r["json"][field]}


def fastly_ok(request):
    keys = json.loads(request.get_data())["surrogate_keys"]
    return Response(
        json.dumps({key: f"purge-{n}" for n, key in enumerate(keys)}),
        content_type="application/json",
    )


def cloudflare_ok(request):
    return Response(
        json.dumps(
            {"success": True, "errors": [], "messages": [], "result": {"id": "z"}}
        ),
        content_type="application/json",
    )


@pytest.fixture
def fastly(httpserver, settings):
    settings.EDGE_PURGE_BACKEND = "fastly"
    settings.EDGE_FASTLY_API_URL = httpserver.url_for("/")
    settings.EDGE_FASTLY_SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY"
    settings.EDGE_FASTLY_API_TOKEN = "fastly-token"
    recorder = Recorder(fastly_ok)
    httpserver.expect_request(
        "/service/SU1Z0isxPaozGVKXdv0eY/purge", method="POST"
    ).respond_with_handler(recorder)
    return recorder


@pytest.fixture
def cloudflare(httpserver, settings):
    settings.EDGE_PURGE_BACKEND = "cloudflare"
    settings.EDGE_CLOUDFLARE_API_URL = httpserver.url_for("/client/v4")
    settings.EDGE_CLOUDFLARE_ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.EDGE_CLOUDFLARE_API_TOKEN = "cf-token"
    recorder = Recorder(cloudflare_ok)
    httpserver.expect_request(
        "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache",
        method="POST",
    ).respond_with_handler(recorder)
    return recorder


def test_fastly_purges_by_surrogate_key_as_its_api_documents(
    fastly, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purge.request(["article:1", "article:list"])

    (sent,) = fastly.requests
    assert sent["headers"]["Fastly-Key"] == "fastly-token"
    assert sent["headers"]["Fastly-Soft-Purge"] == "1"
    assert sent["headers"]["Content-Type"] == "application/json"
    assert sent["headers"]["Accept"] == "application/json"
    assert sent["json"] == {"surrogate_keys": ["article:1", "article:list", "overflow"]}
    assert not PendingPurge.objects.exists()


def test_cloudflare_purges_by_tag_thirty_at_a_time(
    cloudflare, db, django_capture_on_commit_callbacks
):
    tags = [f"article:{n}" for n in range(44)]
    with django_capture_on_commit_callbacks(execute=True):
        purge.request(tags)

    assert [len(r["json"]["tags"]) for r in cloudflare.requests] == [30, 15]
    for sent in cloudflare.requests:
        assert sent["headers"]["Authorization"] == "Bearer cf-token"
        assert sent["headers"]["Content-Type"] == "application/json"
        assert set(sent["json"]) == {"tags"}
    assert cloudflare.tags("tags") == {*tags, "overflow"}


def test_a_refused_purge_keeps_its_tags_and_the_retry_sends_them(
    fastly, db, django_capture_on_commit_callbacks
):
    failing = [True]

    def flaky(request):
        if failing[0]:
            return Response("backend down", status=503)
        return fastly_ok(request)

    fastly.answer = flaky
    before = metrics.PURGE_DURATION._sum.get()
    with transaction.atomic():
        purge.request(["table:7"])
    with pytest.raises(PurgeFailed, match="503"):
        purge.purge_pending()
    assert list(PendingPurge.objects.values_list("tag", flat=True)) == ["table:7"]

    failing[0] = False
    assert purge.purge_pending() == "purged 2 tags (fastly)"
    assert not PendingPurge.objects.exists()
    assert len(fastly.requests) == 2
    assert metrics.PURGE_DURATION._sum.get() > before


def test_a_tag_requested_again_during_a_purge_is_purged_again(fastly, db, monkeypatch):
    from edge.backends import Fastly

    send = Fastly.purge

    def requested_meanwhile(self, tags):
        send(self, tags)
        purge.request(["article:5"])  # another change while the purge ran

    monkeypatch.setattr(Fastly, "purge", requested_meanwhile)
    purge.request(["article:5"])
    purge.purge_pending()

    assert len(fastly.requests) == 1
    assert list(PendingPurge.objects.values_list("tag", flat=True)) == ["article:5"]


def test_changes_in_one_transaction_go_out_in_one_batch(
    demo_site, other_article, fastly, django_capture_on_commit_callbacks
):
    articles = [demo_site, other_article]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for article in articles:
            article.save_revision().publish()

    assert len(fastly.requests) == 1
    assert {f"article:{a.pk}" for a in articles} <= fastly.tags("surrogate_keys")


def test_publishing_an_article_purges_it_its_lists_and_its_referrers_only(
    demo_site, other_article, fastly, django_capture_on_commit_callbacks
):
    from content.models import ArticlePage

    with django_capture_on_commit_callbacks(execute=True):
        demo_site.save_revision().publish()

    tags = fastly.tags("surrogate_keys")
    assert {
        f"article:{demo_site.pk}",
        f"page:{demo_site.pk}",
        "article:list",
        "search",
    } <= tags
    others = ArticlePage.objects.exclude(pk=demo_site.pk).values_list("pk", flat=True)
    assert others
    assert not {f"article:{pk}" for pk in others} & tags
    assert "article" not in tags  # never the type tag: that is every article


def test_editing_a_table_purges_the_articles_embedding_it_and_nothing_else(
    demo_site, fastly, django_capture_on_commit_callbacks
):
    from wagtail.models import ReferenceIndex

    from content.models import ArticlePage, ComparisonTable

    table = ComparisonTable.objects.get(live=True)
    embedding = {
        int(pk)
        for pk in ReferenceIndex.get_references_to(table).values_list(
            "object_id", flat=True
        )
    }
    assert demo_site.pk in embedding
    table.title = "Physical therapists and personal trainers, compared"
    with django_capture_on_commit_callbacks(execute=True):
        table.save_revision().publish()

    tags = fastly.tags("surrogate_keys")
    articles = {int(t.split(":")[1]) for t in tags if t.startswith("article:")}
    assert articles - {0} == embedding & set(
        ArticlePage.objects.values_list("pk", flat=True)
    )
    assert f"table:{table.pk}" in tags
    assert "article:list" not in tags
    assert not any(t.startswith("trainer") for t in tags)


def test_a_change_to_one_trainer_purges_no_article(
    demo_site, fastly, django_capture_on_commit_callbacks
):
    from wagtail.models import ReferenceIndex

    from content.models import TrainerProfilePage

    # One that no article features (an article featuring it is purged).
    trainer = next(
        t
        for t in TrainerProfilePage.objects.live()
        if not ReferenceIndex.get_references_to(t).exists()
    )
    with django_capture_on_commit_callbacks(execute=True):
        trainer.save_revision().publish()

    tags = fastly.tags("surrogate_keys")
    assert {f"trainer:{trainer.pk}", "trainerDirectory"} <= tags
    assert not any(t.startswith("article") for t in tags)


@pytest.mark.parametrize("change", ["unpublish", "delete"])
def test_unpublishing_or_deleting_an_article_purges_it(
    demo_site, other_article, fastly, django_capture_on_commit_callbacks, change
):
    with django_capture_on_commit_callbacks(execute=True):
        getattr(other_article, change)()

    tags = fastly.tags("surrogate_keys")
    assert {f"article:{other_article.pk}", "article:list"} <= tags
    assert f"article:{demo_site.pk}" not in tags


def test_a_settings_change_purges_the_settings(
    demo_site, fastly, django_capture_on_commit_callbacks
):
    from home.models import OrganisationSettings

    organisation = OrganisationSettings.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        organisation.save()

    tags = fastly.tags("surrogate_keys")
    assert {"settings", f"settings:{organisation.pk}"} <= tags
    assert not any(t.startswith("article") for t in tags)


def test_moving_an_article_purges_it(
    demo_site, other_article, fastly, django_capture_on_commit_callbacks
):
    from content.models import BlogIndexPage

    target = BlogIndexPage(title="Archive", slug="archive")
    # Creating a live page is a change too: in the same transaction.
    with django_capture_on_commit_callbacks(execute=True):
        demo_site.get_parent().get_parent().add_child(instance=target)
        other_article.move(target, pos="last-child")

    tags = fastly.tags("surrogate_keys")
    assert {f"article:{other_article.pk}", "article:list"} <= tags


def test_a_draft_save_purges_nothing(
    demo_site, fastly, django_capture_on_commit_callbacks
):
    demo_site.title = "A draft title"
    with django_capture_on_commit_callbacks(execute=True):
        demo_site.save_revision()

    assert fastly.requests == []


def test_a_rolled_back_publish_purges_nothing(demo_site, fastly):
    def publish_then_fail():
        with transaction.atomic():
            demo_site.save_revision().publish()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        publish_then_fail()

    assert not PendingPurge.objects.exists()


def test_on_the_worker_a_burst_of_changes_is_one_deferred_job(fastly, db, settings):
    import time

    from django_tasks_db.models import DBTaskResult

    from worker.tests.helpers import DATABASE_TASKS, run_worker_until_idle

    settings.TASKS = DATABASE_TASKS
    settings.EDGE_PURGE_DEBOUNCE_MS = 100
    with transaction.atomic():
        purge.request(["article:1"])
        purge.request(["article:2", "article:list"])

    (job,) = DBTaskResult.objects.filter(task_path="edge.purge.purge_task")
    assert job.run_after > job.enqueued_at  # debounced
    time.sleep(0.2)
    run_worker_until_idle()

    (sent,) = fastly.requests
    assert sent["json"]["surrogate_keys"] == [
        "article:1",
        "article:2",
        "article:list",
        "overflow",
    ]
    assert not PendingPurge.objects.exists()

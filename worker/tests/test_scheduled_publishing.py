"""Go-live and expiry run in the worker, one worker per slot."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import PageLogEntry

from worker import periodic, recovery
from worker.models import PeriodicJob

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
ARTICLE = "query($slug: String!) { article(slug: $slug) { title } }"


@pytest.fixture
def traveller():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def run_job(worker_id="w1") -> bool:
    return periodic.run_if_due(periodic.get("worker.publish_scheduled"), worker_id)


def test_a_scheduled_article_goes_live_when_the_job_runs(
    traveller,
    make_article,
):
    article = make_article(publish=False, slug="spring")
    article.go_live_at = T0 + datetime.timedelta(minutes=5)
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.live is False

    traveller.shift(299)
    assert run_job() is True
    article.refresh_from_db()
    assert article.live is False

    traveller.shift(16)
    assert run_job() is True

    article.refresh_from_db()
    assert article.live is True
    logged = PageLogEntry.objects.filter(
        page=article, action="wagtail.publish.scheduled"
    )
    assert logged.count() == 1


def test_an_expired_article_is_unpublished_by_the_job(
    traveller,
    make_article,
):
    article = make_article(expire_at=T0 + datetime.timedelta(minutes=1))
    traveller.shift(61)

    assert run_job() is True

    article.refresh_from_db()
    assert (article.live, article.expired) == (False, True)


def test_expired_content_leaves_the_api_before_the_job_runs(
    traveller,
    gql,
    make_article,
):
    article = make_article(slug="brief", expire_at=T0 + datetime.timedelta(minutes=1))
    assert gql.data(ARTICLE, {"slug": "brief"}) == {"article": {"title": article.title}}

    traveller.shift(60)

    assert gql.data(ARTICLE, {"slug": "brief"}) == {"article": None}
    article.refresh_from_db()
    assert article.live is True  # the job has not run


def test_two_workers_never_run_the_same_slot(db, traveller):
    assert periodic.claim("job", "w1", every=15) is True
    periodic.release("job", "w1")
    assert periodic.claim("job", "w2", every=15) is False

    traveller.shift(15)

    assert periodic.claim("job", "w2", every=15) is True
    assert periodic.claim("job", "w1", every=15) is False
    assert PeriodicJob.objects.get(name="job").runs == 2


def test_a_running_job_is_not_started_again_until_its_worker_dies(
    db, traveller, settings
):
    settings.WORKER_ORPHAN_SECONDS = 60
    recovery.beat("w1", timezone.now())
    assert periodic.claim("job", "w1", every=15) is True  # still running

    traveller.shift(30)
    assert periodic.claim("job", "w2", every=15) is False

    traveller.shift(31)  # w1's last heartbeat is 61 s old
    assert periodic.claim("job", "w2", every=15) is True

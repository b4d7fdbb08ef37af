"""View counts: the beacon, unique readers per day, flushing, exposure."""

import datetime
import threading

import pytest
import redis
from django.core.management import call_command
from django.db import connections

from cms.graphql.cache import current_generation
from content.engagement import counting
from content.engagement.models import ArticleViewDay, ViewReader, ViewSalt

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
COUNT = """
query Count($slug: String!, $since: Date!) {
  article(slug: $slug) { viewCount views(since: $since) { day readers } }
}
"""


@pytest.fixture
def article(make_article):
    return make_article(slug="knee-pain")


@pytest.fixture
def redis_counter(settings):
    url = "redis://127.0.0.1:6379/10"
    client = redis.Redis.from_url(url)
    client.flushdb()
    settings.VIEW_COUNTER_REDIS_URL = url
    yield client
    client.flushdb()


def beacon(client, article_id, *, address="192.0.2.1", agent=BROWSER, **headers):
    return client.post(
        "/api/views/",
        f'{{"article": "{article_id}"}}',
        content_type="text/plain",
        REMOTE_ADDR=address,
        headers={"User-Agent": agent, **headers},
    )


def count_of(gql, since=None):
    since = since or counting.today().isoformat()
    return gql.data(COUNT, {"slug": "knee-pain", "since": since})["article"]


def test_a_reader_counts_once_a_day(client, gql, article):
    for _ in range(3):
        assert beacon(client, article.pk).status_code == 204
    beacon(client, article.pk, address="192.0.2.2")
    beacon(client, article.pk, agent=BROWSER + " other")

    call_command("flush_view_counts", stdout=None)

    shown = count_of(gql)
    assert shown["viewCount"] == 3
    assert shown["views"] == [{"day": counting.today().isoformat(), "readers": 3}]


def test_bots_and_prefetches_are_not_counted(client, article):
    beacon(client, article.pk, agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
    beacon(client, article.pk, agent="curl/8.5.0")
    beacon(client, article.pk, agent="")
    beacon(client, article.pk, **{"Sec-Purpose": "prefetch;prerender"})
    beacon(client, article.pk, Purpose="prefetch")

    assert counting.flush() == 0
    assert not ArticleViewDay.objects.exists()


def test_no_address_or_user_agent_is_stored(client, article):
    beacon(client, article.pk, address="198.51.100.77", agent=BROWSER)

    (reader,) = ViewReader.objects.all()
    assert len(reader.digest) == 64
    stored = " ".join(str(v) for v in ViewReader.objects.values().first().values())
    assert "198.51.100.77" not in stored
    assert "Firefox" not in stored


def test_the_salt_rotates_daily_and_past_days_are_forgotten(article):
    yesterday = counting.today() - datetime.timedelta(days=1)
    counting.record(article.pk, "192.0.2.1", BROWSER, day=yesterday)
    counting.record(article.pk, "192.0.2.1", BROWSER)
    digests = set(ViewReader.objects.values_list("digest", flat=True))
    assert len(digests) == 2  # the same reader is unlinkable across days

    assert counting.flush() == 2

    assert not ViewSalt.objects.filter(day=yesterday).exists()
    assert not ViewReader.objects.filter(day=yesterday).exists()
    assert ArticleViewDay.objects.get(day=yesterday).readers == 1


def test_bad_beacons_get_a_stable_error(client, make_article):
    draft = make_article(live=False, slug="leak-draft")

    assert client.get("/api/views/").status_code == 405
    bodies = ("", "{", '{"article": "x"}', "[]", '{"nope": 1}', '{"article": true}')
    huge = ('{"article": "%s"}' % ("9" * 30), '{"article": %s}' % ("9" * 30))
    for body in (*bodies, *huge, '{"article": -1}', '{"article": "\u00b2"}'):
        response = client.post("/api/views/", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    big = client.post("/api/views/", "x" * 5000, content_type="text/plain")
    assert big.status_code == 413
    hidden = beacon(client, draft.pk)
    assert hidden.status_code == 404
    assert not ViewReader.objects.exists()


def test_a_redis_outage_answers_503_not_500(client, article, settings):
    settings.VIEW_COUNTER_REDIS_URL = "redis://127.0.0.1:1/10"  # nothing listens

    response = beacon(client, article.pk)

    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


def test_the_beacon_is_rate_limited(client, article, settings):
    settings.VIEW_RATE_LIMIT = 3
    statuses = [beacon(client, article.pk).status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]


def test_counts_show_with_a_lag_and_keep_responses_cacheable(client, gql, article):
    assert count_of(gql)["viewCount"] == 0
    generation = current_generation()

    beacon(client, article.pk)
    assert count_of(gql)["viewCount"] == 0  # not flushed yet
    counting.flush()

    # Flushing bumps nothing: the count shows once cached responses expire.
    assert current_generation() == generation


def test_the_trend_refuses_a_far_past(gql, article):
    body = gql.execute(COUNT, {"slug": "knee-pain", "since": "2000-01-01"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_worker_flushes_view_counts_on_a_timer(settings, client, article):
    from worker import commands

    assert settings.WORKER_PERIODIC_COMMANDS["flush_view_counts"] > 0
    beacon(client, article.pk)
    beacon(client, article.pk, address="192.0.2.9")

    # What the worker's periodic job for the command runs.
    commands.run("flush_view_counts")

    assert ArticleViewDay.objects.get(article=article).readers == 2


# --- exact under concurrency -------------------------------------------------

THREADS, VIEWS = 16, 500
# Thread t reads as one of 4 groups of 125 readers: 500 unique readers,
# each seen 16 times.
EXPECTED = 4 * 125


def _hammer(article_id, failures):
    def run(t):
        try:
            for i in range(VIEWS):
                counting.record(article_id, f"10.{t % 4}.{i % 125}.1", BROWSER)
        except Exception as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _exact_count(article):
    failures = []
    _hammer(article.pk, failures)
    assert failures == []
    moved = counting.flush(batch=97)
    assert moved == EXPECTED
    assert ArticleViewDay.objects.get(article=article).readers == EXPECTED
    # A second flush moves nothing more.
    assert counting.flush() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_count_exactly_in_the_database(make_article, settings):
    settings.VIEW_COUNTER_REDIS_URL = ""
    _exact_count(make_article(slug="busy"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_count_exactly_in_redis(make_article, redis_counter):
    article = make_article(slug="busy")
    _exact_count(article)
    assert (
        redis_counter.scard(
            counting.READERS_KEY.format(day=counting.today(), article=article.pk)
        )
        == EXPECTED
    )

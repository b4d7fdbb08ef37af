"""Neither the response cache nor max-age reaches past a scheduled change."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache

from cms.graphql import cache as graphql_cache
from cms.graphql import horizon

T0 = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)
ARTICLE = '{ article(slug: "brief") { title } }'


@pytest.fixture(autouse=True)
def _fresh_horizon():
    horizon.forget()
    yield
    horizon.forget()


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def response_cache(settings):
    settings.GRAPHQL_RESPONSE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def get(client, query=ARTICLE):
    return client.get("/graphql/", {"query": query})


def test_max_age_stops_at_the_next_expiry(clock, client, make_article):
    make_article(slug="brief", title="Brief")
    assert get(client)["Cache-Control"] == "public, max-age=60"

    make_article(expire_at=T0 + datetime.timedelta(seconds=25))

    assert get(client)["Cache-Control"] == "public, max-age=25"
    clock.shift(25)
    assert get(client)["Cache-Control"] == "public, max-age=60"


def test_a_cached_response_is_not_served_past_an_expiry(
    clock, client, response_cache, make_article
):
    make_article(slug="brief", title="Brief", expire_at=T0 + datetime.timedelta(30))
    make_article(expire_at=T0 + datetime.timedelta(seconds=20))
    assert get(client).json() == {"data": {"article": {"title": "Brief"}}}
    brief = apps.get_model("content.ArticlePage").objects.get(slug="brief")
    brief.expire_at = T0 + datetime.timedelta(seconds=20)
    apps.get_model("content.ArticlePage").objects.filter(pk=brief.pk).update(
        expire_at=brief.expire_at
    )  # no signal, no generation bump: only the clock hides it

    clock.shift(19)
    assert get(client).json() == {"data": {"article": {"title": "Brief"}}}
    clock.shift(1)

    assert get(client).json() == {"data": {"article": None}}


def test_an_overdue_go_live_allows_no_caching_until_it_is_published(
    clock, client, response_cache, make_article
):
    make_article(slug="brief", title="Brief")
    scheduled = make_article(publish=False)
    scheduled.go_live_at = T0 + datetime.timedelta(seconds=10)
    scheduled.save_revision().publish()
    assert get(client)["Cache-Control"] == "public, max-age=10"
    stored = [key for key in cache._cache if "gql:resp:" in key]

    clock.shift(12)  # due, and the worker has not run yet

    assert get(client)["Cache-Control"] == "public, max-age=0"
    # Nothing new stored; the old entry is kept only for stale-if-error
    # (database down), never served fresh.
    assert [key for key in cache._cache if "gql:resp:" in key] == stored
    assert [graphql_cache.get_response(key.split(":", 2)[2]) for key in stored] == [
        None
    ]


def test_a_credential_lapsing_at_midnight_bounds_max_age(
    client, settings, make_trainer, make_article
):
    settings.TIME_ZONE = "America/Chicago"
    make_article(slug="brief", title="Brief")
    trainer = make_trainer()
    credential = apps.get_model("content.Credential").objects.create(
        abbreviation="CPR", full_name="CPR/AED", issuing_body="Red Cross"
    )
    apps.get_model("content.TrainerCredential").objects.create(
        page=trainer, credential=credential, expires_on=datetime.date(2026, 3, 2)
    )
    # 23:59:30 in Chicago: the credential lapses in 30 seconds.
    with time_machine.travel(
        datetime.datetime(2026, 3, 3, 5, 59, 30, tzinfo=datetime.UTC), tick=False
    ):
        assert get(client)["Cache-Control"] == "public, max-age=30"

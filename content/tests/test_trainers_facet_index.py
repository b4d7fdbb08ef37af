"""The in-memory directory index (``content.trainers.facet_index``) answers
exactly what SQL answers: same matches, totals, pages, distances and facets,
for random filters over data with hidden, expired, restricted and lapsing
profiles and credentials; and it costs no SQL once built."""

import datetime
import random
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from bench.scale import FACETS_QUERY
from cms.graphql.errors import ApiError
from cms.selectors import forget_snapshot
from content.catalogue.models import Credential, Specialty
from content.trainers import demo, facet_index
from content.trainers.models import TrainerCredential, TrainerProfilePage
from content.trainers.selectors import compute_facets, search_trainers

pytestmark = pytest.mark.django_db
SERVICES = ["in_person", "virtual", "group"]


class NearInput(dict):
    """What graphene hands the resolver: a dict with attributes."""

    __getattr__ = dict.__getitem__


def messy_directory(home, rng: random.Random) -> list:
    """Generated trainers, then some hidden, expired, restricted, renamed
    (case and ties) and with credentials lapsed, lapsing today or later."""
    demo.load(StringIO(), parent=home, count=90)
    now, today = timezone.now(), timezone.localdate()
    pages = list(TrainerProfilePage.objects.order_by("pk"))
    for page in pages:
        roll = rng.random()
        fields = {}
        if roll < 0.06:
            fields["live"] = False
        elif roll < 0.12:
            fields["expire_at"] = now - datetime.timedelta(hours=1)
        elif roll < 0.18:
            fields["expire_at"] = now + datetime.timedelta(days=2)
        if rng.random() < 0.1:
            fields["city"] = page.city.lower()
        if rng.random() < 0.1:
            fields["state"] = "il"
        if rng.random() < 0.1:
            fields["title"] = "Sam Same"  # ties on name: pk decides
        if rng.random() < 0.15:
            fields["last_published_at"] = None
        if rng.random() < 0.1:
            fields["latitude"] = fields["longitude"] = None
        if fields:
            TrainerProfilePage.objects.filter(pk=page.pk).update(**fields)
    for page in rng.sample(pages, 3):
        PageViewRestriction.objects.create(
            page=page, restriction_type="password", password="x"
        )
    for row in TrainerCredential.objects.all():
        roll = rng.random()
        if roll < 0.25:
            row.expires_on = today + datetime.timedelta(days=rng.choice([-1, 0, 1]))
            TrainerCredential.objects.filter(pk=row.pk).update(
                expires_on=row.expires_on
            )
    Specialty.objects.create(name="Nobody holds this", slug="nobody")
    return list(TrainerProfilePage.objects.order_by("pk"))


def random_filter(rng: random.Random, pages) -> dict:
    flt = {}
    specialties = list(Specialty.objects.values_list("slug", flat=True))
    credentials = list(Credential.objects.values_list("slug", flat=True))
    if rng.random() < 0.4:
        flt["specialties"] = rng.sample(specialties, rng.randint(1, 2))
    if rng.random() < 0.4:
        flt["credentials"] = rng.sample(credentials, rng.randint(1, 2))
    page = rng.choice(pages)
    if rng.random() < 0.3:
        flt["city"] = rng.choice([page.city, page.city.upper(), f" {page.city} "])
    if rng.random() < 0.2:
        flt["state"] = rng.choice(["WI", "wi", "IL", "il"])
    if rng.random() < 0.3:
        flt["services"] = rng.sample(SERVICES, rng.randint(1, 2))
    if rng.random() < 0.4:
        flt["accepting_new_clients"] = rng.choice([True, False])
    if rng.random() < 0.2:
        words = page.headline.split() + page.title.split()
        word = rng.choice([w for w in words if w.isascii()])
        flt["query"] = rng.choice([word, word.upper(), word.lower()[1:]])
    return flt


def random_search(rng: random.Random, pages) -> dict:
    args = {"flt": random_filter(rng, pages), "limit": rng.randint(1, 50)}
    args["offset"] = rng.choice([0, 0, rng.randint(0, 60)])
    orders = ["name", "recently_updated", None]
    if rng.random() < 0.4:
        args["near"] = NearInput(
            latitude=43.0 + rng.uniform(-1.5, 1.5),
            longitude=-89.4 + rng.uniform(-1.5, 1.5),
            radius_km=rng.choice([5.0, 25.0, 80.0, 250.0]),
        )
        orders.append("distance")
    args["order"] = rng.choice(orders)
    return args


def answer(result) -> dict:
    return {
        "total": result.total_count,
        "items": [(p.pk, getattr(p, "distance_km", None)) for p in result.items],
        "facets": compute_facets(result.matching),
    }


def both_ways(settings, args) -> tuple[dict, dict]:
    settings.PUBLIC_VISIBILITY_CACHE = False
    assert facet_index.current() is None
    by_sql = answer(search_trainers(**args))
    settings.PUBLIC_VISIBILITY_CACHE = True
    assert facet_index.current() is not None
    result = search_trainers(**args)
    assert isinstance(result.matching, facet_index.Matches)
    return by_sql, answer(result)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_answers_what_sql_answers(home, settings, seed):
    from cms.selectors import outer_transaction_ignored

    rng = random.Random(seed)
    pages = messy_directory(home, rng)
    forget_snapshot()
    with outer_transaction_ignored():
        compared = 0
        for _ in range(60):
            args = random_search(rng, pages)
            by_sql, by_index = both_ways(settings, args)
            assert by_index == by_sql, args
            compared += by_sql["total"] > 0
    forget_snapshot()
    assert compared > 20  # most random filters match someone


def test_the_index_declines_what_python_might_answer_differently(
    home, settings, public_visibility_cache
):
    """Non-ASCII patterns, and values with a character that upper-cases to
    ASCII, go to SQL (whose case folding differs between databases)."""
    demo.load(StringIO(), parent=home, count=30)
    forget_snapshot()
    index = facet_index.current()
    assert index.match({"query": "—"}) is None
    assert index.match({"city": "Mädison"}) is None
    assert index.match({"query": "madison"}) is not None
    page = TrainerProfilePage.objects.order_by("pk").last()
    TrainerProfilePage.objects.filter(pk=page.pk).update(headline="Kraftstraße")
    forget_snapshot()
    index = facet_index.current()
    assert index.match({"query": "strasse"}) is None
    assert index.match({"city": "madison"}) is not None
    by_sql, _ = both_ways(settings, {"flt": {"city": "MADISON"}})
    settings.PUBLIC_VISIBILITY_CACHE = True
    for flt in ({"query": "—"}, {"query": "STRASSE"}):
        result = search_trainers(flt=flt)
        assert not isinstance(result.matching, facet_index.Matches)


def test_unknown_slugs_fail_the_same_way(home, settings, public_visibility_cache):
    demo.load(StringIO(), parent=home, count=30)
    for flt in ({"specialties": ["nope", "zzz"]}, {"credentials": ["nope"]}):
        errors = []
        for cached in (False, True):
            settings.PUBLIC_VISIBILITY_CACHE = cached
            with pytest.raises(ApiError) as caught:
                search_trainers(flt=flt)
            errors.append((str(caught.value), caught.value.extensions))
        assert errors[0] == errors[1]


def test_warm_facets_cost_no_sql(home, gql, public_visibility_cache):
    demo.load(StringIO(), parent=home, count=60)
    variables = {"filter": {"acceptingNewClients": True}}
    gql.data(FACETS_QUERY, variables)  # builds the index
    with CaptureQueriesContext(connection) as captured:
        data = gql.data(FACETS_QUERY, variables)["trainers"]
    assert data["totalCount"] > 20
    assert data["facets"]["cities"]
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [q for q in sql if "COUNT(" in q.upper()], sql


def test_the_index_follows_the_clock(home, monkeypatch, public_visibility_cache):
    """A profile past its expiry time, or a credential past its expiry date,
    leaves the index without a content change."""
    demo.load(StringIO(), parent=home, count=30)
    now = timezone.now()
    page = TrainerProfilePage.objects.order_by("pk").first()
    TrainerProfilePage.objects.filter(pk=page.pk).update(
        expire_at=now + datetime.timedelta(hours=1)
    )
    row = TrainerCredential.objects.filter(page=page).first()
    TrainerCredential.objects.filter(pk=row.pk).update(
        expires_on=timezone.localdate(now) + datetime.timedelta(days=1)
    )
    forget_snapshot()
    index = facet_index.current()
    assert row.credential_id in index.by_pk[page.pk].credentials
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=2))
    assert page.pk not in facet_index.current().by_pk
    TrainerProfilePage.objects.filter(pk=page.pk).update(expire_at=None)
    forget_snapshot()
    assert row.credential_id in facet_index.current().by_pk[page.pk].credentials
    two_days = now + datetime.timedelta(days=2, hours=1)
    monkeypatch.setattr(timezone, "now", lambda: two_days)
    lapsed = facet_index.current().by_pk[page.pk].credentials
    assert row.credential_id not in lapsed
    slug = Credential.objects.get(pk=row.credential_id).slug
    result = search_trainers(flt={"credentials": [slug]})
    assert page.pk not in [r.pk for r in result.matching]


def test_a_content_change_rebuilds_the_index(home, gql, public_visibility_cache):
    """Unpublishing (an editor's change: it bumps the generation) takes a
    profile out of the matches, totalCount and facets on the next request."""
    demo.load(StringIO(), parent=home, count=30)
    page = TrainerProfilePage.objects.live().order_by("pk").first()
    flt = {"filter": {"city": page.city}}
    before = gql.data(FACETS_QUERY, flt)["trainers"]
    index = facet_index.current()
    page.unpublish()
    after = gql.data(FACETS_QUERY, flt)["trainers"]
    assert facet_index.current() is not index
    assert after["totalCount"] == before["totalCount"] - 1
    cities = {(c["name"], c["count"]) for c in after["facets"]["cities"]}
    assert (page.city, before["totalCount"] - 1) in cities

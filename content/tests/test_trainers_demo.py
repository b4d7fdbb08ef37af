import random
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page

from content.models import Credential
from content.trainers import demo
from content.trainers.demo import CURATED_COUNT, DEMO_MARK, _spec
from content.trainers.models import TrainerChange, TrainerProfilePage
from home.demo import load_site

pytestmark = pytest.mark.django_db


def snapshot():
    return list(
        TrainerProfilePage.objects.order_by("slug").values_list(
            "slug", "title", "city", "latitude", "longitude", "accepting_new_clients"
        )
    )


def load_trainers(stdout):
    demo.load(stdout, parent=load_site(StringIO()))


def test_demo_trainers_are_fictional_wisconsin_profiles_and_idempotent():
    load_trainers(StringIO())
    trainers = TrainerProfilePage.objects.live().public()
    assert trainers.count() == 24
    assert all(DEMO_MARK in t.headline for t in trainers)
    assert all(t.state == "WI" for t in trainers)
    assert all(
        42.4 < t.latitude < 47.1 and -92.9 < t.longitude < -86.8 for t in trainers
    )
    assert len({t.city for t in trainers}) == 14
    assert trainers.filter(
        city="Madison",
        specialties__slug="strength-and-conditioning",
        credentials__credential__slug="nsca-cscs",
    ).exists()
    assert set(Credential.objects.values_list("slug", flat=True)) == {
        "dpt", "pt", "pta", "nsca-cpt", "nsca-cscs", "nasm-cpt", "cpr-aed",
    }  # fmt: skip
    before = snapshot()
    load_trainers(StringIO())
    assert snapshot() == before


def test_demo_trainers_scale_deterministically_and_keep_the_tree_valid(gql):
    call_command("load_demo_content", trainers=60, seed=7, stdout=StringIO())
    assert TrainerProfilePage.objects.count() == 60
    assert not any(Page.find_problems())
    # Bulk-inserted profiles are in the sync log like published ones.
    assert TrainerChange.objects.values("page_id").distinct().count() == 60
    data = gql.data("{ trainers(limit: 1) { totalCount } }")
    assert data["trainers"]["totalCount"] == 60
    assert _specs(60, seed=7) == _specs(60, seed=7)
    assert _specs(60, seed=7) != _specs(60, seed=8)


def _specs(count, seed):
    rng = random.Random(seed)
    return [_spec(rng, i, curated=i < CURATED_COUNT) for i in range(count)]

import datetime

import pytest

from content.trainers.factories import (
    CredentialFactory,
    SpecialtyFactory,
    TrainerCredentialFactory,
    TrainerEducationFactory,
    TrainerProfilePageFactory,
    publish,
)

pytestmark = pytest.mark.django_db

PROFILE_FIELDS = """
  id slug name headline
  photo { id altText width height }
  bio { __typename ... on TrainerBioParagraphBlock { id blockType html } }
  credentials {
    credential { slug abbreviation fullName issuingBody kind }
    number issuedOn expiresOn isCurrent
  }
  education { degree field institution }
  specialties { slug name }
  services
  location { city state postalCode latitude longitude }
  acceptingNewClients bookingUrl email phone website languages url lastPublishedAt
  distanceKm distanceMiles
"""

TRAINERS = """
query($filter: TrainerFilter, $near: TrainerNearInput, $order: TrainerOrder,
      $limit: Int, $offset: Int) {
  trainers(filter: $filter, near: $near, order: $order, limit: $limit,
           offset: $offset) {
    totalCount hasNextPage
    items { PROFILE_FIELDS }
  }
}""".replace("PROFILE_FIELDS", PROFILE_FIELDS)


def trainer(directory, **kwargs):
    specialties = kwargs.pop("specialties", [])
    page = TrainerProfilePageFactory(parent=directory, **kwargs)
    if specialties:
        page.specialties.set(specialties)
        publish(page)
    return page


def test_trainer_directory_returns_a_fully_typed_profile(gql, directory):
    strength = SpecialtyFactory(name="Strength and conditioning")
    page = trainer(directory, title="Ada Lift", specialties=[strength])
    cscs = CredentialFactory(abbreviation="NSCA-CSCS", full_name="CSCS")
    TrainerCredentialFactory(page=page, credential=cscs, number="123")
    TrainerCredentialFactory(
        page=page,
        credential=CredentialFactory(abbreviation="CPR/AED"),
        issued_on=datetime.date(2019, 1, 1),
        expires_on=datetime.date(2021, 1, 1),
    )
    TrainerEducationFactory(page=page)
    data = gql.data(TRAINERS)["trainers"]
    assert data["totalCount"] == 1
    item = data["items"][0]
    assert item["name"] == "Ada Lift"
    assert item["specialties"] == [
        {"slug": "strength-and-conditioning", "name": "Strength and conditioning"}
    ]
    current = {
        c["credential"]["abbreviation"]: c["isCurrent"] for c in item["credentials"]
    }
    assert current == {"NSCA-CSCS": True, "CPR/AED": False}
    assert item["credentials"][0]["credential"]["kind"] == "CERTIFICATION"
    assert item["services"] == ["IN_PERSON"]
    assert item["location"]["city"] == "Madison"
    assert item["languages"] == ["English"]
    assert item["education"][0]["institution"] == "University of Wisconsin-Madison"
    assert item["url"].endswith(f"/trainers/{page.slug}/")
    assert item["distanceKm"] is None


def names(data):
    return [item["name"] for item in data["trainers"]["items"]]


@pytest.fixture
def vocab():
    return {
        "strength": SpecialtyFactory(name="Strength and conditioning"),
        "rehab": SpecialtyFactory(name="Post-rehab"),
        "cscs": CredentialFactory(abbreviation="NSCA-CSCS"),
        "cpt": CredentialFactory(abbreviation="NASM-CPT"),
    }


@pytest.fixture
def town(directory, vocab):
    """Three trainers in three cities with different offers."""
    ada = trainer(
        directory,
        title="Ada Lift",
        headline="Barbell coach",
        specialties=[vocab["strength"]],
        offers_virtual=True,
    )
    TrainerCredentialFactory(page=ada, credential=vocab["cscs"])
    ben = trainer(
        directory,
        title="Ben Bend",
        headline="Knee rehab helper",
        city="Milwaukee",
        postal_code="53202",
        latitude=43.0389,
        longitude=-87.9065,
        specialties=[vocab["rehab"], vocab["strength"]],
        accepting_new_clients=False,
    )
    # An expired credential does not count for filters or facets.
    TrainerCredentialFactory(
        page=ben,
        credential=vocab["cscs"],
        issued_on=datetime.date(2015, 1, 1),
        expires_on=datetime.date(2017, 1, 1),
    )
    TrainerCredentialFactory(page=ben, credential=vocab["cpt"])
    cy = trainer(
        directory,
        title="Cy Stretch",
        city="Green Bay",
        postal_code="54301",
        latitude=44.5133,
        longitude=-88.0133,
        offers_group=True,
    )
    return ada, ben, cy


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({"specialties": ["strength-and-conditioning"]}, ["Ada Lift", "Ben Bend"]),
        ({"specialties": ["post-rehab"]}, ["Ben Bend"]),
        ({"credentials": ["nsca-cscs"]}, ["Ada Lift"]),
        ({"credentials": ["nasm-cpt", "nsca-cscs"]}, ["Ada Lift", "Ben Bend"]),
        ({"city": "milwaukee"}, ["Ben Bend"]),
        ({"state": "WI"}, ["Ada Lift", "Ben Bend", "Cy Stretch"]),
        ({"services": ["VIRTUAL"]}, ["Ada Lift"]),
        ({"services": ["GROUP", "VIRTUAL"]}, ["Ada Lift", "Cy Stretch"]),
        ({"acceptingNewClients": False}, ["Ben Bend"]),
        ({"query": "rehab"}, ["Ben Bend"]),
        ({"query": "cy st"}, ["Cy Stretch"]),
        (
            {"specialties": ["strength-and-conditioning"], "city": "Madison"},
            ["Ada Lift"],
        ),
    ],
)
def test_trainer_directory_filters_combine_with_and(gql, town, flt, expected):
    data = gql.data(TRAINERS, {"filter": flt})
    assert names(data) == expected
    assert data["trainers"]["totalCount"] == len(expected)


def test_near_me_orders_by_distance_and_reports_it(gql, town):
    # From Sheboygan: Green Bay (~80 km) and Milwaukee (~80 km) are in range,
    # Madison (~160 km) is not with a 120 km radius.
    near = {"latitude": 43.7508, "longitude": -87.7145, "radiusKm": 120}
    data = gql.data(TRAINERS, {"near": near})["trainers"]
    assert [i["name"] for i in data["items"]] == ["Ben Bend", "Cy Stretch"]
    first, second = data["items"]
    assert 70 < first["distanceKm"] < second["distanceKm"] < 100
    assert first["distanceMiles"] == pytest.approx(first["distanceKm"] / 1.609344, 1e-3)
    wide = gql.data(TRAINERS, {"near": {**near, "radiusKm": 500}, "order": "NAME"})
    assert names(wide) == ["Ada Lift", "Ben Bend", "Cy Stretch"]
    assert all(i["distanceKm"] for i in wide["trainers"]["items"])


def test_trainers_order_by_recently_updated(gql, town):
    ada, _, _ = town
    publish(ada)
    data = gql.data(TRAINERS, {"order": "RECENTLY_UPDATED"})
    assert names(data)[0] == "Ada Lift"


def test_near_me_orders_by_recently_updated_within_the_radius(gql, town):
    near = {"latitude": 43.7508, "longitude": -87.7145, "radiusKm": 500}
    for trainer in reversed(town):  # Ada last: the most recently updated
        publish(trainer)
    data = gql.data(TRAINERS, {"near": near, "order": "RECENTLY_UPDATED"})
    assert names(data) == ["Ada Lift", "Ben Bend", "Cy Stretch"]
    publish(town[2])
    data = gql.data(TRAINERS, {"near": near, "order": "RECENTLY_UPDATED"})
    assert names(data) == ["Cy Stretch", "Ada Lift", "Ben Bend"]


def test_trainers_paginate_with_total_count(gql, town):
    data = gql.data(TRAINERS, {"limit": 2, "offset": 1})["trainers"]
    assert data["totalCount"] == 3
    assert [i["name"] for i in data["items"]] == ["Ben Bend", "Cy Stretch"]
    assert data["hasNextPage"] is False


FACETS = """
query($filter: TrainerFilter, $near: TrainerNearInput) {
  trainers(filter: $filter, near: $near, limit: 1) {
    totalCount
    facets {
      specialties { slug name count }
      credentials { slug abbreviation count }
      cities { name state count }
    }
  }
}"""


def test_facets_count_trainers_for_the_current_filter(gql, town):
    facets = gql.data(FACETS)["trainers"]["facets"]
    assert facets["specialties"] == [
        {
            "slug": "strength-and-conditioning",
            "name": "Strength and conditioning",
            "count": 2,
        },
        {"slug": "post-rehab", "name": "Post-rehab", "count": 1},
    ]
    assert {c["slug"]: c["count"] for c in facets["credentials"]} == {
        "nsca-cscs": 1,
        "nasm-cpt": 1,
    }
    assert {c["name"]: c["count"] for c in facets["cities"]} == {
        "Madison": 1,
        "Milwaukee": 1,
        "Green Bay": 1,
    }
    filtered = gql.data(FACETS, {"filter": {"city": "Milwaukee"}})["trainers"]
    assert [c["name"] for c in filtered["facets"]["cities"]] == ["Milwaukee"]
    near = {"latitude": 43.0389, "longitude": -87.9065, "radiusKm": 5}
    nearby = gql.data(FACETS, {"near": near})["trainers"]["facets"]
    assert [s["count"] for s in nearby["specialties"]] == [1, 1]


SINGLE = """
query($id: ID, $slug: String) {
  trainer(id: $id, slug: $slug) { id name slug }
}"""


def test_single_trainer_by_slug_and_by_id(gql, town):
    ada = town[0]
    by_slug = gql.data(SINGLE, {"slug": ada.slug})["trainer"]
    by_id = gql.data(SINGLE, {"id": str(ada.pk)})["trainer"]
    assert by_slug == by_id == {"id": str(ada.pk), "name": "Ada Lift", "slug": ada.slug}
    assert gql.data(SINGLE, {"slug": "nobody"})["trainer"] is None


def test_trainer_specialties_lists_the_vocabulary(gql, vocab):
    data = gql.data("{ trainerSpecialties { totalCount items { slug name } } }")
    assert [s["slug"] for s in data["trainerSpecialties"]["items"]] == [
        "post-rehab",
        "strength-and-conditioning",
    ]

import datetime

import pytest

from content.factories_trainers import (
    CredentialFactory,
    SpecialtyFactory,
    TrainerCredentialFactory,
    TrainerEducationFactory,
    TrainerProfilePageFactory,
    make_directory,
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


@pytest.fixture
def directory():
    return make_directory()


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

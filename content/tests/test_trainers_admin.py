import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from content.tests.support import make_directory
from content.trainers.factories import (
    CredentialFactory,
    SpecialtyFactory,
    TrainerCredentialFactory,
    TrainerProfilePageFactory,
)
from content.trainers.models import TrainerCredential

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile():
    return TrainerProfilePageFactory(parent=make_directory())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": 200}, "latitude"),
        ({"longitude": -500}, "longitude"),
        ({"latitude": 43.0, "longitude": None}, "longitude"),
        ({"booking_url": "not a url"}, "booking_url"),
        ({"website": "javascript alert"}, "website"),
        ({"email": "nobody"}, "email"),
        ({"state": "Wisconsin"}, "state"),
    ],
)
def test_profile_validation_rejects_bad_values(profile, changes, field):
    for name, value in changes.items():
        setattr(profile, name, value)
    with pytest.raises(ValidationError) as excinfo:
        profile.full_clean()
    assert field in excinfo.value.message_dict


def test_a_credential_must_expire_after_it_was_issued(profile):
    held = TrainerCredential(
        page=profile,
        credential=CredentialFactory(abbreviation="PT"),
        issued_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        held.full_clean()
    assert "expires_on" in excinfo.value.message_dict


def test_admin_trainer_listing_filters_by_specialty_credential_and_city(client):
    admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(admin)
    directory = make_directory()
    rehab = SpecialtyFactory(name="Post-rehab")
    cscs = CredentialFactory(abbreviation="NSCA-CSCS")
    ada = TrainerProfilePageFactory(parent=directory, title="Ada Lift")
    ada.specialties.set([rehab])
    ada.save()
    TrainerCredentialFactory(page=ada, credential=cscs)
    TrainerProfilePageFactory(parent=directory, title="Ben Bend", city="Milwaukee")

    url = "/admin/trainer_profiles/"
    assert client.get(url).status_code == 200
    by_specialty = client.get(url, {"specialty": rehab.pk}).content.decode()
    assert "Ada Lift" in by_specialty
    assert "Ben Bend" not in by_specialty
    by_credential = client.get(url, {"credential": cscs.pk}).content.decode()
    assert "Ada Lift" in by_credential
    assert "Ben Bend" not in by_credential
    by_city = client.get(url, {"city": "Milwaukee"}).content.decode()
    assert "Ben Bend" in by_city
    assert "Ada Lift" not in by_city


def test_editors_can_open_the_add_and_edit_forms(client):
    admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(admin)
    directory = make_directory()
    page = TrainerProfilePageFactory(parent=directory)
    add = f"/admin/pages/add/content/trainerprofilepage/{directory.pk}/"
    assert client.get(add).status_code == 200
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_editors_manage_specialties_as_snippets(client):
    admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(admin)
    SpecialtyFactory(name="Youth athletes")
    response = client.get("/admin/snippets/content/specialty/")
    assert response.status_code == 200
    assert "Youth athletes" in response.content.decode()

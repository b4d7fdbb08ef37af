"""Trainer admin pages answer an editor without a 500, even for bad input."""

import datetime
from io import StringIO

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.editorial import ensure_groups
from content.tests.support import make_directory
from content.tests.test_admin_no_server_errors import (
    BAD_DATES,
    check,
    page_urls,
    snippet_urls,
)
from content.trainers.factories import (
    CredentialFactory,
    SpecialtyFactory,
    TrainerCredentialFactory,
    TrainerProfilePageFactory,
    publish,
)
from content.trainers.models import TrainerProfilePage


@pytest.fixture
def trainer_objects(db):
    ensure_groups(StringIO())
    directory = make_directory()
    publish(directory)
    trainer = TrainerProfilePageFactory(parent=directory)
    publish(trainer)
    credential = CredentialFactory()
    TrainerCredentialFactory(page=trainer, credential=credential)
    return {
        "directory": directory,
        "trainer": trainer,
        "credential": credential,
        "specialty": SpecialtyFactory(),
    }


def test_every_trainer_admin_page_answers_an_editor(editor_client, trainer_objects):
    directory, trainer = trainer_objects["directory"], trainer_objects["trainer"]
    urls = page_urls(trainer, directory, "trainerprofilepage")
    urls += page_urls(directory, directory.get_parent(), "trainerdirectorypage")
    urls += snippet_urls(trainer_objects["specialty"])
    listing = reverse("trainer_profiles:index")
    urls += [
        listing,
        listing + "?q=coach&city=Madison&accepting_new_clients=true",
        listing + "?specialty=999999&credential=abc&accepting_new_clients=maybe",
    ]
    for url in urls:
        check(editor_client, "get", url)


def trainer_data(trainer_objects, **overrides):
    data = {
        "title": "Robin Lakeshore",
        "slug": "robin-lakeshore",
        "headline": "Strength coach",
        "bio": [],
        "credentials": [
            {
                "credential": trainer_objects["credential"].pk,
                "number": "N1",
                "issued_on": "2024-01-01",
                "expires_on": "2027-01-01",
            }
        ],
        "education": [],
        "offers_in_person": "on",
        "city": "Sheboygan",
        "state": "WI",
        "postal_code": "",
        "latitude": "",
        "longitude": "",
        "accepting_new_clients": "on",
        "booking_url": "",
        "email": "",
        "phone": "",
        "website": "",
        "languages": "English",
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    data["bio"] = streamfield(data["bio"])
    data["credentials"] = inline_formset(data["credentials"])
    data["education"] = inline_formset(data["education"])
    return nested_form_data(data)


def held(**overrides):
    return {
        "credential": "",
        "number": "",
        "issued_on": "",
        "expires_on": "",
        **overrides,
    }


def invalid_trainers(trainer_objects):
    credential = trainer_objects["credential"].pk
    yield {"title": "", "headline": "", "city": ""}
    yield {"latitude": "200", "longitude": "10"}
    yield {"latitude": "43.0"}
    yield {"latitude": "north", "longitude": "west"}
    yield {"state": "Wisconsin"}
    yield {"state": "W1"}
    yield {"booking_url": "not a url", "website": "ftp//x", "email": "nope"}
    yield {"credentials": [held(credential=999999)]}
    yield {
        "credentials": [
            held(credential=credential, issued_on="2026-01-01", expires_on="2025-01-01")
        ]
    }
    for date in BAD_DATES:
        yield {"credentials": [held(credential=credential, expires_on=date)]}
    yield {"education": [{"degree": "", "field": "", "institution": ""}]}
    yield {"specialties": ["999999"]}
    yield {"bio": [("quote", {"text": "", "attribution": ""})]}


def test_invalid_trainer_input_gives_form_errors_not_500s(
    editor_client, trainer_objects
):
    directory, trainer = trainer_objects["directory"], trainer_objects["trainer"]
    pages = "wagtailadmin_pages"
    urls = [
        reverse(f"{pages}:add", args=("content", "trainerprofilepage", directory.pk)),
        reverse(f"{pages}:edit", args=(trainer.pk,)),
        reverse(f"{pages}:preview_on_edit", args=(trainer.pk,)),
    ]
    for overrides in invalid_trainers(trainer_objects):
        for url in urls:
            check(
                editor_client, "post", url, trainer_data(trainer_objects, **overrides)
            )
    assert not TrainerProfilePage.objects.filter(live=True, slug="robin-lakeshore")


def test_an_expiry_before_the_issue_date_is_explained_in_plain_words(
    editor_client, trainer_objects
):
    directory = trainer_objects["directory"]
    url = reverse(
        "wagtailadmin_pages:add", args=("content", "trainerprofilepage", directory.pk)
    )
    bad = held(
        credential=trainer_objects["credential"].pk,
        issued_on="2026-01-01",
        expires_on="2025-01-01",
    )

    response = check(
        editor_client, "post", url, trainer_data(trainer_objects, credentials=[bad])
    )

    assert response.status_code == 200
    assert b"The expiry date must be after the issue date." in response.content


def test_the_dashboard_lists_credentials_expiring_within_30_days(
    editor_client, trainer_objects
):
    soon = datetime.date.today() + datetime.timedelta(days=10)
    later = datetime.date.today() + datetime.timedelta(days=90)
    TrainerCredentialFactory(
        page=trainer_objects["trainer"], number="SOON-1", expires_on=soon
    )
    TrainerCredentialFactory(
        page=trainer_objects["trainer"], number="LATER-1", expires_on=later
    )

    response = check(editor_client, "get", reverse("wagtailadmin_home"))

    assert b"Credentials expiring in the next 30 days" in response.content
    assert b"SOON-1" in response.content
    assert b"LATER-1" not in response.content

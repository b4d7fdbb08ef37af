"""Factories for the partner-trainer directory (tests and benchmarks)."""

import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from content.catalogue.models import Credential, Specialty
from content.trainers.models import (
    TrainerCredential,
    TrainerDirectoryPage,
    TrainerEducation,
    TrainerProfilePage,
)


class SpecialtyFactory(DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Specialty {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class CredentialFactory(DjangoModelFactory):
    class Meta:
        model = Credential
        django_get_or_create = ("slug",)

    abbreviation = factory.Sequence(lambda n: f"CRED-{n}")
    slug = factory.LazyAttribute(lambda o: o.abbreviation.lower().replace("/", "-"))
    full_name = factory.LazyAttribute(lambda o: f"{o.abbreviation} certification")
    issuing_body = "Fictional Certification Board"


class TrainerDirectoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TrainerDirectoryPage

    title = "Partner trainers"
    slug = "trainers"


class TrainerProfilePageFactory(wagtail_factories.PageFactory):
    """A live profile. Pass ``parent=`` a directory page."""

    class Meta:
        model = TrainerProfilePage

    title = factory.Sequence(lambda n: f"Trainer {n}")
    slug = factory.Sequence(lambda n: f"trainer-{n}")
    headline = "Fictional demo profile"
    city = "Madison"
    state = "WI"
    postal_code = "53703"
    latitude = 43.0731
    longitude = -89.4012
    email = factory.LazyAttribute(lambda o: f"{o.slug}@example.com")


class TrainerCredentialFactory(DjangoModelFactory):
    class Meta:
        model = TrainerCredential

    page = factory.SubFactory(TrainerProfilePageFactory)
    credential = factory.SubFactory(CredentialFactory)
    number = factory.Sequence(lambda n: f"N{n:06d}")
    issued_on = datetime.date(2020, 1, 1)
    expires_on = None


class TrainerEducationFactory(DjangoModelFactory):
    class Meta:
        model = TrainerEducation

    page = factory.SubFactory(TrainerProfilePageFactory)
    degree = "BS"
    field = "Kinesiology"
    institution = "University of Wisconsin-Madison"


def publish(page):
    """Publish the page's current state through a revision (fires signals)."""
    page.save_revision().publish()
    return page

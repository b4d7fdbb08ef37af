"""Renditions are made on upload and by command, never by an API request."""

import io

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.renditions import allowed_filters, existing_rendition


@pytest.fixture
def image(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return get_image_model().objects.create(
            title="Test", file=get_test_image_file(size=(640, 480))
        )


def test_upload_makes_every_allowlisted_rendition(image):
    for spec in allowed_filters():
        assert existing_rendition(image, spec) is not None, spec


def test_make_renditions_command_is_idempotent_and_shows_progress(image):
    image.renditions.all().delete()
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "1/1" in out.getvalue()
    count = image.renditions.count()
    assert count == len(allowed_filters())
    call_command("make_renditions", stdout=io.StringIO())
    assert image.renditions.count() == count


def test_a_missing_rendition_is_not_made_during_a_lookup(image):
    image.renditions.all().delete()
    assert existing_rendition(image, "width-400") is None
    assert image.renditions.count() == 0

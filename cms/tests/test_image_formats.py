"""pillow-heif is not loaded unless HEIC uploads are accepted; the image
formats that are accepted still upload and render."""

import io
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.images.models import Filter

from cms.image_formats import heif_accepted, skip_heif_unless_accepted
from cms.tests.production_support import run_production_python


def test_production_web_worker_does_not_load_pillow_heif():
    code = (
        "import sys, cms.wsgi; import willow\n"
        "print(sys.modules.get('pillow_heif', 'absent'), 'PIL.Image' in sys.modules)"
    )
    out = run_production_python(code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "None True"


def test_accepting_heic_loads_it_as_before(monkeypatch):
    monkeypatch.delitem(sys.modules, "pillow_heif", raising=False)
    assert not heif_accepted()
    with override_settings(WAGTAILIMAGES_EXTENSIONS=["jpg", "png", "HEIC"]):
        assert heif_accepted()
        skip_heif_unless_accepted()
        assert "pillow_heif" not in sys.modules
    skip_heif_unless_accepted()
    assert sys.modules["pillow_heif"] is None


def _file(fmt: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (200, 40, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "name"), [("AVIF", "a.avif"), ("WEBP", "w.webp"), ("PNG", "p.png")]
)
def test_accepted_formats_upload_and_render(fmt, name):
    form_class = get_image_form(get_image_model())
    form = form_class({"title": name}, {"file": _file(fmt, name)}, user=None)
    assert form.is_valid(), form.errors
    image = form.save()
    assert (image.width, image.height) == (64, 48)
    rendition = image.get_rendition(Filter("fill-32x32|format-webp"))
    assert (rendition.width, rendition.height) == (32, 32)


@pytest.mark.django_db
def test_heic_is_still_refused():
    form_class = get_image_form(get_image_model())
    upload = SimpleUploadedFile("photo.heic", b"\x00\x00\x00\x18ftypheic" + b"0" * 64)
    form = form_class({"title": "photo"}, {"file": upload}, user=None)
    assert not form.is_valid()
    assert "file" in form.errors

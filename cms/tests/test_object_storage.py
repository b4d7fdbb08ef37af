"""Media on S3-compatible object storage, end to end against moto_server.

Upload in the admin -> a renditions job queued in the database (the
production task backend, django-tasks-db) -> the worker's real job loop makes
the renditions -> their URLs in GraphQL -> the files fetched from the server.
Documents: a redirect to a signed URL that expires, after Wagtail's
collection privacy check.
"""

import io
import json
import tarfile
import urllib.error
import urllib.request
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.backup import create_backup, restore_backup
from cms.renditions import allowed_filters
from cms.tests.production_support import run_production_python
from cms.tests.s3_support import create_bucket, object_keys, use_bucket
from cms.tests.test_preview_graphql import publish
from cms.tests.test_settings_defaults import PRODUCTION_ENV, settings_of
from content.articles.factories import ArticlePageFactory, BlogIndexPageFactory
from home.demo import load_site
from worker.tests.helpers import DATABASE_TASKS, queued, run_worker_until_idle

pytestmark = pytest.mark.django_db

HERO = """query Hero($slug: String!) {
  article(slug: $slug) {
    heroImage {
      card: rendition(filter: "fill-800x450") { url width height }
      social: rendition(filter: "fill-1200x630") { url width height }
      wide: rendition(filter: "width-1600") { url width height }
    }
  }
}"""


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def upload_image(client, title: str, content: bytes):
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(f"{title}.png", content, "image/png"),
            "collection": Collection.get_first_root_node().id,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return get_image_model().objects.get(title=title)


def upload_document(client, title: str, content: bytes, collection):
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(f"{title}.pdf", content, "application/pdf"),
            "collection": collection.id,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return get_document_model().objects.get(title=title)


RENDITIONS_TASK = "cms.renditions.make_renditions_task"


def test_the_worker_makes_an_uploaded_images_renditions_on_object_storage(
    admin_client, client, settings, s3_storage, s3_server
):
    settings.TASKS = DATABASE_TASKS
    image = upload_image(admin_client, "hero", png(1600, 1000))

    assert image.file.name == "original_images/hero.png"
    # The upload queued the job; the editor's request rendered nothing.
    assert queued(RENDITIONS_TASK) == 1
    assert not image.renditions.exists()
    assert object_keys(s3_server, s3_storage) == [image.file.name]

    run_worker_until_idle()

    assert queued() == {}
    renditions = list(image.renditions.all())
    assert len(renditions) == len(allowed_filters())
    # The original and every rendition are objects in the bucket, nothing else.
    assert object_keys(s3_server, s3_storage) == sorted(
        [image.file.name, *(r.file.name for r in renditions)]
    )

    blog = BlogIndexPageFactory(parent=load_site(StringIO()))
    publish(ArticlePageFactory(parent=blog, slug="on-s3", hero_image=image))
    response = client.post(
        "/graphql/",
        json.dumps({"query": HERO, "variables": {"slug": "on-s3"}}),
        content_type="application/json",
    )
    hero = response.json()["data"]["article"]["heroImage"]
    bucket_url = f"{s3_server.endpoint}/{s3_storage}/images/"
    sizes = {"card": (800, 450), "social": (1200, 630), "wide": (1600, 1000)}
    for name, size in sizes.items():
        url = hero[name]["url"]
        assert url.startswith(bucket_url), url
        assert "Signature" not in url
        status, body = fetch(url)
        assert status == 200
        assert PILImage.open(io.BytesIO(body)).size == size
        assert (hero[name]["width"], hero[name]["height"]) == size


def test_a_private_document_is_served_by_a_signed_url_after_the_privacy_check(
    admin_client, s3_storage, s3_server, settings
):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    content = b"%PDF-1.4 staff handbook"
    document = upload_document(admin_client, "handbook", content, private)
    assert object_keys(s3_server, s3_storage) == [document.file.name]
    serve_url = document.url
    assert serve_url == f"/documents/{document.id}/{document.filename}"

    # Anonymous: Wagtail's privacy check answers, the storage is not reached.
    anonymous = Client().get(serve_url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/_util/login/?next={serve_url}"
    # Nor is the object itself readable without a signature.
    plain = f"{s3_server.endpoint}/{s3_storage}/{document.file.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(plain)
    assert refused.value.code == 403

    signed = admin_client.get(serve_url)
    assert signed.status_code == 302
    assert signed["Cache-Control"] == "private, no-store"
    location = signed["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == s3_server.endpoint
    assert parts.path == f"/{s3_storage}/{document.file.name}"
    query = parse_qs(parts.query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["response-content-disposition"] == [document.content_disposition]
    assert fetch(location) == (200, content)

    settings.DOCUMENT_URL_TTL_SECONDS = 15
    shorter = admin_client.get(serve_url)
    assert parse_qs(urlsplit(shorter["Location"]).query)["X-Amz-Expires"] == ["15"]


def test_a_public_document_is_served_by_a_signed_url_too(client, s3_storage, s3_server):
    document = get_document_model().objects.create(
        title="leaflet",
        file=SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 leaflet"),
    )
    response = client.get(document.url)
    assert response.status_code == 302, response
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["60"]
    assert fetch(response["Location"]) == (200, b"%PDF-1.4 leaflet")


def test_documents_on_the_file_system_are_served_as_before(client, db):
    document = get_document_model().objects.create(
        title="local",
        file=SimpleUploadedFile("local.pdf", b"%PDF-1.4 local"),
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 local"


# restore empties every table (TRUNCATE on PostgreSQL): not inside a test's
# transaction.
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_cover_the_bucket(
    admin_client,
    settings,
    s3_storage,
    s3_server,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        image = upload_image(admin_client, "backed-up", png(640, 480))
    root = Collection.get_first_root_node()
    document = upload_document(admin_client, "notes", b"%PDF-1.4 notes", root)
    keys = object_keys(s3_server, s3_storage)
    assert len(keys) == 2 + len(allowed_filters())
    client = s3_server.client()
    originals = {
        key: client.get_object(Bucket=s3_storage, Key=key)["Body"].read()
        for key in keys
    }

    summary = create_backup(tmp_path / "backup.tar.gz")
    assert summary["media_files"] == len(keys)
    with tarfile.open(tmp_path / "backup.tar.gz") as archive:
        members = sorted(m.name for m in archive.getmembers() if m.isfile())
        assert members == sorted(
            ["manifest.json", "data.json", *(f"media/{key}" for key in keys)]
        )
        assert archive.extractfile(f"media/{document.file.name}").read() == (
            b"%PDF-1.4 notes"
        )

    # Restore into another, empty bucket.
    empty = f"{s3_storage}-restore"
    create_bucket(s3_server, empty)
    use_bucket(settings, s3_server, empty)
    restore_backup(tmp_path / "backup.tar.gz")
    assert object_keys(s3_server, empty) == keys
    for key, body in originals.items():
        assert client.get_object(Bucket=empty, Key=key)["Body"].read() == body
    restored = get_image_model().objects.get(pk=image.pk)
    assert restored.file.name == image.file.name
    status, body = fetch(restored.file.url)
    assert (status, body) == (200, originals[image.file.name])


def test_the_bucket_variable_switches_media_to_object_storage():
    names = (
        "STORAGES",
        "AWS_S3_FILE_OVERWRITE",
        "AWS_S3_SIGNATURE_VERSION",
        "AWS_QUERYSTRING_AUTH",
        "AWS_S3_ADDRESSING_STYLE",
        "DOCUMENT_URL_TTL_SECONDS",
    )
    env = {
        **PRODUCTION_ENV,
        "AWS_STORAGE_BUCKET_NAME": "clinic-media",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }
    configured = settings_of("cms.settings.production", *names, **env)
    assert configured["STORAGES"]["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage"
    }
    assert configured["AWS_S3_FILE_OVERWRITE"] is False
    assert configured["AWS_S3_SIGNATURE_VERSION"] == "s3v4"
    assert configured["AWS_QUERYSTRING_AUTH"] is False
    assert configured["AWS_S3_ADDRESSING_STYLE"] == "path"
    assert configured["DOCUMENT_URL_TTL_SECONDS"] == 60


def test_without_object_storage_no_worker_imports_boto3():
    """boto3 and botocore weigh tens of MB per web worker: only an S3
    configuration loads them."""
    code = (
        "import django, sys; django.setup();"
        "from django.test import Client; Client().get('/bench/hello');"
        "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    )
    out = run_production_python(code, AWS_STORAGE_BUCKET_NAME=None)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"

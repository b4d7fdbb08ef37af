"""An editor's request queues the heavy work; the worker does it."""

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import ReferenceIndex
from wagtail.test.utils.form_data import rich_text

from worker.tests.helpers import (
    DATABASE_TASKS,
    article_form,
    queued,
    run_worker_until_idle,
)

SEARCH = "modelsearch.tasks.insert_or_update_object_task"
REFERENCES = "wagtail.tasks.update_reference_index_task"
RENDITIONS = "cms.renditions.make_renditions_task"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def indexed_titles(page):
    """The words of the title in the search index: a plain column on SQLite,
    a tsvector (``'knee':1C 'pain':2C``) on PostgreSQL."""
    entry = apps.get_model("wagtailsearch", "IndexEntry")
    titles = entry.objects.filter(
        content_type=ContentType.objects.get_for_model(page.specific_class),
        object_id=str(page.pk),
    ).values_list("title", flat=True)
    return [sorted(re.findall(r"[a-z]{2,}", str(title).lower())) for title in titles]


def references(page):
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(
            apps.get_model("wagtailcore.Page")
        ),
        object_id=str(page.pk),
    ).count()


def test_publishing_in_the_admin_queues_indexing_instead_of_doing_it(
    admin_client,
    blog,
):
    article = apps.get_model("content.ArticlePage")(title="Draft", slug="draft")
    blog.add_child(instance=article)
    link = f'<p><a linktype="page" id="{blog.pk}">the blog</a></p>'
    form = article_form(
        title="Knee pain",
        slug="knee-pain",
        body=[("paragraph", rich_text(link))],
        **{"action-publish": "action-publish"},
    )
    run_worker_until_idle()
    assert (indexed_titles(article), references(article)) == ([["draft"]], 0)

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)), form
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live is True
    # Done inside the request: nothing. Queued: the index updates.
    assert (indexed_titles(article), references(article)) == ([["draft"]], 0)
    assert queued() == {SEARCH: 2, REFERENCES: 3}

    run_worker_until_idle()

    assert (indexed_titles(article), references(article)) == ([["knee", "pain"]], 2)


def test_uploading_an_image_queues_its_renditions(admin_client, settings):
    image_file = get_test_image_file(size=(640, 480))
    png = SimpleUploadedFile("knee.png", image_file.file.getvalue(), "image/png")
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Knee", "file": png, "tags": ""},
    )

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Knee")
    assert image.renditions.count() == 0
    assert queued(RENDITIONS) == 1

    run_worker_until_idle()

    assert image.renditions.count() == len(settings.GRAPPLE["ALLOWED_IMAGE_FILTERS"])

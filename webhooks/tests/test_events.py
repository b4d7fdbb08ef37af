"""Which changes become which events, filtered per endpoint."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone
from wagtail.models import Site

from webhooks.models import WebhookEvent
from webhooks.tests.conftest import bodies

pytestmark = pytest.mark.django_db(transaction=True)


def types(receiver) -> list[str]:
    return [body["type"] for body in bodies(receiver)]


def test_unpublish_move_and_delete_of_an_article(
    receiver, make_endpoint, make_article, home, blog
):
    make_endpoint(receiver.url_for("/hook"))
    article = make_article(slug="knees")
    article.unpublish()
    article.save_revision().publish()
    archive = apps.get_model("content.BlogIndexPage")(title="Archive", slug="archive")
    home.add_child(instance=archive)
    article.move(archive, pos="last-child")
    apps.get_model("content.ArticlePage").objects.get(pk=article.pk).delete()

    assert types(receiver) == [
        "article.published",
        "article.unpublished",
        "article.published",
        "article.moved",
        "article.unpublished",  # Wagtail unpublishes a page it deletes
        "article.deleted",
    ]
    moved = bodies(receiver)[3]["data"]
    assert (moved["url"], moved["slug"]) == (
        "http://localhost:3000/archive/knees/",
        "knees",
    )


def test_trainers_also_announce_one_directory_change_per_transaction(
    receiver, make_endpoint, make_trainer, directory
):
    make_endpoint(receiver.url_for("/hook"))

    trainer = make_trainer(slug="ana")

    assert types(receiver) == ["trainer.published", "trainerDirectory.changed"]
    changed = bodies(receiver)[1]["data"]
    assert (changed["id"], changed["contentType"], changed["cacheTags"]) == (
        str(directory.pk),
        "trainerDirectory",
        ["trainerDirectory"],
    )
    assert bodies(receiver)[0]["data"]["cacheTags"] == [
        "trainer",
        f"trainer:{trainer.pk}",
        "trainerDirectory",
    ]


def test_a_comparison_table_and_the_settings(receiver, make_endpoint, home):
    settings_model = apps.get_model("home.OrganisationSettings")
    organisation = settings_model.for_site(Site.objects.get(is_default_site=True))
    make_endpoint(receiver.url_for("/hook"))
    table = apps.get_model("content.ComparisonTable")(
        title="PT vs trainers",
        slug="pt-vs-trainers",
        jurisdiction="Wisconsin",
        live=False,
    )
    table.save()
    table.save_revision().publish()
    organisation.save()

    assert types(receiver) == ["table.published", "settings.published"]
    table_data = bodies(receiver)[0]["data"]
    assert (table_data["url"], table_data["revision"]) == (
        "http://localhost:3000/compare/pt-vs-trainers/",
        apps.get_model("content.ComparisonTable").objects.get().live_revision_id,
    )


def test_endpoints_get_only_their_events_and_content_types(
    httpserver, make_endpoint, make_article, make_trainer
):
    for path in ("/articles", "/trainers", "/unpublished"):
        httpserver.expect_request(path, method="POST").respond_with_data("")
    make_endpoint(httpserver.url_for("/articles"), content_types=["article"])
    make_endpoint(
        httpserver.url_for("/trainers"),
        events=["trainer.published", "article.published"],
        content_types=["trainer"],
    )
    make_endpoint(httpserver.url_for("/unpublished"), events=["article.unpublished"])
    make_endpoint(httpserver.url_for("/inactive"), active=False)

    make_article()
    make_trainer()

    got = sorted(
        (request.path, request.get_json()["type"]) for request, _ in httpserver.log
    )
    assert got == [
        ("/articles", "article.published"),
        ("/trainers", "trainer.published"),
    ]


def test_scheduling_a_go_live_announces_nothing_yet(
    receiver, make_endpoint, make_article
):
    make_endpoint(receiver.url_for("/hook"))
    article = make_article(publish=False)
    article.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    article.save_revision().publish()

    assert types(receiver) == []
    assert WebhookEvent.objects.count() == 0


def test_a_draft_never_published_is_deleted_silently(
    receiver, make_endpoint, make_article
):
    make_endpoint(receiver.url_for("/hook"))
    make_article(publish=False).delete()

    assert types(receiver) == []

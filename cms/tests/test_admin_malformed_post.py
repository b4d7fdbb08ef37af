"""Hand-crafted admin posts missing form bookkeeping get a 400, never a 500.

Wagtail's admin JavaScript always sends a StreamField's ``body-count`` and each
block's ``-type`` / ``-order`` / ``-deleted`` keys. A post without them made
Wagtail raise ``MultiValueDictKeyError`` (or ``ValueError`` for a count that is
not a number) inside ``form.is_valid()``: a 500 for the editor.
``cms.middleware.MalformedAdminPostMiddleware`` answers those with a plain 400;
these tests check the answer, that nothing was saved, that the same post with
the keys still saves, and that every other exception is still a 500.
"""

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import include, path, reverse
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.pages.edit import EditView
from wagtail.blocks import CharBlock, StreamBlock
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.middleware import MESSAGE
from content.models import ArticlePage, Author, ComparisonTable
from content.tests.test_admin_no_server_errors import article_data, table_data
from content.tests.test_admin_trainers_no_server_errors import trainer_data
from content.trainers.models import TrainerProfilePage
from home.models import HomePage

# Used as the URLconf by the tests marked ``urls(__name__)`` below: the same
# form-reading crash under and outside the admin prefix.


def _reads_a_stream_from_the_request(request):
    data = request.POST if request.method == "POST" else request.GET
    StreamBlock([("text", CharBlock())]).value_from_datadict(data, {}, "body")
    raise AssertionError("value_from_datadict should have raised")


urlpatterns = [
    path("admin/reads-a-stream/", _reads_a_stream_from_the_request),
    path("elsewhere/reads-a-stream/", _reads_a_stream_from_the_request),
    path("admin/", include(wagtailadmin_urls)),
]


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=StringIO())
    article = ArticlePage.objects.get(slug="physical-therapy-or-personal-training")
    return {
        "article": article,
        "blog": article.get_parent(),
        "home": HomePage.objects.get(),
        "trainer": TrainerProfilePage.objects.live().order_by("pk").first(),
        "table": ComparisonTable.objects.get(),
        "author": Author.objects.get(),
    }


def home_data(demo):
    home = demo["home"]
    data = {
        "title": home.title,
        "slug": home.slug,
        "hero_heading": "A new hero heading",
        "hero_text": "",
        "hero_image_alt": "",
        "featured_articles": inline_formset([{"article": demo["article"].pk}]),
        "featured_trainers": inline_formset([]),
        "call_to_action": streamfield([]),
        "seo_title": "",
        "search_description": "",
    }
    return nested_form_data(data)


def targets(demo):
    """(label, URL, a complete and valid post, the object it changes)."""
    article, trainer = demo["article"], demo["trainer"]
    pages = "wagtailadmin_pages"
    return [
        (
            "article edit",
            reverse(f"{pages}:edit", args=(article.pk,)),
            article_data(demo, title=article.title, slug=article.slug),
            article,
        ),
        (
            "article create",
            reverse(f"{pages}:add", args=("content", "articlepage", demo["blog"].pk)),
            article_data(demo, slug="a-crafted-article"),
            None,
        ),
        (
            "home edit",
            reverse(f"{pages}:edit", args=(demo["home"].pk,)),
            home_data(demo),
            demo["home"],
        ),
        (
            "trainer edit",
            reverse(f"{pages}:edit", args=(trainer.pk,)),
            trainer_data(
                {"credential": trainer.credentials.first().credential},
                title=trainer.title,
                slug=trainer.slug,
            ),
            trainer,
        ),
        (
            "comparison table edit",
            reverse(
                "wagtailsnippets_content_comparisontable:edit", args=(demo["table"].pk,)
            ),
            table_data(slug=demo["table"].slug),
            demo["table"],
        ),
    ]


def malformed(data):
    """Ways to post a valid form without its bookkeeping keys."""
    counts = [key for key in data if key.endswith("-count")]
    management = [key for key in data if key.endswith("_FORMS")]
    top_count = next(key for key in counts if key.count("-") == 1)
    stream = top_count.removesuffix("-count")
    yield "no -count keys", {k: v for k, v in data.items() if k not in counts}
    yield (
        "no -count or management keys",
        {k: v for k, v in data.items() if k not in counts + management},
    )
    yield f"no {top_count}", {k: v for k, v in data.items() if k != top_count}
    yield f"{top_count}=many", {**data, top_count: "many"}
    if f"{stream}-0-type" in data:
        yield (
            f"no {stream}-0-type",
            {k: v for k, v in data.items() if k != f"{stream}-0-type"},
        )
        yield f"{stream}-0-order=first", {**data, f"{stream}-0-order": "first"}
    yield "empty post", {}


def state(obj):
    """Everything a refused post must leave alone."""
    counts = (
        Revision.objects.count(),
        Page.objects.count(),
        ComparisonTable.objects.count(),
    )
    if obj is None:
        return counts
    return counts, type(obj).objects.get(pk=obj.pk).serializable_data()


def test_malformed_posts_are_refused_with_400_and_change_nothing(
    admin_client, demo, caplog
):
    caplog.set_level(logging.WARNING, logger="cms.admin")
    for label, url, data, obj in targets(demo):
        before = state(obj)
        for case, body in malformed(data):
            caplog.clear()

            response = admin_client.post(url, body)

            where = f"{label}, {case}"
            assert response.status_code == 400, where
            assert response["Content-Type"] == "text/plain; charset=utf-8", where
            assert response.content.decode() == MESSAGE, where
            assert state(obj) == before, where
            [record] = [r for r in caplog.records if r.name == "cms.admin"]
            assert record.levelno == logging.WARNING, where
            assert url in record.getMessage(), where
        assert not ArticlePage.objects.filter(slug="a-crafted-article").exists()


def test_the_same_posts_with_their_bookkeeping_keys_still_save(admin_client, demo):
    for label, url, data, _ in targets(demo):
        revisions = Revision.objects.count()

        response = admin_client.post(url, data)

        assert response.status_code == 302, label
        assert Revision.objects.count() == revisions + 1, label
    assert ArticlePage.objects.filter(slug="a-crafted-article").exists()
    home = HomePage.objects.get()
    assert home.get_latest_revision_as_object().hero_heading == "A new hero heading"


def test_missing_inline_management_fields_give_the_form_back(admin_client, demo):
    # Django reports these itself (no exception), so the guard stays out of it.
    label, url, data, article = targets(demo)[0]
    body = {k: v for k, v in data.items() if not k.startswith("article_authors-")}
    before = state(article)

    response = admin_client.post(url, body)

    assert response.status_code == 200
    assert b"ManagementForm data is missing or has been tampered with" in (
        response.content
    )
    assert state(article) == before


@pytest.fixture
def quiet_client(admin_client):
    """Gives the 500 response instead of re-raising the view's exception."""
    admin_client.raise_request_exception = False
    return admin_client


@pytest.fixture
def edit_url(db):
    """Any page's edit URL: the view is replaced, the content does not matter."""
    return reverse("wagtailadmin_pages:edit", args=(Page.objects.get(depth=2).pk,))


def test_an_unrelated_exception_in_an_admin_view_is_still_a_500(
    quiet_client, edit_url, monkeypatch, caplog
):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a genuine bug")

    monkeypatch.setattr(EditView, "post", broken)
    caplog.set_level(logging.ERROR, logger="django.request")

    response = quiet_client.post(edit_url, {"title": "x"})

    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[0] is RuntimeError
    assert not [r for r in caplog.records if r.name == "cms.admin"]


@pytest.mark.parametrize(
    "bug",
    [
        pytest.param(lambda request: request.POST["no-such-field"], id="view-lookup"),
        pytest.param(lambda request: int("not a number"), id="view-int"),
    ],
)
def test_the_same_exception_types_raised_by_the_view_itself_are_still_500s(
    quiet_client, edit_url, monkeypatch, bug
):
    # Same types as Wagtail's form-reading crash, but not raised while Wagtail
    # reads the form: a bug, not bad input.
    monkeypatch.setattr(EditView, "post", lambda self, request, *a, **k: bug(request))

    assert quiet_client.post(edit_url, {"title": "x"}).status_code == 500


@pytest.mark.urls(__name__)
def test_the_guard_covers_only_posts_under_the_admin_prefix(quiet_client):
    assert quiet_client.post("/admin/reads-a-stream/", {}).status_code == 400
    assert quiet_client.get("/admin/reads-a-stream/").status_code == 500
    assert quiet_client.post("/elsewhere/reads-a-stream/", {}).status_code == 500

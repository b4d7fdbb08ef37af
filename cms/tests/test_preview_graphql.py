"""Draft preview end to end: admin preview -> signed token -> /graphql/.

The admin's preview opens the frontend with a token; the frontend sends it in
``X-Preview-Token`` with the page queries it already uses, and gets the draft.
"""

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cms.preview import create_preview_token
from content.articles.factories import (
    ArticlePageFactory,
    AuthorFactory,
)
from content.models import ArticlePage, ComparisonTable
from content.tables.factories import ComparisonTableFactory
from content.tests.test_admin import article_form, table_form
from frontend_contract.tools import load_operations, shape_of
from home.models import HomePage

FRONTEND = "https://frontend.example.org"
ARTICLE = "query ArticleDetail($slug: String!) { article(slug: $slug) { title } }"
TABLE = """query ComparisonTable($slug: String!) {
  comparisonTable(slug: $slug) { title rows { criterion cells { text } } }
}"""
HOME = "query HomePage { homePage { title heroHeading } }"


@pytest.fixture(autouse=True)
def _frontend(settings):
    settings.FRONTEND_BASE_URL = FRONTEND


def publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def article(blog):
    return publish(ArticlePageFactory(parent=blog, title="Live title", slug="a"))


@pytest.fixture
def other_article(blog):
    return publish(ArticlePageFactory(parent=blog, title="Other live", slug="b"))


def draft_token(page, **changes):
    """A token for an edited, unsaved copy of ``page`` (what the admin sends)."""
    draft = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(draft, name, value)
    return create_preview_token(draft)


def token_from(response) -> str:
    """The token in the frontend link of an admin preview response."""
    html = response.content.decode()
    match = re.search(r'id="preview-link" href="([^"]+)"', html)
    assert match, html[:2000]
    url = match.group(1).replace("&amp;", "&")
    assert url.startswith(f"{FRONTEND}/preview?"), url
    return parse_qs(urlsplit(url).query)["token"][0]


def preview(gql, query, variables, token):
    return gql.post(query, variables, HTTP_X_PREVIEW_TOKEN=token)


# --- the draft is visible with a token, and only with one -------------------


def test_a_valid_token_shows_the_draft_article_title(gql, article):
    token = draft_token(article, title="Draft title")

    response = preview(gql, ARTICLE, {"slug": "a"}, token)

    assert response.json() == {"data": {"article": {"title": "Draft title"}}}
    assert gql.data(ARTICLE, {"slug": "a"}) == {"article": {"title": "Live title"}}


def test_an_unpublished_new_article_is_previewed_by_its_slug(gql, blog):
    draft = ArticlePageFactory(parent=blog, title="Never live", slug="new", live=False)
    token = create_preview_token(draft)

    assert gql.data(ARTICLE, {"slug": "new"}) == {"article": None}
    body = preview(gql, ARTICLE, {"slug": "new"}, token).json()
    assert body == {"data": {"article": {"title": "Never live"}}}


def test_a_preview_response_is_never_cached(client, settings, article):
    settings.GRAPHQL_RESPONSE_CACHE = True
    token = draft_token(article, title="Draft title")
    params = {"query": ARTICLE, "variables": '{"slug": "a"}'}

    previewed = client.get("/graphql/", params, HTTP_X_PREVIEW_TOKEN=token)
    anonymous = client.get("/graphql/", params)

    assert previewed.json()["data"]["article"]["title"] == "Draft title"
    assert previewed["Cache-Control"] == "no-store"
    assert not previewed.has_header("ETag")
    assert anonymous.json()["data"]["article"]["title"] == "Live title"
    assert anonymous["Cache-Control"] == "public, max-age=60"


def test_a_table_draft_is_previewed_through_the_comparison_table_query(gql, db):
    table = ComparisonTableFactory(title="Live table", slug="t")
    token = draft_token(table, title="Draft table")

    body = preview(gql, TABLE, {"slug": "t"}, token).json()

    assert body["data"]["comparisonTable"]["title"] == "Draft table"
    live = gql.data(TABLE, {"slug": "t"})
    assert live["comparisonTable"]["title"] == "Live table"


def test_a_home_page_draft_is_previewed_through_the_home_page_query(gql, home):
    token = draft_token(home, hero_heading="Draft hero")

    body = preview(gql, HOME, None, token).json()

    assert body["data"]["homePage"]["heroHeading"] == "Draft hero"
    assert gql.data(HOME)["homePage"]["heroHeading"] != "Draft hero"


# --- every bad token gets the same answer -----------------------------------


def change_one_byte(token: str) -> str:
    middle = len(token) // 2
    if token[middle] == ":":
        middle += 1
    replacement = "A" if token[middle] != "A" else "B"
    return token[:middle] + replacement + token[middle + 1 :]


def test_bad_tokens_all_get_the_identical_error_body(
    gql, article, other_article, monkeypatch, settings
):
    good = draft_token(article, title="Draft title")
    assert preview(gql, ARTICLE, {"slug": "a"}, good).json()["data"]["article"]

    answers = {
        "one byte changed": preview(gql, ARTICLE, {"slug": "a"}, change_one_byte(good)),
        "token for page A used on page B": preview(gql, ARTICLE, {"slug": "b"}, good),
        "slug that does not exist": preview(gql, ARTICLE, {"slug": "nope"}, good),
        "forged": preview(gql, ARTICLE, {"slug": "a"}, "eyJzIjoxfQ:1abc:forged"),
    }
    settings.PREVIEW_TOKEN_TTL_SECONDS = 3600
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3601)
    answers["expired"] = preview(gql, ARTICLE, {"slug": "a"}, good)

    expected = {
        "errors": [
            {
                "message": "The preview token is invalid or has expired.",
                "locations": [{"line": 1, "column": 39}],
                "path": ["article"],
                "extensions": {"code": "INVALID_PREVIEW_TOKEN"},
            }
        ],
        "data": {"article": None},
    }
    for case, response in answers.items():
        assert response.status_code == 200, case
        assert response.json() == expected, case
        assert response["Cache-Control"] == "no-store", case


def test_an_article_token_is_refused_for_a_table_with_the_same_slug(gql, article):
    ComparisonTableFactory(slug="a")
    token = draft_token(article, title="Draft title")

    codes = gql.error_codes(TABLE, {"slug": "a"}, HTTP_X_PREVIEW_TOKEN=token)

    assert codes == ["INVALID_PREVIEW_TOKEN"]


def test_the_token_lifetime_is_configurable(gql, article, settings, monkeypatch):
    settings.PREVIEW_TOKEN_TTL_SECONDS = 60
    token = draft_token(article, title="Draft title")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)

    codes = gql.error_codes(ARTICLE, {"slug": "a"}, HTTP_X_PREVIEW_TOKEN=token)

    assert codes == ["INVALID_PREVIEW_TOKEN"]


# --- the admin's preview opens the frontend with a working token ------------


def test_admin_article_preview_opens_the_frontend_with_a_token_for_the_form_state(
    client, gql, editor, article
):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    form = article_form(ComparisonTableFactory(), AuthorFactory(), title="Form title")
    form["slug"] = "a"

    assert client.post(url, form).json()["is_valid"] is True
    token = token_from(client.get(url))
    client.logout()

    body = preview(gql, ARTICLE, {"slug": "a"}, token).json()
    assert body == {"data": {"article": {"title": "Form title"}}}
    assert ArticlePage.objects.get(pk=article.pk).title == "Live title"


def test_admin_view_draft_of_the_home_page_links_to_the_frontend(
    client, gql, editor, home
):
    home.hero_heading = "Saved draft hero"
    home.save_revision()
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=(home.pk,)))
    token = token_from(response)
    client.logout()

    body = preview(gql, HOME, None, token).json()
    assert body["data"]["homePage"]["heroHeading"] == "Saved draft hero"


def test_admin_table_preview_defaults_to_the_frontend_and_keeps_the_table_mode(
    client, gql, editor
):
    table = ComparisonTableFactory(title="Live table", slug="pt-vs-trainers")
    client.force_login(editor)
    url = reverse(
        "wagtailsnippets_content_comparisontable:preview_on_edit", args=(table.pk,)
    )
    form = table_form([("Ongoing Education", ["<p>Cell A</p>", "<p>Cell B</p>"])])
    assert client.post(url, form).json()["is_valid"] is True

    token = token_from(client.get(url))
    assert b"Cell A" in client.get(url, {"mode": "table"}).content
    client.logout()

    body = preview(gql, TABLE, {"slug": "pt-vs-trainers"}, token).json()
    table_data = body["data"]["comparisonTable"]
    assert table_data["title"] == "PT vs trainers"
    assert table_data["rows"][0]["criterion"] == "Ongoing Education"
    assert [c["text"] for c in table_data["rows"][0]["cells"]] == ["Cell A", "Cell B"]
    assert ComparisonTable.objects.get(pk=table.pk).title == "Live table"


def test_the_admin_preview_panel_offers_both_table_modes(db):
    assert ComparisonTable().preview_modes == [
        ("", "Frontend"),
        ("table", "Table only"),
    ]
    assert HomePage().default_preview_mode == ""


# --- the frontend's own operations return the draft, same shape --------------


PREVIEWABLE = {
    "ArticleDetail": (ArticlePage, "article", "title"),
    "ComparisonTable": (ComparisonTable, "comparisonTable", "title"),
    "HomePage": (HomePage, "homePage", "heroHeading"),
}


@pytest.mark.parametrize("name", sorted(PREVIEWABLE))
def test_the_frontend_operation_returns_the_draft_with_the_pinned_shape(
    gql, demo_content, name
):
    operation = {op.name: op for op in load_operations()}[name]
    model, root, field = PREVIEWABLE[name]
    variables = operation.example_variables
    obj = model.objects.get(**variables) if variables else model.objects.get()
    attribute = "hero_heading" if field == "heroHeading" else "title"
    token = draft_token(obj, **{attribute: "Draft only"})

    body = preview(gql, operation.text, variables, token).json()

    assert "errors" not in body, body
    assert body["data"][root][field] == "Draft only"
    pinned = json.loads(operation.shape_file.read_text())
    assert shape_of(body["data"]) == pinned
    assert gql.data(operation.text, variables)[root][field] != "Draft only"


def test_trainer_profile_draft_is_visible_only_with_its_token(gql, demo_content):
    from content.models import TrainerProfilePage

    trainer = TrainerProfilePage.objects.get(slug="maya-lindqvist")
    draft = TrainerProfilePage.objects.get(pk=trainer.pk)
    draft.headline = "Unpublished headline"
    token = create_preview_token(draft)
    query = """query {
      trainer(slug: "maya-lindqvist") { headline credentials { isCurrent } }
    }"""

    live = "Strength and conditioning coach in Madison — Fictional demo profile"
    credentials = [{"isCurrent": True}, {"isCurrent": True}]
    assert gql.data(query)["trainer"] == {
        "headline": live,
        "credentials": credentials,
    }
    previewed = gql.data(query, HTTP_X_PREVIEW_TOKEN=token)["trainer"]
    assert previewed == {
        "headline": "Unpublished headline",
        "credentials": credentials,
    }

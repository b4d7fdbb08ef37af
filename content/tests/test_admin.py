"""The admin flow: editors draft articles with tables; moderators publish."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cms.editorial import ensure_groups
from content.articles.factories import AuthorFactory
from content.models import ArticlePage, ComparisonTable
from content.tables.factories import ComparisonTableFactory


@pytest.fixture
def groups(db):
    ensure_groups(StringIO())


def user_in(group_name):
    user = User.objects.create_user(group_name.lower(), password="pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def moderator(groups):
    return user_in("Moderators")


def article_form(table, author, title="Admin article"):
    return nested_form_data(
        {
            "title": title,
            "slug": "admin-article",
            "subtitle": "Made in the admin",
            "summary": "",
            "hero_image_alt": "",
            "body": streamfield(
                [
                    ("heading", {"text": "Intro", "level": "h2"}),
                    ("paragraph", rich_text("<p>Hello from the admin.</p>")),
                    ("comparison_table", table.pk),
                ]
            ),
            "article_authors": inline_formset([{"author": author.pk}]),
            "tags": "admin",
            "published_date": "",
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
        }
    )


def test_editor_creates_and_edits_an_article_with_a_table(client, editor, blog):
    table, author = ComparisonTableFactory(), AuthorFactory()
    client.force_login(editor)
    add_url = reverse(
        "wagtailadmin_pages:add", args=("content", "articlepage", blog.pk)
    )

    response = client.post(add_url, article_form(table, author))

    assert response.status_code == 302, response.content[:2000]
    article = ArticlePage.objects.get(slug="admin-article")
    assert article.live is False
    draft = article.get_latest_revision_as_object()
    assert [b.block_type for b in draft.body] == [
        "heading",
        "paragraph",
        "comparison_table",
    ]
    assert draft.body[2].value == table

    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    response = client.post(edit_url, article_form(table, author, title="Edited"))
    assert response.status_code == 302, response.content[:3000]
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().title == "Edited"
    assert article.live is False


def test_editors_cannot_publish_or_delete_but_moderators_can(
    editor, moderator, make_article
):
    article = make_article()
    draft = make_article(live=False)

    for page in (article, draft):
        assert not page.permissions_for_user(editor).can_publish()
        assert page.permissions_for_user(moderator).can_publish()
        assert page.permissions_for_user(moderator).can_delete()
    assert not article.permissions_for_user(editor).can_delete()


def test_editor_delete_of_a_draft_is_refused(client, editor, make_article):
    draft = make_article(live=False)
    client.force_login(editor)

    client.post(reverse("wagtailadmin_pages:delete", args=(draft.pk,)))

    assert ArticlePage.objects.filter(pk=draft.pk).exists()


def table_form(rows):
    return nested_form_data(
        {
            "title": "PT vs trainers",
            "slug": "pt-vs-trainers",
            "intro": rich_text(""),
            "columns": streamfield(
                [("column", "Physical Therapists"), ("column", "Personal Trainers")]
            ),
            "rows": streamfield(
                [
                    (
                        "row",
                        {
                            "criterion": criterion,
                            "cells": streamfield(
                                [("item", rich_text(cell)) for cell in cells]
                            ),
                        },
                    )
                    for criterion, cells in rows
                ]
            ),
            "footnotes": rich_text(""),
            "jurisdiction": "Wisconsin",
            "sources": streamfield([]),
            "last_verified": "",
        }
    )


def test_saving_a_table_row_with_the_wrong_cell_count_is_a_form_error(client, editor):
    client.force_login(editor)
    url = reverse("wagtailsnippets_content_comparisontable:add")

    response = client.post(url, table_form([("Ongoing Education", ["<p>a</p>"])]))

    assert response.status_code == 200
    assert b"Row 1 has 1 cell(s) but the table has 2 column(s)" in response.content
    assert not ComparisonTable.objects.exists()


def test_editor_saves_a_draft_table_that_the_api_does_not_serve(client, editor, gql):
    client.force_login(editor)
    url = reverse("wagtailsnippets_content_comparisontable:add")

    response = client.post(
        url, table_form([("Ongoing Education", ["<p>a</p>", "<p>b</p>"])])
    )

    assert response.status_code == 302
    table = ComparisonTable.objects.get(slug="pt-vs-trainers")
    assert table.live is False
    client.logout()
    assert gql.data('{ comparisonTable(slug: "pt-vs-trainers") { title } }') == {
        "comparisonTable": None
    }


def test_editor_previews_a_table_before_publishing(client, editor):
    table = ComparisonTableFactory(title="Previewed table")
    client.force_login(editor)
    url = reverse(
        "wagtailsnippets_content_comparisontable:preview_on_edit", args=(table.pk,)
    )
    form = table_form([("Ongoing Education", ["<p>Cell A</p>", "<p>Cell B</p>"])])

    assert client.post(url, form).json()["is_valid"] is True
    # "table" renders in the admin; the default mode opens the frontend.
    response = client.get(url, {"mode": "table"})

    assert response.status_code == 200
    assert b"Cell A" in response.content
    assert b"Ongoing Education" in response.content

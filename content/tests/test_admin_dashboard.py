"""The dashboard's "Drafts awaiting review" panel."""

from io import StringIO

from django.urls import reverse

from content.articles.factories import ArticlePageFactory, BlogIndexPageFactory
from home.demo import load_site


def test_drafts_and_submissions_are_listed_for_review(client, editor):
    blog = BlogIndexPageFactory(parent=load_site(StringIO()))
    draft = ArticlePageFactory(parent=blog, live=False, title="Quiet draft")
    draft.save_revision(user=editor)
    submitted = ArticlePageFactory(parent=blog, live=False, title="Sent for review")
    submitted.save_revision(user=editor)
    submitted.get_workflow().start(submitted, editor)
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Drafts awaiting review" in html
    assert html.index("Sent for review") < html.index("Quiet draft")
    assert "Awaiting Moderators approval" in html
    assert "Draft, never published" in html


def test_the_panel_is_hidden_when_nothing_waits(client, editor):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert b"Drafts awaiting review" not in response.content

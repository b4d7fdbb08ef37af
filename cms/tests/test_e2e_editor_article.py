"""Browser flow: an editor drafts an article with a table; a moderator publishes."""

import io
import json
import re
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from cms.preview import HeadlessPreviewMixin
from content.models import ArticlePage, BlogIndexPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLE_TITLE = "Physical Therapists vs Personal Trainers"
PASSWORD = "pw-123456!"
ARTICLE_QUERY = """query ($slug: String!) {
  article(slug: $slug) { title body { __typename } }
}"""


def graphql(live_server, query, variables):
    request = urllib.request.Request(
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body
    return body["data"]


def member_of(group_name, username):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def add_block(page, name):
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=name, exact=True).click()


def test_editor_drafts_previews_and_submits_an_article_a_moderator_publishes(
    page, browser, live_server
):
    call_command("load_demo_content", stdout=io.StringIO())
    member_of("Editors", "editor")
    member_of("Moderators", "moderator")
    blog = BlogIndexPage.objects.get()

    log_in(page, live_server, "editor")
    page.steps.shot("editor-dashboard")
    page.goto(f"{live_server.url}/admin/pages/add/content/articlepage/{blog.pk}/")
    page.fill("#id_title", "Strength after surgery")
    page.steps.shot("new-article")
    add_block(page, "Heading")
    page.fill("[name='body-0-value-text']", "Start slowly")
    add_block(page, "Paragraph")
    paragraph = page.locator("[data-contentpath='body'] .DraftEditor-root").last
    paragraph.click()
    page.keyboard.type("Strength comes back in weeks, not days.")
    page.keyboard.press("Tab")
    add_block(page, "Comparison table")
    page.steps.shot("blocks-added")
    page.get_by_role("button", name="Choose comparison table").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("textbox").first.fill("Physical")
    modal.get_by_role("link", name=TABLE_TITLE).click()
    page.steps.shot("table-chooser")
    page.get_by_role("tab", name="Byline and tags").click()
    # The byline needs one author, so the form starts with one empty row.
    page.get_by_role("button", name="Choose author").first.click()
    modal.get_by_role("link", name="Dynamic Physical Therapy Team").click()
    page.steps.shot("byline")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    page.steps.shot("saved")
    article = ArticlePage.objects.get(slug="strength-after-surgery")
    assert not article.live
    assert graphql(live_server, ARTICLE_QUERY, {"slug": article.slug}) == {
        "article": None
    }

    with page.expect_response(
        lambda r: "/preview/" in r.url and r.request.method == "GET"
    ) as preview:
        page.get_by_role("button", name="Toggle preview").click()
    assert preview.value.status == 200
    frame = page.frame_locator("iframe#w-preview-iframe")
    if issubclass(ArticlePage, HeadlessPreviewMixin):
        # Headless preview: the panel shows the frontend with a signed token.
        link = frame.locator("#preview-link")
        expect(link).to_have_attribute(
            "href",
            re.compile(re.escape(settings.FRONTEND_BASE_URL) + r"/preview\?.*token="),
        )
    else:
        expect(frame.locator("h1")).to_have_text("Strength after surgery")
        expect(frame.locator("table")).to_contain_text("Ongoing Education")
    page.steps.shot("preview")

    page.locator(
        "footer .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    page.steps.shot("actions")
    page.get_by_role("button", name=re.compile("Submit to")).click()
    expect(page.locator(".messages")).to_contain_text("submitted for moderation")
    page.steps.shot("submitted")

    # A moderator, in a browser of their own, finds it on the dashboard.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        moderator = context.new_page()
        page.steps.page = moderator
        log_in(moderator, live_server, "moderator")
        panel = moderator.locator(
            "#drafts-awaiting-review-section, #drafts-awaiting-review"
        )
        expect(panel.first).to_contain_text("Awaiting Moderators approval")
        page.steps.shot("moderator-dashboard")
        panel.first.get_by_role("link", name="Strength after surgery").click()
        moderator.wait_for_url(f"**/admin/pages/{article.pk}/edit/")
        moderator.locator("footer [data-w-dropdown-target='toggle']").last.click()
        moderator.get_by_role("button", name="Approve and Publish").click()
        expect(moderator.locator(".messages")).to_contain_text("has been updated")
        page.steps.shot("approved-and-published")
    finally:
        page.steps.page = page
        context.close()

    # The next API request shows it.
    data = graphql(live_server, ARTICLE_QUERY, {"slug": article.slug})
    assert data["article"]["title"] == "Strength after surgery"
    assert [block["__typename"] for block in data["article"]["body"]] == [
        "BodyHeading",
        "BodyParagraph",
        "BodyComparisonTable",
    ]

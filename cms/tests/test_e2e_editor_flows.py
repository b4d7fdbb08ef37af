"""Browser flows: editors draft and submit, moderators publish, the API shows it.

1. An editor writes an article with a heading, a paragraph and a comparison
   table, saves a draft (the API does not show it), previews it and submits
   it; a moderator approves and publishes it; the next API request shows it.
2. An editor adds a trainer profile with a credential; once a moderator
   publishes it, the directory query lists it and its facets count it.

Screenshots of every step land in .artifacts/e2e/<test name>/.
"""

import datetime
import io
import json
import re
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cms.preview import HeadlessPreviewMixin
from content.models import ArticlePage, BlogIndexPage
from content.trainers.models import TrainerDirectoryPage, TrainerProfilePage

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


def submit_for_moderation(page):
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("Submit to")).click()
    expect(page.locator(".messages")).to_contain_text("submitted for moderation")


def approve_and_publish(page, browser, live_server, obj, title, *, check_panel=None):
    """A moderator, in a browser of their own, approves ``obj`` from the dashboard."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    try:
        moderator = context.new_page()
        page.steps.page = moderator
        log_in(moderator, live_server, "moderator")
        panel = moderator.locator("#drafts-awaiting-review-section")
        expect(panel).to_contain_text("Awaiting Moderators approval")
        if check_panel:
            check_panel(moderator)
        page.steps.shot("moderator-dashboard")
        panel.get_by_role("link", name=title).click()
        moderator.wait_for_url(f"**/admin/pages/{obj.pk}/edit/")
        moderator.locator("footer [data-w-dropdown-target='toggle']").last.click()
        moderator.get_by_role("button", name="Approve and Publish").click()
        expect(moderator.locator(".messages")).to_contain_text("has been updated")
        page.steps.shot("approved-and-published")
    finally:
        page.steps.page = page
        context.close()


def choose(page, button, link, *, search=None):
    """Pick ``link`` in the chooser modal that ``button`` opens.

    The chooser search re-renders its results while the typed query is still
    being answered, so a click can land on a result list that is then
    replaced; the modal then stays open and nothing is chosen. Wait until the
    modal has closed and the chosen title shows in the form, and click again
    if it did not close.
    """
    button.click()
    modal = page.locator(".modal-dialog")
    if search:
        modal.get_by_role("textbox").first.fill(search)
    for _attempt in range(3):
        modal.get_by_role("link", name=link).click()
        try:
            expect(modal).to_be_hidden(timeout=5_000)
            break
        except AssertionError:
            continue
    expect(modal).to_be_hidden()
    expect(page.locator("[data-chooser-title]", has_text=link).first).to_be_visible()


def add_block(page, name):
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=name, exact=True).click()


def test_editors_draft_and_submit_moderators_publish_and_the_api_shows_it(
    page, browser, live_server
):
    call_command("load_demo_content", stdout=io.StringIO())
    member_of("Editors", "editor")
    member_of("Moderators", "moderator")
    article_flow(page, browser, live_server)
    page.steps.page.goto("about:blank")
    page.context.clear_cookies()
    trainer_flow(page, browser, live_server)


def article_flow(page, browser, live_server):
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
    choose(
        page,
        page.get_by_role("button", name="Choose comparison table"),
        TABLE_TITLE,
        search="Physical",
    )
    page.steps.shot("table-chooser")
    page.get_by_role("tab", name="Byline and tags").click()
    # The byline needs one author, so the form starts with one empty row.
    choose(
        page,
        page.get_by_role("button", name="Choose author").first,
        "Dynamic Physical Therapy Team",
    )
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
    approve_and_publish(page, browser, live_server, article, "Strength after surgery")

    # The next API request shows it.
    data = graphql(live_server, ARTICLE_QUERY, {"slug": article.slug})
    assert data["article"]["title"] == "Strength after surgery"
    assert [block["__typename"] for block in data["article"]["body"]] == [
        "BodyHeading",
        "BodyParagraph",
        "BodyComparisonTable",
    ]


TRAINERS_QUERY = """query ($city: String) {
  trainers(filter: {city: $city}, limit: 50) {
    totalCount
    items { name credentials { credential { slug } } }
    facets { cities { name count } credentials { slug count } }
  }
}"""


def facet_count(facets, slug):
    return next((f["count"] for f in facets if f["slug"] == slug), 0)


def trainer_flow(page, browser, live_server):
    directory = TrainerDirectoryPage.objects.get()
    before = graphql(live_server, TRAINERS_QUERY, {"city": None})["trainers"]
    assert not [c for c in before["facets"]["cities"] if c["name"] == "Sheboygan"]
    expires = timezone.localdate() + datetime.timedelta(days=20)

    log_in(page, live_server, "editor")
    page.goto(
        f"{live_server.url}/admin/pages/add/content/trainerprofilepage/{directory.pk}/"
    )
    page.fill("#id_title", "Robin Lakeshore")
    page.fill("#id_headline", "Strength coach for runners")
    page.fill("#id_city", "Sheboygan")
    page.get_by_role("button", name="Add credentials").click()
    choose(
        page,
        page.get_by_role("button", name="Choose credential").first,
        re.compile("NSCA-CSCS"),
        search="CSCS",
    )
    page.fill("#id_credentials-0-number", "CSCS-12345")
    page.fill("#id_credentials-0-expires_on", expires.isoformat())
    page.keyboard.press("Escape")
    page.steps.shot("trainer-form")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    page.steps.shot("trainer-saved")
    trainer = TrainerProfilePage.objects.get(slug="robin-lakeshore")
    assert not trainer.live
    draft = graphql(live_server, TRAINERS_QUERY, {"city": "Sheboygan"})["trainers"]
    assert draft["totalCount"] == 0
    submit_for_moderation(page)
    page.steps.shot("trainer-submitted")

    def expiring_credential_is_flagged(moderator):
        panel = moderator.locator("#credentials-expiring-section")
        expect(panel).to_contain_text("Robin Lakeshore")
        expect(panel).to_contain_text("in 20 days")

    approve_and_publish(
        page,
        browser,
        live_server,
        trainer,
        "Robin Lakeshore",
        check_panel=expiring_credential_is_flagged,
    )

    after = graphql(live_server, TRAINERS_QUERY, {"city": "Sheboygan"})["trainers"]
    assert after["totalCount"] == 1
    assert after["items"][0]["name"] == "Robin Lakeshore"
    assert after["items"][0]["credentials"] == [{"credential": {"slug": "nsca-cscs"}}]
    everyone = graphql(live_server, TRAINERS_QUERY, {"city": None})["trainers"]
    assert everyone["totalCount"] == before["totalCount"] + 1
    assert {"name": "Sheboygan", "count": 1} in everyone["facets"]["cities"]
    assert facet_count(everyone["facets"]["credentials"], "nsca-cscs") == (
        facet_count(before["facets"]["credentials"], "nsca-cscs") + 1
    )

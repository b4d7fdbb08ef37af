"""A reader comments in Chromium, an editor approves it in the Wagtail admin,
and the comment appears on the site.

The server is `make run` (conftest.py); the browser is Debian's chromium
(cms/tests/e2e_support.py). Screenshots of every step land in
.artifacts/e2e/<test name>/.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SLUG = "note-2"
BODY = "Browser test: is stretching before a run worth it?"
PENDING = "Thank you: your comment will appear once a moderator approves it."


def test_a_comment_sent_from_the_site_appears_once_approved_in_the_admin(
    page, site_server
):
    start = site_server.log_size()
    page.goto(f"{site_server.site}/blog/{SLUG}/")
    expect(page.locator("#comments-heading")).to_have_text("0 comments")
    form = page.locator("#comment-form")
    wait = int(form.get_attribute("data-minimum-fill-seconds"))
    page.get_by_label("Name").fill("Browser Reader")
    page.get_by_label("Email").fill("browser-reader@example.com")
    page.get_by_label("Comment", exact=False).last.fill(BODY)
    page.steps.shot("filled")
    # The API refuses a form sent sooner than its minimum fill time.
    page.wait_for_timeout((wait + 0.5) * 1000)
    page.get_by_role("button", name="Send comment").click()

    outcome = page.locator("#comment-outcome")
    expect(outcome).to_have_attribute("role", "status")
    expect(outcome.locator("p").first).to_have_text(PENDING)
    page.steps.shot("pending")
    # The page's script sent the view beacon to the API.
    assert "POST /api/views/" in site_server.requests_since(start)
    # Pending: not on the page yet.
    page.goto(f"{site_server.site}/blog/{SLUG}/")
    expect(page.locator("#comments-heading")).to_have_text("0 comments")
    expect(page.get_by_text(BODY)).to_have_count(0)

    # An editor approves it from the admin's comment queue.
    admin = page.context.new_page()
    admin.goto(f"{site_server.url}/admin/login/")
    admin.fill("#id_username", "admin")
    admin.fill("#id_password", site_server.admin_password)
    admin.click("button[type=submit]")
    admin.wait_for_url(f"{site_server.url}/admin/")
    admin.goto(f"{site_server.url}/admin/snippets/content/comment/?status=pending")
    page.steps.page = admin
    page.steps.shot("queue")
    # The queue's bulk action: select the comment, Approve, confirm.
    admin.locator("tr", has_text=BODY).locator("input[type=checkbox]").check()
    admin.get_by_role("link", name="Approve selected comments").click()
    expect(admin.get_by_text("Mark 1 comment as")).to_be_visible()
    page.steps.shot("approving")
    admin.get_by_role("button", name="Yes, go ahead").click()
    expect(admin.locator(".messages")).to_contain_text("1 comment(s) marked approved.")
    page.steps.shot("approved")

    page.reload()
    page.steps.page = page
    expect(page.locator("#comments-heading")).to_have_text("1 comment")
    comment = page.locator("#comments li.comment")
    expect(comment.locator(".comment__author")).to_have_text("Browser Reader")
    expect(comment.locator(".comment__body")).to_have_text(BODY)
    expect(page.locator(".comment-count")).to_have_text("1 comment")
    page.steps.shot("shown")

"""The article page's engagement: view and comment counts, approved comments
and the comment form, round trips over the real server (`make run`).

The site reads counts and comments with the ArticleEngagement operation,
fetches a single-use form token from the API's form URL and sends the form on
to the API as ``submitComment``. Moderation happens in the database here
(``services.moderate``, as the admin's bulk actions do); the browser test in
test_e2e_comments.py moderates in the admin itself.
"""

import json
import time
from urllib.parse import quote

import pytest

from web.tests.dom import operation_id, parse

PENDING = "Thank you: your comment will appear once a moderator approves it."


def engagement(site_server, slug) -> dict:
    """What the API itself says about the article (the page must agree)."""
    response = site_server.get(
        f"/graphql/?id={operation_id('ArticleEngagement')}"
        f"&variables={quote(json.dumps({'slug': slug}))}"
    )
    return json.loads(response.text)["data"]["article"]


def comments_section(page):
    return page.find("section", id="comments")


def form_fields(page) -> dict:
    form = page.find("form", id="comment-form")
    return {
        node["name"]: node.attrs.get("value", "")
        for node in form.find_all("input")
        if "name" in node.attrs
    }


def approve(site_server, body_startswith: str) -> None:
    site_server.shell(
        "from content.engagement import services\n"
        "from content.engagement.models import Comment\n"
        "services.moderate(Comment.objects.filter(body__startswith="
        f"{body_startswith!r}), 'approved')\n"
    )


def test_the_page_shows_counts_and_only_approved_comments(site_server):
    site_server.shell(
        "from django.contrib.auth import get_user_model\n"
        "from content.engagement import services\n"
        "from content.engagement.models import Comment\n"
        "from content.models import ArticlePage\n"
        "note = ArticlePage.objects.get(slug='note-1')\n"
        "kept = Comment.objects.create(article=note, name='Ann',"
        " body='Great note.\\n\\nSecond <b>paragraph</b>.')\n"
        "Comment.objects.create(article=note, name='Pat', body='Still pending.')\n"
        "Comment.objects.create(article=note, name='Rex', body='Rejected one.',"
        " status='rejected')\n"
        "services.moderate(Comment.objects.filter(pk=kept.pk), 'approved')\n"
        "admin = get_user_model().objects.get(username='admin')\n"
        "services.reply(kept, 'Thanks, Ann!', admin)\n"
    )
    api = engagement(site_server, "note-1")
    response = site_server.get("/site/blog/note-1/")
    assert response.status == 200
    page = parse(response.text)

    assert api["commentCount"] == 2  # the approved comment and the staff reply
    byline = page.find("p", class_="muted byline")
    assert byline.find("span", class_="view-count").text == (
        f"{api['viewCount']} view{'' if api['viewCount'] == 1 else 's'}"
    )
    assert byline.find("a", class_="comment-count").text == "2 comments"
    section = comments_section(page)
    assert section.find("h2").text == "2 comments"
    comment = section.find("li", class_="comment")
    authors = comment.find_all("strong", class_="comment__author")
    assert [a.text for a in authors] == ["Ann", "admin"]
    # Plain text: the tag the author typed is shown as text, never as HTML.
    body = comment.find_all("div", class_="comment__body")[0]
    assert [p.text for p in body.find_all("p")] == [
        "Great note.",
        "Second <b>paragraph</b>.",
    ]
    assert comment.find_all("b") == []
    reply = comment.find("li", class_="comment comment--staff")
    assert reply.find("span", class_="badge comment__staff").text == "Clinic staff"
    assert reply.find("div", class_="comment__body").text == "Thanks, Ann!"
    assert "Still pending." not in response.text
    assert "Rejected one." not in response.text
    # The health disclaimer sits with the form; the form's token is this
    # reader's alone, so no cache may keep the page.
    assert api["commentPolicy"]["healthDisclaimer"]
    assert (
        section.find("p", class_="health-disclaimer").text
        == (api["commentPolicy"]["healthDisclaimer"])
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    # The view beacon: the page's script posts the article's id there.
    article = page.find("article", class_="article")
    assert article["data-view-beacon"] == f"{site_server.url}/api/views/"
    assert article["data-article-id"] == api["id"]


def test_the_form_is_labelled_and_carries_a_fresh_token(site_server):
    first = parse(site_server.get("/site/blog/note-2/").text)
    second = parse(site_server.get("/site/blog/note-2/").text)

    form = first.find("form", id="comment-form")
    assert form["method"] == "post"
    assert form["action"] == "/site/blog/note-2/#comments"
    for field, label in (
        ("comment-name", "Name"),
        ("comment-email", "Email"),
        ("comment-body", "Comment"),
        ("comment-website", "Leave this field empty"),
    ):
        assert first.find("label", for_=field).text.startswith(label)
    assert first.find("textarea", id="comment-body")["name"] == "body"
    assert form_fields(first)["website"] == ""
    tokens = {form_fields(first)["formToken"], form_fields(second)["formToken"]}
    assert len(tokens) == 2
    assert "" not in tokens


def test_a_comment_round_trip_shows_pending_then_appears_once_approved(
    site_server,
):
    page = parse(site_server.get("/site/blog/note-3/").text)
    fields = form_fields(page)
    wait = int(page.find("form", id="comment-form")["data-minimum-fill-seconds"])
    time.sleep(wait + 0.5)  # the API refuses forms sent faster (COMMENT_TOO_FAST)
    start = site_server.log_size()

    response = site_server.post(
        "/site/blog/note-3/",
        {
            **fields,
            "name": "Round Trip",
            "email": "reader@example.com",
            "body": "Round trip: does this reach the moderators?",
        },
    )

    assert response.status == 200, response.text[:2000]
    assert response.headers["Cache-Control"] == "private, no-store"
    sent = parse(response.text)
    outcome = sent.find("div", id="comment-outcome")
    assert outcome["role"] == "status"
    assert outcome.find_all("p")[0].text == PENDING
    assert sent.find_all("form", id="comment-form") == []
    # The site sent the mutation to the API over HTTP, as a POST.
    logged = site_server.requests_since(start, api_calls=3)
    assert "POST /graphql/" in logged
    # Pending: nowhere on the page, nor counted.
    pending = site_server.get("/site/blog/note-3/")
    assert "Round trip: does this reach" not in pending.text
    assert comments_section(parse(pending.text)).find("h2").text == "0 comments"

    approve(site_server, "Round trip:")

    shown = parse(site_server.get("/site/blog/note-3/").text)
    section = comments_section(shown)
    assert section.find("h2").text == "1 comment"
    comment = section.find("li", class_="comment")
    assert comment.find("strong", class_="comment__author").text == "Round Trip"
    assert comment.find("div", class_="comment__body").text == (
        "Round trip: does this reach the moderators?"
    )
    assert "reader@example.com" not in shown.text


@pytest.mark.parametrize(
    ("change", "status", "code", "text"),
    [
        (
            {},
            400,
            "COMMENT_TOO_FAST",
            "The form was sent too quickly after it was loaded; try again.",
        ),
        (
            {"formToken": "forged.token"},
            400,
            "COMMENT_TOKEN_INVALID",
            "The form token is not valid.",
        ),
        (
            {"website": "http://spam.example"},
            400,
            "COMMENT_REJECTED",
            "The comment was not accepted.",
        ),
        (
            {"body": "x" * 1_000_000},
            400,
            "REQUEST_TOO_LARGE",
            "The request body exceeds 131072 bytes.",
        ),
    ],
    ids=["too-fast", "forged-token", "honeypot", "one-megabyte"],
)
def test_an_api_refusal_is_shown_as_a_message_not_a_500(
    site_server, change, status, code, text
):
    page = parse(site_server.get("/site/blog/note-4/").text)
    fields = {
        **form_fields(page),
        "name": "Quick",
        "body": f"Refused ({code}).",
        **change,
    }

    response = site_server.post("/site/blog/note-4/", fields)

    assert response.status == status, response.text[:2000]
    sent = parse(response.text)
    outcome = sent.find("div", id="comment-outcome")
    assert (outcome["role"], outcome["data-code"]) == ("alert", code)
    assert outcome.find("p").text == text
    # The reader's text is kept, with a fresh token, to try again.
    assert sent.find("input", id="comment-name")["value"] == "Quick"
    again = form_fields(sent)["formToken"]
    assert again
    assert again != fields["formToken"]
    assert "Refused (" not in site_server.get("/site/blog/note-4/").text


def test_a_post_from_another_site_is_refused(site_server):
    page = parse(site_server.get("/site/blog/note-4/").text)
    start = site_server.log_size()

    response = site_server.post(
        "/site/blog/note-4/",
        {**form_fields(page), "name": "Evil", "body": "Cross-site."},
        headers={"Origin": "http://evil.example"},
    )

    assert response.status == 403
    assert parse(response.text).find("h1").text == "Comment not sent"
    assert "POST /graphql/" not in site_server.requests_since(start)


def test_closed_comments_show_a_sentence_and_no_form(site_server):
    site_server.shell(
        "from content.models import ArticlePage\n"
        "note = ArticlePage.objects.get(slug='note-5')\n"
        "note.comments_open = False\n"
        "note.save_revision().publish()\n"
    )
    start = site_server.log_size()
    response = site_server.get("/site/blog/note-5/")

    assert response.status == 200
    section = comments_section(parse(response.text))
    assert section.find("p", class_="comments-closed").text == (
        "Comments are closed for this article."
    )
    assert section.find_all("form") == []
    # No token was fetched, so the page is as cacheable as any other.
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert not [
        line
        for line in site_server.requests_since(start, api_calls=3)
        if "/api/comments/form/" in line
    ]

"""The pluggable spam check: Akismet against a local fake, off by default."""

import time
from urllib.parse import parse_qs

import pytest
from werkzeug import Response

from content.engagement import spam, tokens
from content.engagement.models import Comment, CommentStatus

SUBMIT = """
mutation Submit($article: ID!, $body: String!, $formToken: String!) {
  submitComment(article: $article, name: "Pat", email: "pat@example.com",
                body: $body, formToken: $formToken) { accepted }
}
"""


@pytest.fixture
def article(make_article):
    return make_article(slug="knee-pain")


@pytest.fixture
def akismet(settings, httpserver):
    settings.COMMENT_SPAM_BACKEND = "akismet"
    settings.AKISMET_API_KEY = "test-key"
    settings.AKISMET_SITE_URL = "https://clinic.example"
    settings.AKISMET_ENDPOINT = httpserver.url_for("/{key}/1.1/comment-check")
    return httpserver


def post(gql, article, body):
    token = tokens.issue_form_token(article.pk, now=time.time() - 30)
    return gql.raw(
        "POST",
        {
            "query": SUBMIT,
            "variables": {"article": str(article.pk), "body": body, "formToken": token},
        },
        headers={"X-Requested-With": "fetch", "User-Agent": "Browser/1.0"},
    )


def test_the_spam_check_is_off_by_default(settings):
    assert settings.COMMENT_SPAM_BACKEND == ""
    assert isinstance(spam.backend(), spam.NoSpamCheck)


def test_akismet_spam_is_kept_as_spam_never_shown(gql, article, akismet):
    seen = []

    def handler(request):
        seen.append(parse_qs(request.get_data(as_text=True)))
        return Response("true", content_type="text/plain")

    akismet.expect_request(
        "/test-key/1.1/comment-check", method="POST"
    ).respond_with_handler(handler)

    response = post(gql, article, "Cheap pills at spam dot example")

    # The sender learns nothing: spam looks accepted.
    assert response.json()["data"]["submitComment"]["accepted"] is True
    assert Comment.objects.get().status == CommentStatus.SPAM
    (form,) = seen
    assert form["comment_content"] == ["Cheap pills at spam dot example"]
    assert form["comment_author_email"] == ["pat@example.com"]
    assert form["blog"] == ["https://clinic.example"]
    assert form["user_agent"] == ["Browser/1.0"]


def test_akismet_ham_waits_for_moderation(gql, article, akismet):
    akismet.expect_request("/test-key/1.1/comment-check").respond_with_data("false")

    post(gql, article, "Helpful, thanks")

    assert Comment.objects.get().status == CommentStatus.PENDING


@pytest.mark.parametrize(
    ("status", "body"), [(500, "oops"), (200, "invalid"), (200, "")]
)
def test_an_akismet_failure_leaves_the_comment_to_moderators(
    gql, article, akismet, status, body
):
    akismet.expect_request("/test-key/1.1/comment-check").respond_with_data(
        body, status=status
    )

    post(gql, article, "Helpful, thanks")

    assert Comment.objects.get().status == CommentStatus.PENDING

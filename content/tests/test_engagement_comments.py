"""Comments: submission, abuse controls, moderation, display, caching.

Every refusal has a stable ``extensions.code`` and leaves no row behind.
"""

import json
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from cms.graphql.cache import current_generation
from content.engagement import services, tokens
from content.engagement.models import (
    Comment,
    CommentSettings,
    CommentStatus,
    UsedFormToken,
)

SUBMIT = """
mutation Submit($article: ID!, $name: String!, $email: String, $body: String!,
                $website: String, $formToken: String!) {
  submitComment(article: $article, name: $name, email: $email, body: $body,
                website: $website, formToken: $formToken) { accepted message }
}
"""
ARTICLE = """
query Comments($slug: String!) {
  article(slug: $slug) {
    commentCount
    comments(limit: 10) {
      totalCount
      items { id authorName body isStaffReply replies { authorName body isStaffReply } }
    }
    commentPolicy { open healthDisclaimer minimumFillSeconds formTokenUrl }
  }
}
"""
HEADERS = {"X-Requested-With": "fetch"}


def old_token(article, seconds=30):
    return tokens.issue_form_token(article.pk, now=time.time() - seconds)


def variables(target, **overrides):
    values = {
        "article": str(target.pk),
        "name": "Jamie Reader",
        "email": "jamie@example.com",
        "body": "Thanks, this helped me pick a physical therapist.",
        "website": "",
        "formToken": old_token(target),
    }
    values.update(overrides)
    return values


def submit(gql, target, *, headers=HEADERS, **overrides):
    return gql.raw(
        "POST",
        {"query": SUBMIT, "variables": variables(target, **overrides)},
        headers=headers,
    )


def codes(response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


@pytest.fixture
def article(make_article):
    return make_article(title="Knee pain", slug="knee-pain")


def test_a_submitted_comment_waits_for_moderation_and_stays_hidden(gql, article):
    response = submit(gql, article)

    assert response.status_code == 200, response.content
    assert response.json()["data"]["submitComment"]["accepted"] is True
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert not comment.is_staff_reply
    shown = gql.data(ARTICLE, {"slug": "knee-pain"})["article"]
    assert shown["commentCount"] == 0
    assert shown["comments"]["items"] == []


def test_approving_a_comment_shows_it_and_invalidates_cached_responses(gql, article):
    submit(gql, article)
    before = gql.data(ARTICLE, {"slug": "knee-pain"})["article"]
    assert before["commentCount"] == 0
    generation = current_generation()

    changed = services.moderate(Comment.objects.all(), CommentStatus.APPROVED)

    assert changed == 1
    assert current_generation() != generation
    after = gql.data(ARTICLE, {"slug": "knee-pain"})["article"]
    assert after["commentCount"] == 1
    assert after["comments"]["items"][0]["authorName"] == "Jamie Reader"
    # Removing it again hides it at once.
    services.moderate(Comment.objects.all(), CommentStatus.REJECTED)
    assert gql.data(ARTICLE, {"slug": "knee-pain"})["article"]["commentCount"] == 0


def test_moderating_purges_exactly_the_articles_it_affects_at_the_edge(
    gql, article, settings
):
    from edge.models import PendingPurge

    settings.EDGE_PURGE_BACKEND = "varnish"

    def article_tags():
        tags = PendingPurge.objects.values_list("tag", flat=True)
        return sorted(tag for tag in tags if tag.startswith("article"))

    submit(gql, article)
    assert article_tags() == []  # pending: nothing public changed
    services.moderate(Comment.objects.all(), CommentStatus.SPAM)
    assert article_tags() == []  # still nothing public

    services.moderate(Comment.objects.all(), CommentStatus.APPROVED)

    assert article_tags() == [f"article:{article.pk}"]


def test_a_pending_submission_does_not_invalidate_cached_responses(gql, article):
    gql.data(ARTICLE, {"slug": "knee-pain"})
    generation = current_generation()

    submit(gql, article)

    assert Comment.objects.count() == 1
    assert current_generation() == generation


def test_staff_replies_are_shown_as_such(gql, article, admin_user):
    submit(gql, article)
    comment = Comment.objects.get()
    services.moderate(Comment.objects.all(), CommentStatus.APPROVED)

    services.reply(comment, "Glad it helped. Call us to book.", admin_user)

    shown = gql.data(ARTICLE, {"slug": "knee-pain"})["article"]
    assert shown["commentCount"] == 2
    (item,) = shown["comments"]["items"]
    assert item["isStaffReply"] is False
    assert item["replies"] == [
        {
            "authorName": admin_user.get_username(),
            "body": "Glad it helped. Call us to book.",
            "isStaffReply": True,
        }
    ]


def test_the_form_policy_carries_the_health_disclaimer(gql, article):
    settings_row = CommentSettings.load()
    settings_row.health_disclaimer = "Not medical advice: call the clinic."
    settings_row.save()

    policy = gql.data(ARTICLE, {"slug": "knee-pain"})["article"]["commentPolicy"]

    assert policy["open"] is True
    assert policy["healthDisclaimer"] == "Not medical advice: call the clinic."
    assert policy["formTokenUrl"] == f"/api/comments/form/?article={article.pk}"


def test_the_form_endpoint_issues_an_uncached_token(client, article, settings):
    response = client.get(f"/api/comments/form/?article={article.pk}")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["open"] is True
    assert body["healthDisclaimer"]
    # Not usable at once: the minimum fill time applies.
    with pytest.raises(tokens.TokenRejected) as rejected:
        tokens.read_form_token(body["formToken"], article.pk)
    assert rejected.value.code == "COMMENT_TOO_FAST"
    later = time.time() + settings.COMMENT_MIN_FILL_SECONDS + 1
    assert tokens.read_form_token(body["formToken"], article.pk, now=later)


def test_the_form_endpoint_knows_no_hidden_article(client, make_article):
    draft = make_article(live=False, slug="leak-draft")

    huge = "9" * 30  # SQLite cannot bind it
    for value in (str(draft.pk), "999999", "x", "", huge, "-1", "%C2%B2"):
        response = client.get(f"/api/comments/form/?article={value}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_submission_costs_a_bounded_number_of_queries(
    gql, article, django_assert_max_num_queries
):
    submit(gql, article)  # warm the site and settings caches once
    with django_assert_max_num_queries(8):
        response = submit(gql, article, body="A second, different comment.")
    assert response.json()["data"]["submitComment"]["accepted"] is True


def test_moderators_are_emailed_and_authors_get_a_delete_link(
    gql, client, article, django_capture_on_commit_callbacks
):
    row = CommentSettings.load()
    row.moderator_emails = "front-desk@example.com\nlead@example.com"
    row.save()

    with django_capture_on_commit_callbacks(execute=True):
        submit(gql, article)

    to_moderators = [m for m in mail.outbox if "front-desk@example.com" in m.to]
    assert len(to_moderators) == 1
    assert "Thanks, this helped" in to_moderators[0].body
    (to_author,) = [m for m in mail.outbox if m.to == ["jamie@example.com"]]
    link = next(w for w in to_author.body.split() if "/api/comments/delete/" in w)
    path = link[link.index("/api/") :]
    services.moderate(Comment.objects.all(), CommentStatus.APPROVED)

    shown = client.get(path)
    assert shown.status_code == 200
    assert Comment.objects.count() == 1  # a GET (a link scanner) deletes nothing
    generation = current_generation()
    deleted = client.post(path)
    assert deleted.status_code == 200
    assert Comment.objects.count() == 0
    assert current_generation() != generation


def test_a_forged_delete_link_deletes_nothing(client, gql, article):
    submit(gql, article)
    comment = Comment.objects.get()
    forged = tokens.delete_token(comment.pk, "someone-else@example.com")

    for token in (forged, "not-a-token", forged[:-2] + "xx"):
        assert client.post(f"/api/comments/delete/{token}/").status_code == 404
    assert Comment.objects.count() == 1


def test_comments_close_per_article(gql, article):
    article.comments_open = False
    article.save_revision().publish()

    response = submit(gql, article)

    assert codes(response) == ["COMMENTS_CLOSED"]
    assert not Comment.objects.exists()


def test_comments_close_after_n_days(gql, article):
    row = CommentSettings.load()
    row.close_after_days = 30
    row.save()
    article.first_published_at = timezone.now() - timedelta(days=31)
    article.save()

    assert codes(submit(gql, article)) == ["COMMENTS_CLOSED"]
    assert not Comment.objects.exists()
    policy = gql.data(ARTICLE, {"slug": "knee-pain"})["article"]["commentPolicy"]
    assert policy["open"] is False


# --- abuse: each gets a stable error and leaves nothing behind ---------------

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "hello <a href='https://evil.example'>click</a>",
    "<svg/onload=alert(1)>",
    "</textarea><script>x</script>",
    "<!-- hidden -->",
    "&lt;script&gt;",
    "[click](javascript:alert(1))",
    "see JaVaScRiPt:alert(document.cookie)",
    "< script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", XSS)
def test_markup_and_script_payloads_are_refused(gql, article, payload):
    response = submit(gql, article, body=payload)

    assert codes(response) == ["COMMENT_MARKUP_NOT_ALLOWED"]
    assert not Comment.objects.exists()
    assert not UsedFormToken.objects.exists()


def test_markup_in_the_name_is_refused(gql, article):
    response = submit(gql, article, name="<b>Admin</b>")
    assert codes(response) == ["COMMENT_MARKUP_NOT_ALLOWED"]
    assert not Comment.objects.exists()


def test_plain_text_with_links_and_angle_brackets_is_kept_as_text(gql, article):
    body = "Pain < 3 out of 10 now.  See https://example.org/knee?a=1&b=2\r\n\r\n\r\n\r\nBye"
    submit(gql, article, body=body)

    assert Comment.objects.get().body == (
        "Pain < 3 out of 10 now. See https://example.org/knee?a=1&b=2\n\nBye"
    )


UNICODE_ABUSE = [
    "evil\u202etxt.exe",  # right-to-left override
    "isolate \u2066hidden\u2069",
    "zero\u200bwidth",
    "soft\u00adhyphen",
    "bell\u0007",
    "nul\u0000byte",
    "Z\u0301\u0302\u0303\u0304\u0305algo",
    "private \ue000 use",
    "unassigned \U000e0080",
]


@pytest.mark.parametrize("payload", UNICODE_ABUSE)
def test_unicode_abuse_is_refused(gql, article, payload):
    response = submit(gql, article, body=f"Nice article. {payload}")

    assert codes(response) == ["COMMENT_INVALID_TEXT"]
    assert not Comment.objects.exists()


def test_unpaired_surrogates_are_refused_by_the_transport(gql, article):
    body = json.dumps({"query": SUBMIT, "variables": variables(article)})
    body = body.replace("Thanks,", "Thanks\\ud800,")
    response = gql.raw("POST", body, headers=HEADERS)

    assert response.status_code == 400
    assert codes(response) == ["INVALID_UNICODE"]
    assert not Comment.objects.exists()


def test_emoji_and_accents_are_fine(gql, article):
    submit(gql, article, body="Merci 👍🏽 — très utile! 👨‍👩‍👧")
    assert Comment.objects.get().body == "Merci 👍🏽 — très utile! 👨‍👩‍👧"


def test_a_one_megabyte_body_is_refused(gql, article):
    response = submit(gql, article, body="a" * 1024 * 1024)

    assert response.status_code == 413
    assert codes(response) == ["REQUEST_TOO_LARGE"]
    assert not Comment.objects.exists()


def test_a_body_over_the_limit_is_refused(gql, article, settings):
    response = submit(gql, article, body="a" * (settings.COMMENT_MAX_CHARS + 1))

    assert codes(response) == ["COMMENT_TOO_LONG"]
    assert not Comment.objects.exists()


def test_empty_comments_are_refused(gql, article):
    assert codes(submit(gql, article, body=" \n\t ")) == ["COMMENT_EMPTY"]
    assert codes(submit(gql, article, email="not an email")) == [
        "COMMENT_INVALID_EMAIL"
    ]
    assert not Comment.objects.exists()


def test_a_filled_honeypot_is_refused(gql, article):
    response = submit(gql, article, website="https://spam.example")

    assert codes(response) == ["COMMENT_REJECTED"]
    assert not Comment.objects.exists()


def test_a_replayed_form_token_is_refused(gql, article):
    token = old_token(article)
    first = submit(gql, article, formToken=token)
    second = submit(gql, article, formToken=token, body="Another one.")

    assert first.json()["data"]["submitComment"]["accepted"] is True
    assert codes(second) == ["COMMENT_TOKEN_REUSED"]
    assert Comment.objects.count() == 1


def test_a_form_sent_too_quickly_is_refused(gql, article):
    fresh = tokens.issue_form_token(article.pk)

    assert codes(submit(gql, article, formToken=fresh)) == ["COMMENT_TOO_FAST"]
    assert not Comment.objects.exists()


def test_expired_forged_and_foreign_tokens_are_refused(gql, article, make_article):
    other = make_article(slug="other")
    expired = tokens.issue_form_token(article.pk, now=time.time() - 3 * 86400)
    good = old_token(article)
    forged = good[:-3] + ("abc" if not good.endswith("abc") else "xyz")

    assert codes(submit(gql, article, formToken=expired)) == ["COMMENT_TOKEN_EXPIRED"]
    assert codes(submit(gql, article, formToken=forged)) == ["COMMENT_TOKEN_INVALID"]
    assert codes(submit(gql, article, formToken="x" * 5000)) == [
        "COMMENT_TOKEN_INVALID"
    ]
    assert codes(submit(gql, article, formToken=old_token(other))) == [
        "COMMENT_TOKEN_INVALID"
    ]
    assert not Comment.objects.exists()


def test_a_hidden_article_takes_no_comments(gql, make_article):
    draft = make_article(live=False, slug="leak-draft-article")

    assert codes(submit(gql, draft)) == ["NOT_FOUND"]
    assert codes(submit(gql, draft, article="not-a-number")) == ["NOT_FOUND"]
    assert codes(submit(gql, draft, article="9" * 30)) == ["NOT_FOUND"]
    assert not Comment.objects.exists()


def test_mass_submission_is_rate_limited_per_client(gql, article, settings):
    settings.COMMENT_RATE_LIMIT = 3
    results = [
        codes(submit(gql, article, body=f"Comment number {n}.")) for n in range(8)
    ]

    assert results[:3] == [[], [], []]
    assert results[3:] == [["RATE_LIMITED"]] * 5
    assert Comment.objects.count() == 3


def test_spoofed_forwarding_headers_do_not_dodge_the_rate_limit(gql, article, settings):
    settings.COMMENT_RATE_LIMIT = 2
    results = [
        codes(
            submit(
                gql,
                article,
                body=f"Comment number {n}.",
                headers={
                    **HEADERS,
                    "X-Forwarded-For": f"203.0.113.{n}",
                    "X-Real-IP": f"198.51.100.{n}",
                    "X-Api-Key": f"made-up-{n}",
                },
            )
        )
        for n in range(5)
    ]

    assert results == [[], [], ["RATE_LIMITED"], ["RATE_LIMITED"], ["RATE_LIMITED"]]
    assert Comment.objects.count() == 2


def test_cross_site_posts_are_refused(gql, csrf_checking_gql, article):
    # A cross-site form cannot set the header, nor send JSON.
    no_header = submit(csrf_checking_gql, article, headers={})
    as_form = gql.raw(
        "POST",
        "query=" + SUBMIT,
        content_type="application/x-www-form-urlencoded",
        headers=HEADERS,
    )
    as_text = gql.raw("POST", json.dumps({"query": SUBMIT}), content_type="text/plain")
    by_get = gql.raw("GET", params={"query": SUBMIT}, headers=HEADERS)

    assert (no_header.status_code, codes(no_header)) == (403, ["CSRF_HEADER_REQUIRED"])
    assert (as_form.status_code, codes(as_form)) == (415, ["UNSUPPORTED_MEDIA_TYPE"])
    assert (as_text.status_code, codes(as_text)) == (415, ["UNSUPPORTED_MEDIA_TYPE"])
    assert by_get.status_code == 405
    assert codes(by_get) == ["METHOD_NOT_ALLOWED"]
    assert not Comment.objects.exists()


def test_an_admin_session_never_authenticates_the_mutation(gql, client, article):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)

    submit(gql, article, name="Clinic Director")

    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.is_staff_reply is False
    assert comment.staff_user is None


def test_under_the_safelist_the_mutation_runs_only_when_allowlisted(
    gql, article, settings, tmp_path
):
    from cms.graphql import persisted

    settings.GRAPHQL_SAFELIST = True
    settings.GRAPHQL_OPERATIONS_DIR = tmp_path
    persisted.reload_registry()
    refused = submit(gql, article)
    assert codes(refused) == ["PERSISTED_QUERY_NOT_ALLOWED"]
    assert not Comment.objects.exists()

    (tmp_path / "SubmitComment.graphql").write_text(SUBMIT)
    persisted.reload_registry()
    allowed = submit(gql, article)
    assert allowed.json()["data"]["submitComment"]["accepted"] is True
    assert Comment.objects.count() == 1
    persisted.reload_registry()

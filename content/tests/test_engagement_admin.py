"""The moderation queue in the Wagtail admin, bulk actions, the dashboard."""

import pytest
from django.urls import reverse

from cms.graphql.cache import current_generation
from content.engagement.models import Comment, CommentStatus


@pytest.fixture
def comments(make_article):
    article = make_article(title="Knee pain", slug="knee-pain")
    return [
        Comment.objects.create(article=article, name=f"Reader {n}", body=f"Body {n}")
        for n in range(3)
    ]


@pytest.fixture
def moderator(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def bulk_url(action: str, items) -> str:
    base = reverse("wagtail_bulk_action", args=("content", "comment", action))
    return base + "?" + "&".join(f"id={c.pk}" for c in items)


def test_the_queue_lists_pending_comments(client, moderator, comments):
    url = reverse("wagtailsnippets_content_comment:list")

    response = client.get(url + "?status=pending")

    assert response.status_code == 200
    for comment in comments:
        assert comment.body.encode() in response.content
        # Each row links to the comment's moderation (edit) view.
        edit = reverse("wagtailsnippets_content_comment:edit", args=(comment.pk,))
        assert f'href="{edit}"'.encode() in response.content


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve", CommentStatus.APPROVED),
        ("reject", CommentStatus.REJECTED),
        ("spam", CommentStatus.SPAM),
    ],
)
def test_bulk_actions_moderate_the_selected_comments(
    client, moderator, comments, action, status
):
    chosen = comments[:2]
    confirm = client.get(bulk_url(action, chosen))
    assert confirm.status_code == 200

    response = client.post(bulk_url(action, chosen))

    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in comments] == [status, status, "pending"]


def test_bulk_approval_invalidates_cached_responses_rejection_of_pending_does_not(
    client, moderator, comments
):
    generation = current_generation()
    client.post(bulk_url("reject", comments[:1]))
    assert current_generation() == generation

    client.post(bulk_url("approve", comments[1:2]))
    assert current_generation() != generation


def test_editing_a_comment_sets_its_status_and_adds_a_staff_reply(
    client, moderator, comments
):
    comment = comments[0]
    url = reverse("wagtailsnippets_content_comment:edit", args=[comment.pk])
    assert client.get(url).status_code == 200
    generation = current_generation()

    response = client.post(
        url, {"status": "approved", "staff_reply": "Thanks, see you in clinic."}
    )

    assert response.status_code == 302, response.content[:2000]
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    reply = comment.replies.get()
    assert reply.is_staff_reply
    assert reply.status == CommentStatus.APPROVED
    assert reply.staff_user == moderator
    assert current_generation() != generation


def test_a_staff_reply_with_markup_is_refused(client, moderator, comments):
    url = reverse("wagtailsnippets_content_comment:edit", args=[comments[0].pk])

    response = client.post(url, {"status": "pending", "staff_reply": "<b>hi</b>"})

    assert response.status_code == 200
    assert not Comment.objects.filter(is_staff_reply=True).exists()


def test_editors_cannot_create_comments_from_scratch(client, moderator):
    response = client.get(reverse("wagtailsnippets_content_comment:add"))
    assert response.status_code in (302, 403)


def test_the_dashboard_shows_the_pending_count(client, moderator, comments):
    comments[0].status = CommentStatus.APPROVED
    comments[0].save()

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Comments awaiting moderation" in html
    assert "<strong>2</strong> comments waiting" in html


def test_the_dashboard_panel_is_silent_with_nothing_pending(client, moderator, db):
    response = client.get(reverse("wagtailadmin_home"))
    assert "Comments awaiting moderation" not in response.content.decode()

"""Publishing sends a thin, signed event that standardwebhooks verifies."""

import pytest
from django.db import transaction

from webhooks.models import WebhookDelivery, WebhookEvent
from webhooks.tests.conftest import bodies, received, verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_publishing_an_article_delivers_a_verified_thin_event(
    receiver, make_endpoint, make_article
):
    endpoint = make_endpoint(receiver.url_for("/hook"))
    article = make_article(title="Knees", slug="knees")

    requests = received(receiver)
    assert len(requests) == 1
    headers, body = requests[0]
    payload = verify(endpoint.secret, headers, body)
    event = WebhookEvent.objects.get()
    assert payload == {
        "type": "article.published",
        "timestamp": payload["timestamp"],
        "data": {
            "id": str(article.pk),
            "contentType": "article",
            "slug": "knees",
            "url": "http://localhost:3000/blog/knees/",
            "revision": article.live_revision_id,
            "cacheTags": ["article", f"article:{article.pk}"],
            "sequence": event.pk,
        },
    }
    assert headers["Webhook-Id"] == event.message_id
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        "succeeded",
        1,
        204,
    )


def test_a_rolled_back_publish_sends_nothing(receiver, make_endpoint, make_article):
    make_endpoint(receiver.url_for("/hook"))
    article = make_article(publish=False)

    def publish_then_fail():
        with transaction.atomic():
            article.save_revision().publish()
            raise RuntimeError("the request failed after the publish")

    with pytest.raises(RuntimeError):
        publish_then_fail()

    assert WebhookEvent.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0
    assert received(receiver) == []


def test_a_draft_change_sends_nothing_and_never_leaks(
    receiver, make_endpoint, make_article
):
    make_endpoint(receiver.url_for("/hook"))
    article = make_article(title="Live title", slug="live-slug")
    article.title = "Secret draft title"
    article.slug = "secret-draft-slug"
    article.save_revision()

    assert [body["type"] for body in bodies(receiver)] == ["article.published"]
    assert "secret" not in received(receiver)[0][1].lower()

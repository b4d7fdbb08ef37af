"""Fixtures for the webhook tests: content made through model labels, a
real HTTP receiver on loopback (pytest-httpserver), endpoints."""

import json

import pytest
from django.apps import apps
from standardwebhooks.webhooks import Webhook

from webhooks.models import EVENT_TYPES, WebhookEndpoint
from webhooks.signing import generate_secret

ALL_EVENTS = [value for value, _ in EVENT_TYPES]


def model(label: str):
    return apps.get_model(label)


@pytest.fixture
def blog(home):
    index = model("content.BlogIndexPage")(title="Blog", slug="blog")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_article(blog):
    counter = iter(range(1, 10_000))

    def make(*, publish=True, **fields):
        n = next(counter)
        fields.setdefault("title", f"Article {n}")
        fields.setdefault("slug", f"article-{n}")
        fields.setdefault("subtitle", "A subtitle")
        fields.setdefault("summary", "A summary.")
        fields.setdefault("body", [{"type": "paragraph", "value": "<p>Body text.</p>"}])
        article = model("content.ArticlePage")(live=False, **fields)
        blog.add_child(instance=article)
        revision = article.save_revision()
        if publish:
            revision.publish()
            article.refresh_from_db()
        return article

    return make


@pytest.fixture
def directory(home):
    page = model("content.TrainerDirectoryPage")(title="Trainers", slug="trainers")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def make_trainer(directory):
    counter = iter(range(1, 10_000))

    def make(*, publish=True, **fields):
        n = next(counter)
        fields.setdefault("title", f"Trainer {n}")
        fields.setdefault("slug", f"trainer-{n}")
        fields.setdefault("headline", "Fictional demo profile")
        fields.setdefault("city", "Madison")
        fields.setdefault("state", "WI")
        fields.setdefault("postal_code", "53703")
        fields.setdefault("email", f"trainer{n}@example.com")
        trainer = model("content.TrainerProfilePage")(live=False, **fields)
        directory.add_child(instance=trainer)
        revision = trainer.save_revision()
        if publish:
            revision.publish()
            trainer.refresh_from_db()
        return trainer

    return make


@pytest.fixture
def make_endpoint(db):
    def make(url, *, events=None, content_types=None, **fields):
        return WebhookEndpoint.objects.create(
            name=fields.pop("name", "Frontend"),
            url=url,
            events=ALL_EVENTS if events is None else events,
            content_types=content_types or [],
            secret=fields.pop("secret", None) or generate_secret(),
            **fields,
        )

    return make


@pytest.fixture
def receiver(httpserver):
    """A loopback receiver answering 204 to POST /hook."""
    httpserver.expect_request("/hook", method="POST").respond_with_data("", status=204)
    return httpserver


def received(httpserver) -> list:
    """(headers, body text) of every request the receiver got."""
    return [
        (dict(request.headers), request.get_data(as_text=True))
        for request, _response in httpserver.log
    ]


def verify(secret: str, headers: dict, body: str) -> dict:
    """Verify with the standardwebhooks library, as any receiver would."""
    return Webhook(secret).verify(body, headers)


def bodies(httpserver) -> list[dict]:
    return [json.loads(body) for _headers, body in received(httpserver)]


from worker.tests.stack import migrated_template, stack, stack_receiver  # noqa: E402, F401

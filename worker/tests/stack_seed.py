"""Content for the end-to-end stack, made inside its processes."""

import datetime
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from webhooks.models import EVENT_TYPES, WebhookEndpoint
from webhooks.signing import generate_secret
from worker.tests.stack import ADMIN_PASSWORD


def seed(receiver_url: str, go_live_in: float | None = None, publish=False) -> dict:
    from home.demo import load_site

    get_user_model().objects.create_superuser("admin", "a@example.com", ADMIN_PASSWORD)
    home = load_site(StringIO())
    blog = apps.get_model("content.BlogIndexPage")(title="Blog", slug="blog")
    home.add_child(instance=blog)
    blog.save_revision().publish()
    author = apps.get_model("content.Author").objects.create(
        name="Test Author", slug="test-author"
    )
    article = apps.get_model("content.ArticlePage")(
        title="Knees",
        slug="knees",
        subtitle="",
        summary="",
        body=[{"type": "paragraph", "value": "<p>Body.</p>"}],
        live=False,
    )
    blog.add_child(instance=article)
    apps.get_model("content.ArticlePageAuthor").objects.create(
        page=article, author=author
    )
    if go_live_in is not None:
        article.go_live_at = timezone.now() + datetime.timedelta(seconds=go_live_in)
    revision = article.save_revision()
    secret = generate_secret()
    endpoint = WebhookEndpoint.objects.create(
        name="Receiver",
        url=receiver_url,
        events=[value for value, _ in EVENT_TYPES],
        secret=secret,
    )
    if publish or go_live_in is not None:
        revision.publish()
    return {
        "article": article.pk,
        "author": author.pk,
        "endpoint": endpoint.pk,
        "secret": secret,
    }


def publish(article_id: int) -> float:
    """Publish the article's latest revision; return the commit time."""
    import time

    from worker.db import write_transaction

    page = apps.get_model("content.ArticlePage").objects.get(pk=article_id)
    with write_transaction():
        page.save_revision().publish()
    return time.time()

"""Shared by the worker and webhook tests."""

from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def an_author():
    from django.apps import apps

    author, _ = apps.get_model("content.Author").objects.get_or_create(
        slug="test-author", defaults={"name": "Test Author"}
    )
    return author


def article_form(
    title="Admin article", slug="admin-article", body=None, author_id=None, **extra
):
    """The ArticlePage edit form as Wagtail's admin posts it."""
    author_id = author_id or an_author().pk
    data = {
        "title": title,
        "slug": slug,
        "subtitle": "",
        "summary": "",
        "hero_image_alt": "",
        "body": streamfield(
            body or [("paragraph", rich_text("<p>Hello from the admin.</p>"))]
        ),
        "article_authors": inline_formset([{"author": author_id}]),
        "tags": "",
        "published_date": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(extra)
    return nested_form_data(data)


def queued(task_path=None) -> dict:
    """Queued job rows by task path (or the count for one path)."""
    from collections import Counter

    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(status="READY")
    counts = Counter(ready.values_list("task_path", flat=True))
    return counts[task_path] if task_path else dict(counts)


def run_worker_until_idle() -> None:
    """The real django-tasks-db job loop, in this process, until the queue is
    empty (tests without a transaction share this connection).

    The loop calls ``close_old_connections`` as it wakes; inside the test's
    transaction autocommit is off, so Django would close the connection the
    test runs in (on SQLite's in-memory test database closing is a no-op).
    The connection is the test's to manage here, so that one call is skipped.
    """
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", return_value=None):
        _worker_loop(db_worker.Worker)


def _worker_loop(Worker) -> None:
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()

"""Sync gaps: out-of-order commits, credential expiry, ancestors' publish state.

Each test replays ``trainerSync`` the way an offline app does (apply every
batch from its saved cursor) and compares its copy with the live directory.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from content.factories_trainers import (
    TrainerProfilePageFactory,
    make_directory,
    publish,
)
from content.models.trainers import TrainerProfilePage
from content.signals_trainers import log_changes

SYNC = """
query($cursor: String, $limit: Int) {
  trainerSync(cursor: $cursor, limit: $limit) {
    changed { id headline credentials { number isCurrent } }
    removedIds
    nextCursor
    hasMore
  }
}"""


def sync(gql, copy: dict, cursor=None, limit=50):
    """Apply every batch to ``copy`` until caught up; return the new cursor."""
    while True:
        batch = gql.data(SYNC, {"cursor": cursor, "limit": limit})["trainerSync"]
        for item in batch["changed"]:
            copy[item["id"]] = item
        for removed in batch["removedIds"]:
            copy.pop(removed, None)
        cursor = batch["nextCursor"]
        if not batch["hasMore"]:
            return cursor


def headlines(copy: dict) -> dict:
    return {pk: item["headline"] for pk, item in copy.items()}


def live_headlines() -> dict:
    return {
        str(pk): headline
        for pk, headline in TrainerProfilePage.objects.live()
        .public()
        .values_list("pk", "headline")
    }


# 1. Out-of-order commits ---------------------------------------------------


def _in_thread(target, *args):
    """Run ``target`` on its own database connection; re-raise its error."""
    errors = []

    def run():
        try:
            target(*args)
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def _edit_and_log(pk, headline):
    TrainerProfilePage.objects.filter(pk=pk).update(headline=headline)
    log_changes([pk])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite admits one writer at a time: its ids commit in order anyway",
)
def test_a_change_that_commits_after_a_later_one_still_reaches_synced_clients(gql):
    directory = make_directory()
    slow_page = publish(TrainerProfilePageFactory(parent=directory))
    fast_page = publish(TrainerProfilePageFactory(parent=directory))
    copy: dict = {}
    cursor = sync(gql, copy)

    logged, release = threading.Event(), threading.Event()

    def slow_transaction():
        # Takes a log id first, then commits only when released.
        with transaction.atomic():
            _edit_and_log(slow_page.pk, "Committed last")
            logged.set()
            assert release.wait(10)

    slow, slow_errors = _in_thread(slow_transaction)
    assert logged.wait(10)
    # A second editor's change: without ordering it takes the next id and
    # commits at once, while the slow one's lower id is still invisible.
    fast, fast_errors = _in_thread(_edit_and_log, fast_page.pk, "Committed first")
    fast.join(1.0)
    try:
        cursor = sync(gql, copy, cursor)  # an app syncs in between
    finally:
        release.set()
        slow.join(10)
        fast.join(10)
    assert slow_errors + fast_errors == []

    sync(gql, copy, cursor)

    assert headlines(copy) == live_headlines()
    assert headlines(copy)[str(slow_page.pk)] == "Committed last"
    assert headlines(copy)[str(fast_page.pk)] == "Committed first"

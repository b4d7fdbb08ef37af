"""Sync gaps: out-of-order commits, credential expiry, ancestors' publish state.

Each test replays ``trainerSync`` the way an offline app does (apply every
batch from its saved cursor) and compares its copy with the live directory.
"""

import datetime
import threading
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from content.tests.support import make_directory
from content.trainers.factories import (
    CredentialFactory,
    TrainerCredentialFactory,
    TrainerProfilePageFactory,
    publish,
)
from content.trainers.models import TrainerChange, TrainerProfilePage
from content.trainers.services import log_changes

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


# 2. Credentials expiring by date -------------------------------------------


def expire_sync(**kwargs) -> str:
    out = StringIO()
    call_command("sync_credential_expiry", stdout=out, **kwargs)
    return out.getvalue()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def start_of_today() -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time())
    )


def profile_with_credential(directory, expires_on, live=True):
    page = TrainerProfilePageFactory(parent=directory, live=False)
    TrainerCredentialFactory(
        page=page, credential=CredentialFactory(), expires_on=expires_on
    )
    if live:
        publish(page)
    return page


def logged_as_of(when: datetime.datetime) -> None:
    """Pretend every row so far was written (and synced) at ``when``."""
    TrainerChange.objects.update(at=when)


@pytest.mark.django_db
def test_a_credential_lapsing_after_an_app_synced_is_resent_exactly_once(gql):
    directory = make_directory()
    today = timezone.localdate()
    lapsed = profile_with_credential(directory, today - days(1))
    still_current = profile_with_credential(directory, today)
    never_expires = profile_with_credential(directory, None)
    # Published and synced yesterday evening, while every credential was current.
    logged_as_of(start_of_today() - datetime.timedelta(hours=1))
    copy: dict = {}
    cursor = sync(gql, copy)
    assert set(copy) == {str(p.pk) for p in (lapsed, still_current, never_expires)}

    assert expire_sync().startswith("Logged 1 ")
    batch = gql.data(SYNC, {"cursor": cursor})["trainerSync"]

    assert [item["id"] for item in batch["changed"]] == [str(lapsed.pk)]
    assert [c["isCurrent"] for c in batch["changed"][0]["credentials"]] == [False]
    assert batch["removedIds"] == []
    # A second run (cron again, the same day or the next) adds nothing.
    rows = TrainerChange.objects.count()
    assert expire_sync().startswith("Logged 0 ")
    assert TrainerChange.objects.count() == rows
    again = gql.data(SYNC, {"cursor": batch["nextCursor"]})["trainerSync"]
    assert again["changed"] == []
    assert again["removedIds"] == []


@pytest.mark.django_db
def test_the_workers_run_the_expiry_sync_on_their_own_timer(caplog):
    from worker import periodic

    directory = make_directory()
    page = profile_with_credential(directory, timezone.localdate() - days(1))
    logged_as_of(start_of_today() - datetime.timedelta(hours=1))
    rows = TrainerChange.objects.count()
    job = periodic.get("command.sync_credential_expiry")
    assert job.every() == settings.WORKER_PERIODIC_COMMANDS["sync_credential_expiry"]

    with caplog.at_level("INFO", logger="worker"):
        assert periodic.run_if_due(job, "worker-a") is True
        # The slot is taken until the interval has passed: no second run.
        assert periodic.run_if_due(job, "worker-b") is False

    new = TrainerChange.objects.order_by("id")[rows:].values_list("page_id", flat=True)
    assert list(new) == [page.pk]
    assert "sync_credential_expiry: Logged 1 trainer profile(s)" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_logged", "resent"),
    [
        (datetime.timedelta(microseconds=-1), True),  # an app may hold old flags
        (datetime.timedelta(0), False),  # every fetch was after the lapse
        (datetime.timedelta(hours=1), False),
    ],
    ids=["logged-before-midnight", "logged-at-midnight", "logged-after-midnight"],
)
def test_a_profile_is_resent_only_if_its_credential_lapsed_after_its_last_row(
    last_logged, resent
):
    directory = make_directory()
    page = profile_with_credential(directory, timezone.localdate() - days(1))
    logged_as_of(start_of_today() + last_logged)
    rows = TrainerChange.objects.count()

    expire_sync()

    new = list(
        TrainerChange.objects.order_by("id")[rows:].values_list("page_id", "kind")
    )
    assert new == ([(page.pk, TrainerChange.Kind.UPSERT)] if resent else [])


@pytest.mark.django_db
def test_missed_cron_runs_catch_up_and_profiles_without_rows_are_logged():
    directory = make_directory()
    long_ago = profile_with_credential(directory, timezone.localdate() - days(30))
    logged_as_of(start_of_today() - days(60))
    unlogged = profile_with_credential(directory, timezone.localdate() - days(2))
    TrainerChange.objects.filter(page_id=unlogged.pk).delete()

    expire_sync()

    assert set(
        TrainerChange.objects.filter(at__gte=start_of_today()).values_list(
            "page_id", flat=True
        )
    ) == {long_ago.pk, unlogged.pk}


@pytest.mark.django_db
def test_hidden_profiles_get_no_upsert_for_a_lapsed_credential():
    directory = make_directory()
    page = profile_with_credential(directory, timezone.localdate() - days(1))
    page.refresh_from_db()
    page.unpublish()
    draft = profile_with_credential(
        directory, timezone.localdate() - days(1), live=False
    )
    logged_as_of(start_of_today() - days(1))
    rows = TrainerChange.objects.count()

    assert expire_sync().startswith("Logged 0 ")
    assert TrainerChange.objects.count() == rows
    assert not TrainerChange.objects.filter(page_id=draft.pk).exists()


@pytest.mark.django_db
def test_cached_sync_responses_are_invalidated_when_a_lapse_is_logged(gql, settings):
    settings.GRAPHQL_RESPONSE_CACHE = True
    directory = make_directory()
    page = profile_with_credential(directory, timezone.localdate() - days(1))
    logged_as_of(start_of_today() - days(1))
    cursor = sync(gql, {})
    assert gql.data(SYNC, {"cursor": cursor})["trainerSync"]["changed"] == []  # cached

    expire_sync()

    changed = gql.data(SYNC, {"cursor": cursor})["trainerSync"]["changed"]
    assert [item["id"] for item in changed] == [str(page.pk)]


# 3. An ancestor's publish state --------------------------------------------


@pytest.mark.django_db
def test_unpublishing_and_republishing_the_directory_reaches_synced_apps(gql):
    directory = make_directory()
    pages = [publish(TrainerProfilePageFactory(parent=directory)) for _ in range(2)]
    copy: dict = {}
    cursor = sync(gql, copy)
    assert set(copy) == {str(p.pk) for p in pages}

    directory.refresh_from_db()
    directory.unpublish()  # the profiles stay live, under a draft parent
    cursor = sync(gql, copy, cursor)
    assert copy == {}

    publish(directory)
    sync(gql, copy, cursor)
    assert headlines(copy) == live_headlines()
    assert set(copy) == {str(p.pk) for p in pages}


@pytest.mark.django_db
def test_an_expired_directory_tombstones_its_profiles_once_publish_scheduled_runs(
    gql,
):
    directory = make_directory()
    page = publish(TrainerProfilePageFactory(parent=directory))
    copy: dict = {}
    cursor = sync(gql, copy)
    directory.refresh_from_db()
    directory.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    directory.save()

    call_command("publish_scheduled", verbosity=0)
    sync(gql, copy, cursor)

    assert str(page.pk) not in copy


@pytest.mark.django_db
def test_editing_a_visible_directory_logs_nothing_for_its_profiles():
    directory = make_directory()
    publish(TrainerProfilePageFactory(parent=directory))
    rows = TrainerChange.objects.count()
    directory.refresh_from_db()
    directory.intro = "New intro"

    publish(directory)

    assert TrainerChange.objects.count() == rows

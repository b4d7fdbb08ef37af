"""Failed jobs come back with backoff, then rest as dead letters; jobs of a
worker that died are queued again."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from worker import recovery
from worker.models import WorkerHeartbeat
from worker.tests.helpers import DATABASE_TASKS, run_worker_until_idle
from worker.tests.jobs import fails_until, looks_up_a_missing_row

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def database_tasks(settings, db):
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_TASK_MAX_ATTEMPTS = 3


def test_a_failed_job_runs_again_after_its_backoff(traveller):
    result = fails_until.enqueue("flaky", 1)

    run_worker_until_idle()

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.run_after) == (
        "READY",
        T0 + datetime.timedelta(seconds=10),
    )
    traveller.shift(9)
    run_worker_until_idle()
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"

    traveller.shift(1)
    run_worker_until_idle()

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value, len(row.worker_ids)) == (
        "SUCCESSFUL",
        2,
        2,
    )


def test_a_job_that_keeps_failing_ends_as_a_dead_letter(traveller):
    result = fails_until.enqueue("broken", 100)

    for backoff in (0, 10, 60):
        traveller.shift(backoff)
        run_worker_until_idle()

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, len(row.worker_ids), row.exception_class_path) == (
        "FAILED",
        3,
        "builtins.RuntimeError",
    )
    traveller.shift(3600)
    run_worker_until_idle()
    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 3


def test_a_job_whose_object_is_gone_is_not_retried(traveller):
    result = looks_up_a_missing_row.enqueue()

    run_worker_until_idle()

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, len(row.worker_ids)) == ("FAILED", 1)


def test_jobs_of_a_dead_worker_are_queued_again(traveller, settings):
    settings.WORKER_ORPHAN_SECONDS = 60
    orphan = fails_until.enqueue("orphan", 0)
    busy = fails_until.enqueue("busy", 0)
    DBTaskResult.objects.filter(pk=orphan.id).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["killed"]
    )
    DBTaskResult.objects.filter(pk=busy.id).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["alive"]
    )
    recovery.beat("killed", timezone.now())
    traveller.shift(61)
    recovery.beat("alive", timezone.now() - datetime.timedelta(seconds=61))

    assert recovery.recover_orphans() == 1

    statuses = {
        str(pk): s for pk, s in DBTaskResult.objects.values_list("id", "status")
    }
    assert (statuses[orphan.id], statuses[busy.id]) == ("READY", "RUNNING")
    assert list(
        WorkerHeartbeat.objects.order_by("pk").values_list("pk", flat=True)
    ) == [
        "alive",
        "killed",
    ]
    run_worker_until_idle()
    assert DBTaskResult.objects.get(pk=orphan.id).status == "SUCCESSFUL"


@pytest.fixture
def traveller():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller

"""Retries, dead letters and crash recovery for jobs on the database backend.

django-tasks runs a job once. Here a failed job is put back in the queue with
exponential backoff until ``WORKER_TASK_MAX_ATTEMPTS`` runs have failed; then
it stays FAILED, the dead-letter state that admins see under Reports >
Background jobs. A job whose exception says the object is gone
(``DoesNotExist``) is not retried. A job left RUNNING by a worker that died
(``kill -9``) is queued again once that worker's heartbeat is older than
``WORKER_ORPHAN_SECONDS``. Every job in this project, and Wagtail's index
jobs, may run twice without harm.
"""

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("worker")

# Seconds before the 2nd, 3rd, ... run of a failed job.
TASK_BACKOFF = (10, 60, 300, 1800, 3600)
PERMANENT_ERRORS = ("DoesNotExist",)


def interval() -> float:
    return max(settings.WORKER_ORPHAN_SECONDS / 2, 1)


def task_backoff(attempts: int) -> int:
    return TASK_BACKOFF[min(attempts, len(TASK_BACKOFF)) - 1]


def _retry_failed(sender, task_result, **kwargs):
    from django_tasks import TaskResultStatus
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if task_result.status != TaskResultStatus.FAILED:
        return
    if not (isinstance(sender, type) and issubclass(sender, DatabaseBackend)):
        return
    row = task_result.db_result
    attempts = len(row.worker_ids)
    if attempts >= settings.WORKER_TASK_MAX_ATTEMPTS:
        logger.error("job %s (%s) failed for good", row.pk, row.task_path)
        return
    if row.exception_class_path.endswith(PERMANENT_ERRORS):
        return
    run_after = timezone.now() + datetime.timedelta(seconds=task_backoff(attempts))
    DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )


def connect() -> None:
    from django_tasks.signals import task_finished

    task_finished.connect(_retry_failed, dispatch_uid="worker.recovery.retry")


def beat(worker_id: str, started_at) -> None:
    from worker.models import WorkerHeartbeat

    now = timezone.now()
    # UPDATE, then INSERT: single statements, never a read-then-write
    # transaction (which SQLite may refuse while another process writes).
    if WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now):
        return
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname=socket.gethostname()[:255],
        pid=os.getpid(),
        started_at=started_at,
        last_seen=now,
    )


def forget(worker_id: str) -> None:
    from worker.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_orphans(now=None) -> int:
    """Queue again the jobs whose worker stopped beating; return how many."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from worker.models import WorkerHeartbeat

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.WORKER_ORPHAN_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list(
            "worker_id", flat=True
        )
    )
    requeued = 0
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).only("pk", "worker_ids")
    for row in running:
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        if len(row.worker_ids) >= settings.WORKER_TASK_MAX_ATTEMPTS:
            changes = {
                "status": TaskResultStatus.FAILED,
                "finished_at": now,
                "exception_class_path": "worker.recovery.WorkerLost",
                "traceback": "The worker running this job stopped.",
            }
        else:
            changes = {"status": TaskResultStatus.READY, "run_after": now}
        requeued += DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING
        ).update(**changes)
    WorkerHeartbeat.objects.filter(
        last_seen__lt=now - datetime.timedelta(days=1)
    ).delete()
    if requeued:
        logger.warning("queued %d job(s) again after their worker stopped", requeued)
    return requeued


def prune_finished(now=None) -> int:
    """Delete successful job rows older than a day; failed ones stay."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    deleted, _ = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL),
        finished_at__lt=now - datetime.timedelta(days=1),
    ).delete()
    return deleted

"""Periodic jobs run by the workers, each slot by exactly one of them.

Every worker ticks through the registered jobs; a job whose ``next_run_at``
has come is claimed with one conditional UPDATE that moves ``next_run_at``
on and takes a lease. Only the worker whose UPDATE matched runs it, so two
workers never run the same slot, nor the same job at once. A lease held by
a worker whose heartbeat stopped is free again at once; a lease outlives
its job by ``LEASE_SECONDS`` at most.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger("worker")

LEASE_SECONDS = 600


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    every: Callable[[], float]


_jobs: dict[str, Job] = {}


def register(name: str, func, *, every) -> None:
    """Register ``func`` to run every ``every()`` seconds on some worker."""
    _jobs[name] = Job(name, func, every)


def jobs() -> list[Job]:
    return list(_jobs.values())


def get(name: str) -> Job:
    return _jobs[name]


def _alive_workers(now):
    from django.conf import settings

    from worker.models import WorkerHeartbeat

    cutoff = now - datetime.timedelta(seconds=settings.WORKER_ORPHAN_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values("worker_id")


def claim(name: str, worker_id: str, every: float, now=None) -> bool:
    """Take the current slot of job ``name``; True if this worker runs it."""
    from worker.models import PeriodicJob

    now = now or timezone.now()
    if not PeriodicJob.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                PeriodicJob.objects.create(name=name, next_run_at=now)
        except IntegrityError:
            pass  # another worker created it first
    free = (
        Q(locked_until__isnull=True)
        | Q(locked_until__lt=now)
        | ~Q(locked_by__in=_alive_workers(now))
        | Q(locked_by=worker_id)
    )
    updated = (
        PeriodicJob.objects.filter(name=name, next_run_at__lte=now)
        .filter(free)
        .update(
            next_run_at=now + datetime.timedelta(seconds=every),
            locked_until=now + datetime.timedelta(seconds=LEASE_SECONDS),
            locked_by=worker_id,
            last_started_at=now,
            runs=F("runs") + 1,
        )
    )
    return updated == 1


def release(name: str, worker_id: str, error: str = "") -> None:
    from worker.models import PeriodicJob

    PeriodicJob.objects.filter(name=name, locked_by=worker_id).update(
        locked_until=None, last_finished_at=timezone.now(), last_error=error[:4000]
    )


def run_if_due(job: Job, worker_id: str) -> bool:
    """Run ``job`` if its slot is due and this worker wins it."""
    if not claim(job.name, worker_id, job.every()):
        return False
    error = ""
    try:
        job.func()
    except Exception as exc:
        logger.exception("periodic job %s failed", job.name)
        error = f"{type(exc).__name__}: {exc}"
    finally:
        release(job.name, worker_id, error)
    return True

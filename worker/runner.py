"""The worker process: django-tasks-db's job loop plus the periodic jobs.

The main thread runs django-tasks-db's ``Worker`` (priority order, ``SELECT
... FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive transaction on
SQLite). A second thread beats the heartbeat and runs the periodic jobs
(``worker.periodic``). SIGTERM or SIGINT stops taking jobs, lets the
running job and periodic job finish, then exits; a second signal exits at
once. Either way nothing is lost: job rows stay in the database, and a job
cut off is queued again (``worker.recovery``).
"""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from worker import periodic, recovery
from worker.db import prefer_immediate_transactions

logger = logging.getLogger("worker")


class Scheduler(threading.Thread):
    """Heartbeat and periodic jobs, in a thread beside the job loop."""

    tick = 0.25

    def __init__(self, worker_id: str, *, periodic_jobs: bool = True):
        super().__init__(name="worker-scheduler", daemon=True)
        self.worker_id = worker_id
        self.periodic_jobs = periodic_jobs
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.next_check: dict[str, float] = {}

    def run(self):
        next_beat = 0.0
        try:
            while not self.stopping.is_set():
                now = time.monotonic()
                if now >= next_beat:
                    self.safely(recovery.beat, self.worker_id, self.started_at)
                    next_beat = now + settings.WORKER_HEARTBEAT_SECONDS
                if self.periodic_jobs:
                    for job in periodic.jobs():
                        if self.stopping.is_set():
                            break
                        if now >= self.next_check.get(job.name, 0.0):
                            self.next_check[job.name] = now + min(job.every(), 5)
                            self.safely(periodic.run_if_due, job, self.worker_id)
                self.stopping.wait(self.tick)
        finally:
            connection.close()

    def safely(self, func, *args):
        try:
            close_old_connections()
            return func(*args)
        except Exception:
            logger.exception("worker scheduler: %s failed", func.__name__)
            close_old_connections()
            return None

    def stop(self):
        self.stopping.set()


def new_worker_id() -> str:
    return get_random_string(32)


def run(
    *,
    worker_id: str | None = None,
    interval: float | None = None,
    periodic_jobs: bool = True,
    batch: bool = False,
    max_tasks: int | None = None,
) -> None:
    """Run the job loop until a signal (or, with ``batch``, an empty queue)."""
    worker_id = worker_id or new_worker_id()
    prefer_immediate_transactions()
    if interval is None:
        interval = settings.WORKER_POLL_INTERVAL_MS / 1000
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    scheduler = Scheduler(worker_id, periodic_jobs=periodic_jobs)
    scheduler.start()
    logger.info("worker %s started", worker_id)
    try:
        if not batch:
            worker.configure_signals()
        worker.run()
    finally:
        scheduler.stop()
        scheduler.join()
        try:
            recovery.forget(worker_id)
        except Exception:
            logger.warning("could not remove the heartbeat", exc_info=True)
        logger.info("worker %s stopped", worker_id)

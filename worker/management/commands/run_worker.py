"""Run a background worker: jobs, periodic jobs, webhook deliveries.

Run any number of them (``make worker``); they share the queue in the
database. ``make run`` starts one beside the development server.
"""

from django.core.management.base import BaseCommand, CommandError

from worker import runner
from worker.queue import is_database_backend


class Command(BaseCommand):
    help = "Run a background worker (jobs, scheduled publishing, webhooks)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between polls when idle (default WORKER_POLL_INTERVAL_MS).",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="Do not run periodic jobs (scheduled publishing, sweeper).",
        )
        parser.add_argument("--worker-id", default=None)
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued, then exit."
        )

    def handle(self, *args, **options):
        from worker.tasks import noop

        if not is_database_backend(noop):
            raise CommandError(
                "run_worker needs the database task backend "
                "(TASKS_BACKEND=django_tasks_db.DatabaseBackend)"
            )
        worker_id = options["worker_id"] or runner.new_worker_id()
        self.stdout.write(f"Worker {worker_id} started; Ctrl-C stops it.")
        self.stdout.flush()
        runner.run(
            worker_id=worker_id,
            interval=options["interval"],
            periodic_jobs=not options["no_periodic"],
            batch=options["batch"],
        )

"""Enqueueing that follows the caller's transaction.

With the database backend a job row written inside a transaction commits or
rolls back with it (the transactional outbox), so it is enqueued at once.
Any other backend (the immediate backend in tests, RQ) would run or publish
the job before the transaction commits, so it is enqueued on commit instead.
"""

from django.db import transaction


def is_database_backend(task) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_with_transaction(task, *args, **kwargs) -> None:
    if is_database_backend(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def enqueue_later(task, run_after, *args) -> bool:
    """Enqueue ``task`` to run at ``run_after`` where the backend can defer
    jobs; False where it cannot (the periodic sweeper then picks it up)."""
    backend = task.get_backend()
    if not backend.supports_defer:
        return False
    enqueue_with_transaction(task.using(run_after=run_after), *args)
    return True

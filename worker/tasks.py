from django_tasks import task


@task()
def noop() -> None:
    """Does nothing; the worker tests and health checks enqueue it."""

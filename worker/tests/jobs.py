"""Jobs the worker tests enqueue (tasks must live at module level)."""

from django.core.cache import cache
from django_tasks import task


@task()
def fails_until(key: str, successes_after: int) -> int:
    runs = cache.get_or_set(key, 0) + 1
    cache.set(key, runs)
    if runs <= successes_after:
        raise RuntimeError(f"run {runs} fails")
    return runs


@task()
def looks_up_a_missing_row() -> None:
    from worker.models import PeriodicJob

    PeriodicJob.objects.get(name="no such job")

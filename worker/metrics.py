"""The worker's Prometheus families (``cms.metrics``): job outcomes as jobs
finish, and the queue depth, read from the jobs table at scrape time."""

from django_tasks import TaskResultStatus

from cms import metrics

OUTCOMES = {TaskResultStatus.SUCCESSFUL: "succeeded", TaskResultStatus.FAILED: "failed"}


def count_finished(sender, task_result, **kwargs) -> None:
    """``task_finished``: one sample per job run, by task and outcome."""
    metrics.WORKER_JOBS.labels(
        task=task_result.task.module_path,
        outcome=OUTCOMES.get(task_result.status, "other"),
    ).inc()


def queue_depth() -> dict[str, int]:
    """Jobs ready to run, by queue name."""
    from django.db.models import Count
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .values_list("queue_name")
        .annotate(count=Count("id"))
        .order_by()
    )
    return dict(rows)


def connect() -> None:
    from django_tasks.signals import task_finished

    task_finished.connect(count_finished, dispatch_uid="worker.metrics.finished")
    metrics.set_queue_depth_source(queue_depth)

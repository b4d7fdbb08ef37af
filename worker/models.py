from django.db import models


class PeriodicJob(models.Model):
    """One periodic job shared by every worker: who runs it, and when next.

    A worker runs a job only after moving ``next_run_at`` forward and taking
    the lease in one conditional UPDATE (``worker.periodic.claim``), so two
    workers never run the same slot, nor the same job at once.
    """

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=64, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "periodic job"

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """A running worker process; ``last_seen`` moves every few seconds.

    A job or lease held by a worker whose heartbeat stopped (``kill -9``, a
    lost machine) is taken over by the others (``worker.recovery``).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"

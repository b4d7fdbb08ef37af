from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "worker"
    verbose_name = "Background worker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from worker import commands, metrics, periodic, recovery, scheduled

        recovery.connect()
        metrics.connect()
        periodic.register(
            "worker.publish_scheduled",
            scheduled.publish_scheduled,
            every=scheduled.interval,
        )
        periodic.register(
            "worker.recover_orphans", recovery.recover_orphans, every=recovery.interval
        )
        periodic.register("worker.prune", recovery.prune_finished, every=lambda: 3600)
        commands.register_all(periodic.register)

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from webhooks import delivery, events
        from worker import periodic

        events.connect()
        periodic.register("webhooks.sweep", delivery.sweep, every=delivery.interval)
        periodic.register("webhooks.prune", delivery.prune, every=lambda: 3600)

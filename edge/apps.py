from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
    label = "edge"
    verbose_name = "Edge caching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from edge import signals

        signals.connect()

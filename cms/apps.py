from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content service"

    def ready(self):
        from cms.graphql import checks, signals  # noqa: F401

        signals.connect()

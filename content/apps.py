from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self):
        # Connect the trainer change-log receivers (incremental sync).
        from content.trainers import services  # noqa: F401

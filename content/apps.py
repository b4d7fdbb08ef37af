from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self):
        # Connect the trainer change-log receivers (incremental sync).
        from content.engagement import services as engagement
        from content.trainers import services  # noqa: F401

        # Comment saves and deletes from the admin bump the response cache
        # when the public sees the change.
        engagement.connect()

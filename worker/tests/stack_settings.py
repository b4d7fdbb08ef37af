"""Settings of the processes the worker tests start: the test settings on a
SQLite file, with the database task backend and a fast worker."""

from cms.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

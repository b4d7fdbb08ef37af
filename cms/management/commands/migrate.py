"""``migrate`` with a lock timeout and without the API's statement timeout.

On PostgreSQL every connection starts with ``statement_timeout`` =
``DB_STATEMENT_TIMEOUT_MS`` (5 s), which suits API queries but would cancel
a long data migration or index build halfway. Here the migration session
runs with ``statement_timeout = 0`` and ``lock_timeout`` =
``DB_MIGRATION_LOCK_TIMEOUT_MS`` (10 s): a migration that waits for a table
lock held by live traffic gives up (and can be retried) instead of queueing
every request behind it. Other databases migrate as before.
"""

from django.conf import settings
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created


def session_settings() -> list[str]:
    lock_timeout = int(settings.DB_MIGRATION_LOCK_TIMEOUT_MS)
    return [
        "SET statement_timeout = 0",
        f"SET lock_timeout = {lock_timeout}",
    ]


def apply_session_settings(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in session_settings():
            cursor.execute(statement)


class Command(migrate.Command):
    help = migrate.Command.help + (
        " On PostgreSQL: lock_timeout DB_MIGRATION_LOCK_TIMEOUT_MS, "
        "no statement timeout."
    )

    def handle(self, *args, **options):
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]

        def on_connect(sender, connection, **kwargs):
            # A migration that reconnects keeps the same session settings.
            if connection.alias == alias:
                apply_session_settings(connection)

        connection_created.connect(on_connect, weak=False)
        try:
            if connection.connection is not None:
                apply_session_settings(connection)
            return super().handle(*args, **options)
        finally:
            connection_created.disconnect(on_connect)
            if connection.vendor == "postgresql" and connection.connection:
                # Back to the API's settings for whoever uses it next.
                with connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
                    cursor.execute("RESET lock_timeout")

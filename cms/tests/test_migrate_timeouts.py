"""``migrate`` on PostgreSQL: a lock timeout, and no API statement timeout."""

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models.signals import post_migrate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL session settings"
    ),
]


def show(cursor, name: str) -> str:
    cursor.execute(f"SHOW {name}")
    return cursor.fetchone()[0]


def test_migrate_runs_with_a_lock_timeout_and_without_the_statement_timeout(
    settings,
):
    settings.DB_MIGRATION_LOCK_TIMEOUT_MS = 1234
    seen = []

    def during_migrate(sender, using, **kwargs):
        with connections[using].cursor() as cursor:
            if not seen:
                # Longer than the statement timeout the API runs with below.
                cursor.execute("SELECT pg_sleep(0.3)")
            seen.append(
                (show(cursor, "statement_timeout"), show(cursor, "lock_timeout"))
            )

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")  # ms, as an API session
        assert show(cursor, "lock_timeout") == "0"
    post_migrate.connect(during_migrate, weak=False, dispatch_uid="test-migrate")
    try:
        call_command("migrate", verbosity=0, interactive=False)
    finally:
        post_migrate.disconnect(dispatch_uid="test-migrate")

    assert len(seen) > 1
    assert set(seen) == {("0", "1234ms")}
    # Afterwards the connection is back on its own settings: the statement
    # timeout every connection starts with (DB_STATEMENT_TIMEOUT_MS).
    with connection.cursor() as cursor:
        assert show(cursor, "statement_timeout") == (
            f"{settings.DB_STATEMENT_TIMEOUT_MS // 1000}s"
        )
        assert show(cursor, "lock_timeout") == "0"


def test_a_statement_over_the_api_timeout_is_cancelled_outside_migrate():
    from django.db import OperationalError

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(0.3)")

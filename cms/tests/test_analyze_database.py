from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page


@pytest.mark.django_db
def test_analyze_database_refreshes_the_planner_statistics():
    out = StringIO()
    call_command("analyze_database", stdout=out)
    assert f"Analysed the {connection.vendor} database." in out.getvalue()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT tbl, stat FROM sqlite_stat1")
            tables = {table for table, _stat in cursor.fetchall()}
        assert Page._meta.db_table in tables


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement timeout")
def test_analyze_is_not_bound_by_the_api_statement_timeout():
    from cms.db import analyze

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 1")  # ms; rolled back with the test
        analyze()  # would be cancelled at 1 ms otherwise
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("1ms",)  # and the timeout is back

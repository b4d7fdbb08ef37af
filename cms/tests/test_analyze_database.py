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

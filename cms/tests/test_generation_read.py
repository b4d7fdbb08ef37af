"""The per-request generation read doubles as the connection health check.

PostgreSQL only: there ``DATABASE_URL`` turns on ``CONN_HEALTH_CHECKS``, and a
stale connection can be reconnected without losing the test database.
"""

from unittest import mock

import pytest
from django.core.signals import request_started
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.graphql import cache as response_cache

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="health checks: PostgreSQL"
    ),
]


@pytest.fixture
def checked_connection(settings):
    settings.CACHES = {  # per-process cache: the generation lives in the database
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    response_cache.current_generation()  # a persistent connection exists
    request_started.send(sender=None)  # a new request: Django's check is due
    assert not connection.health_check_done


def test_a_request_probes_its_connection_once_with_the_generation_read(
    checked_connection,
):
    generation = response_cache.current_generation()  # the row exists now
    request_started.send(sender=None)
    with (
        mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as probe,
        CaptureQueriesContext(connection) as captured,
    ):
        assert response_cache.current_generation() == generation
        # Later queries in the same request are not probed either.
        connection.cursor().execute("SELECT 1")
    assert probe.call_count == 0
    assert len(captured.captured_queries) == 2
    assert connection.health_check_done


def test_a_stale_connection_is_replaced_and_the_read_succeeds(checked_connection):
    generation = response_cache.current_generation()
    request_started.send(sender=None)
    stale = connection.connection
    stale.close()  # as when the database restarts under a persistent connection

    assert response_cache.current_generation() == generation
    assert connection.connection is not stale
    assert not connection.connection.closed

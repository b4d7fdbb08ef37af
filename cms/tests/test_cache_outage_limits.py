"""The bounds of the outage fallbacks: how stale an answer may be served, and
the generation bump owed once Redis answers again."""

import time

import pytest

from cms.graphql import cache as response_cache
from cms.redis_cache import breaker


@pytest.fixture
def shared_cache(settings, tmp_path):
    # A cache every process sees (as Redis): the generation lives there.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


def test_a_stale_answer_is_served_only_within_its_bound(settings, time_machine):
    settings.GRAPHQL_STALE_IF_ERROR_SECONDS = 100
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    response_cache.set_response("gql:resp:k", '{"data":{}}', timeout=30)

    time_machine.shift(30)  # no longer fresh, still within the bound
    assert response_cache.get_response("gql:resp:k") is None
    assert response_cache.get_stale_response("gql:resp:k") == ('{"data":{}}', 30)

    time_machine.shift(100)  # 30 s fresh + 100 s stale have passed
    assert response_cache.get_stale_response("gql:resp:k") is None


def test_the_first_read_after_redis_answers_again_bumps_the_generation(
    shared_cache, monkeypatch
):
    monkeypatch.setattr(breaker, "recoveries", breaker.recoveries)
    monkeypatch.setattr(breaker, "failing", False)
    before = response_cache.current_generation()
    assert response_cache.current_generation() == before

    # A publish's bump failed while Redis was down; then it answered again.
    breaker.failed(ConnectionError("down"))
    breaker.succeeded()
    monkeypatch.setattr(breaker, "open_until", time.monotonic())

    after = response_cache.current_generation()
    assert after != before
    assert response_cache.current_generation() == after  # once, not each read

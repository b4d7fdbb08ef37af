"""The endpoint's settings object: built once, rebuilt when a setting changes."""

from pathlib import Path

from cms.graphql.config import Limits, RateLimits, build, graphql_settings

ROOT = Path(__file__).resolve().parents[2]


def test_partial_limits_override_the_defaults_and_unknown_keys_are_ignored():
    limits = Limits.from_setting({"MAX_DEPTH": 3, "max_cost": 7, "MAX_WIDTH": 1})

    assert limits == Limits(max_depth=3, max_cost=7)
    assert (limits.max_body_bytes, limits.max_tokens) == (128 * 1024, 5000)


def test_the_object_is_built_once_and_again_after_a_setting_changes(settings):
    first = graphql_settings()
    assert graphql_settings() is first

    settings.GRAPHQL_LIMITS = {"MAX_ALIASES": 2}
    settings.GRAPHQL_SAFELIST = True

    changed = graphql_settings()
    assert changed is not first
    assert changed.limits == Limits(max_aliases=2)
    assert changed.safelist is True


def test_the_test_settings_are_read(settings):
    current = graphql_settings()

    assert current.production is True
    assert current.response_cache is False
    assert current.visibility_cache is False
    assert current.rate_limits == RateLimits(
        enabled=True, window_seconds=60, requests=100_000, cost=100_000_000
    )
    assert current.operations_dir == ROOT / "frontend_contract" / "operations"


def test_production_mode_needs_debug_and_introspection_off_either(settings):
    for debug, introspection, production in (
        (False, False, True),
        (True, False, True),
        (False, True, True),
        (True, True, False),
    ):
        settings.DEBUG = debug
        settings.GRAPHQL_INTROSPECTION = introspection
        assert graphql_settings().production is production


def test_a_timeout_of_zero_or_less_means_no_deadline(settings):
    for timeout, expected in ((0, None), (-5, None), (250, 250)):
        settings.GRAPHQL_REQUEST_TIMEOUT_MS = timeout
        assert graphql_settings().request_timeout_ms == expected


def test_window_and_proxy_count_are_at_least_one(settings):
    settings.GRAPHQL_RATE_LIMIT_WINDOW = 0
    settings.GRAPHQL_TRUSTED_PROXY_COUNT = -2
    settings.GRAPHQL_API_KEYS = ["a", "b", "a"]

    limits = graphql_settings().rate_limits

    assert (limits.window_seconds, limits.trusted_proxy_count) == (1, 1)
    assert limits.api_keys == frozenset({"a", "b"})


def test_missing_settings_take_the_defaults(settings):
    # Deleting sends no setting_changed: build afresh rather than reading the
    # kept object.
    del settings.GRAPHQL_LIMITS
    del settings.GRAPHQL_SAFELIST
    del settings.GRAPHQL_REQUEST_TIMEOUT_MS
    del settings.GRAPHQL_RATE_LIMIT_REQUESTS

    current = build()

    assert current.limits == Limits()
    assert current.safelist is False
    assert current.request_timeout_ms == 10000
    assert current.rate_limits.requests == 600


def test_no_graphql_module_reads_settings_with_a_default_of_its_own():
    offenders = [
        path.name
        for path in sorted((ROOT / "cms" / "graphql").rglob("*.py"))
        if path.name != "config.py" and "getattr(settings" in path.read_text()
    ]

    assert offenders == []

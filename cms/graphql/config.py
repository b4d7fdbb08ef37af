"""The endpoint's settings, read in one place: limits, rate limits, caching,
persisted queries, production mode.

``graphql_settings()`` builds one frozen ``GraphQLSettings`` from Django's
settings and keeps it until a setting changes (``setting_changed``, which
``override_settings`` and pytest-django's ``settings`` fixture send). The
defaults here apply when a settings module leaves a name out;
``cms/settings/base.py`` and ``cms/settings/graphql.py`` set every one from
the environment.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


@dataclass(frozen=True)
class Limits:
    """``GRAPHQL_LIMITS``: its keys (``MAX_DEPTH``...) override these."""

    max_body_bytes: int = 128 * 1024
    max_query_bytes: int = 32 * 1024
    max_tokens: int = 5000
    max_depth: int = 15
    max_aliases: int = 50
    max_fields: int = 2000
    max_directives: int = 50
    max_cost: int = 25000

    @classmethod
    def from_setting(cls, value: Mapping) -> "Limits":
        names = {f.name for f in fields(cls)}
        given = {key.lower(): bound for key, bound in value.items()}
        return cls(**{name: bound for name, bound in given.items() if name in names})


@dataclass(frozen=True)
class RateLimits:
    """Fixed-window limits per client (``cms.graphql.ratelimit``)."""

    enabled: bool = True
    window_seconds: int = 60
    requests: int = 600
    cost: int = 1_000_000
    api_keys: frozenset[str] = frozenset()
    trust_x_forwarded_for: bool = False
    trusted_proxy_count: int = 1


@dataclass(frozen=True)
class GraphQLSettings:
    limits: Limits = Limits()
    rate_limits: RateLimits = RateLimits()
    # Introspection, suggestions and raw errors need DEBUG and
    # GRAPHQL_INTROSPECTION; either off is production mode.
    production: bool = True
    expose_graphiql: bool = False
    # None: no deadline (GRAPHQL_REQUEST_TIMEOUT_MS unset, 0 or negative).
    request_timeout_ms: int | None = 10000
    document_cache_size: int = 512
    max_page_size: int = 50
    operations_dir: Path | None = None
    safelist: bool = False
    apq_timeout: int = 7 * 24 * 3600
    response_cache: bool = True
    response_cache_timeout: int = 300
    # How long past its freshness a cached response may still be served
    # while the database cannot be reached (cms.graphql.cache, stale-if-error).
    stale_if_error: int = 600
    cache_max_age: int = 60
    cache_invalidating_apps: frozenset[str] = frozenset()
    cache_ignored_models: frozenset[str] = frozenset()
    # PUBLIC_VISIBILITY_CACHE: the visibility snapshot (cms.selectors).
    visibility_cache: bool = True
    # BENCH_ENDPOINTS: make bench may ask to bypass the response cache.
    bench_endpoints: bool = False
    # DATA_UPLOAD_MAX_NUMBER_FIELDS: parameters in a GET query string.
    max_query_string_fields: int | None = 1000
    # GRAPHQL_MATERIALISED_TYPES (none with GRAPHQL_MATERIALISE=false): page
    # types kept completed per revision (cms.graphql.materialise), unless
    # the selection has one of GRAPHQL_MATERIALISE_VOLATILE_FIELDS.
    materialised_types: frozenset[str] = frozenset()
    materialise_volatile_fields: frozenset[str] = frozenset()


_DEFAULTS = GraphQLSettings()


def _read(name: str, default):
    return getattr(settings, name, default)


def _timeout(value) -> int | None:
    return value if value is not None and value > 0 else None


def build() -> GraphQLSettings:
    """A fresh ``GraphQLSettings`` from ``django.conf.settings``."""
    d, r = _DEFAULTS, _DEFAULTS.rate_limits
    return GraphQLSettings(
        limits=Limits.from_setting(_read("GRAPHQL_LIMITS", {})),
        rate_limits=RateLimits(
            enabled=bool(_read("GRAPHQL_RATE_LIMIT_ENABLED", r.enabled)),
            window_seconds=max(
                int(_read("GRAPHQL_RATE_LIMIT_WINDOW", r.window_seconds)), 1
            ),
            requests=int(_read("GRAPHQL_RATE_LIMIT_REQUESTS", r.requests)),
            cost=int(_read("GRAPHQL_RATE_LIMIT_COST", r.cost)),
            api_keys=frozenset(_read("GRAPHQL_API_KEYS", ())),
            trust_x_forwarded_for=bool(
                _read("GRAPHQL_TRUST_X_FORWARDED_FOR", r.trust_x_forwarded_for)
            ),
            trusted_proxy_count=max(
                int(_read("GRAPHQL_TRUSTED_PROXY_COUNT", r.trusted_proxy_count)), 1
            ),
        ),
        production=not (settings.DEBUG and _read("GRAPHQL_INTROSPECTION", False)),
        expose_graphiql=bool(_read("GRAPHQL_EXPOSE_GRAPHIQL", d.expose_graphiql)),
        request_timeout_ms=_timeout(
            _read("GRAPHQL_REQUEST_TIMEOUT_MS", d.request_timeout_ms)
        ),
        document_cache_size=_read("GRAPHQL_DOCUMENT_CACHE_SIZE", d.document_cache_size),
        max_page_size=int(_read("GRAPHQL_MAX_PAGE_SIZE", d.max_page_size)),
        operations_dir=_read("GRAPHQL_OPERATIONS_DIR", d.operations_dir),
        safelist=bool(_read("GRAPHQL_SAFELIST", d.safelist)),
        apq_timeout=_read("GRAPHQL_APQ_TIMEOUT", d.apq_timeout),
        response_cache=bool(_read("GRAPHQL_RESPONSE_CACHE", d.response_cache)),
        response_cache_timeout=_read(
            "GRAPHQL_RESPONSE_CACHE_TIMEOUT", d.response_cache_timeout
        ),
        stale_if_error=max(
            int(_read("GRAPHQL_STALE_IF_ERROR_SECONDS", d.stale_if_error)), 0
        ),
        cache_max_age=_read("GRAPHQL_CACHE_MAX_AGE", d.cache_max_age),
        cache_invalidating_apps=frozenset(_read("GRAPHQL_CACHE_INVALIDATING_APPS", ())),
        cache_ignored_models=frozenset(_read("GRAPHQL_CACHE_IGNORED_MODELS", ())),
        visibility_cache=bool(_read("PUBLIC_VISIBILITY_CACHE", d.visibility_cache)),
        bench_endpoints=bool(_read("BENCH_ENDPOINTS", d.bench_endpoints)),
        max_query_string_fields=_read(
            "DATA_UPLOAD_MAX_NUMBER_FIELDS", d.max_query_string_fields
        ),
        materialised_types=frozenset(
            _read("GRAPHQL_MATERIALISED_TYPES", ())
            if _read("GRAPHQL_MATERIALISE", True)
            else ()
        ),
        materialise_volatile_fields=frozenset(
            _read("GRAPHQL_MATERIALISE_VOLATILE_FIELDS", ())
        ),
    )


@functools.cache
def graphql_settings() -> GraphQLSettings:
    """The current ``GraphQLSettings``, built on first use."""
    return build()


@receiver(setting_changed)
def _forget(**_kwargs) -> None:
    graphql_settings.cache_clear()

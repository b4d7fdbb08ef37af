"""The one place that reads the process environment.

Settings modules call these helpers; a bad or missing value raises
``ImproperlyConfigured`` with one line naming the variable, which ``manage.py``
and the WSGI entry point print without a traceback.
"""

import os
from urllib.parse import quote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    """A configuration error caused by one environment variable."""


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise EnvError(f"{name} must be set (see .env.example)")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise EnvError(f"{name} must be a number, got {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_cidrs(name: str, default: list[str] | None = None) -> list[str]:
    """Comma-separated IP networks (``10.0.0.0/8``) or addresses."""
    import ipaddress

    values = env_list(name, default)
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise EnvError(
                f"{name} must list IP networks (e.g. 127.0.0.0/8), got {value!r}"
            ) from None
    return values


def env_url(name: str, default: str = "") -> str:
    value = env_str(name, default)
    if value:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise EnvError(f"{name} must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def url_origin(url: str) -> str:
    """The origin a browser sends for pages under ``url``: scheme://host[:port].

    Lower-cased, without path, query or the scheme's default port, as in the
    ``Origin`` header (and as ``CORS_ALLOWED_ORIGINS`` entries must be).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    suffix = f":{port}" if port and port != _DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host}{suffix}"


def with_origin_of(origins: list[str], url: str) -> list[str]:
    """``origins`` plus the origin of ``url`` (once), keeping their order."""
    origin = url_origin(url)
    return origins if origin in origins else [*origins, origin]


def env_database(name: str, default_sqlite_path: str) -> dict:
    """The database from a URL, or the SQLite file at ``default_sqlite_path``.

    The default goes through the same parsing as a configured URL, so it gets
    the same persistent connections (``CONN_MAX_AGE``), health checks and
    SQLite options as ``sqlite:///<that file>``.
    """
    raw = os.environ.get(name, "").strip()
    url = raw or "sqlite:///" + quote(default_sqlite_path)
    try:
        config = dj_database_url.parse(
            url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    except Exception:
        raise EnvError(
            f"{name} is not a valid database URL (expected e.g. "
            "postgres://user@host:5432/name or sqlite:///path.db)"
        ) from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise EnvError(f"{name} is not a valid database URL: no engine or name")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


# Seconds a worker keeps its database connection across requests; without it
# every request opens (and for SQLite, re-initialises) a new one.
CONN_MAX_AGE = 60

# Several workers share one SQLite file: write-ahead logging lets them read
# while another writes (a search counts its hit, an editor publishes), and a
# writer waits up to 20 s for the lock instead of failing at once.
SQLITE_OPTIONS = {
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    # A transaction takes the write lock when it begins: a deferred one that
    # read first fails at once ("database is locked") if another process
    # (the background worker) wrote meanwhile, instead of waiting.
    "transaction_mode": "IMMEDIATE",
}


def env_redis_url(name: str) -> str:
    value = env_str(name)
    if value and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
        raise EnvError(f"{name} must be a redis:// or rediss:// URL, got {value!r}")
    return value

"""What a new user gets: the settings built with nothing configured.

Each settings module is imported in a fresh interpreter with a controlled
environment, as ``make run`` / ``make serve`` would import it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from cms.env import SQLITE_OPTIONS, env_database

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE = str(ROOT / "db.sqlite3")
# Variables that would change what is measured here.
CLEARED = {
    "DATABASE_URL",
    "REDIS_URL",
    "CORS_ALLOWED_ORIGINS",
    "FRONTEND_BASE_URL",
    "LOG_FORMAT",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION_ENV = {
    "SECRET_KEY": "x7#kq" * 12,
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
}


def _env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(overrides)
    return env


def _run(script: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()[-1]


def settings_of(module: str, *names: str, **env) -> dict:
    """The named settings of ``module``, imported with ``env`` only."""
    script = (
        f"import json, {module} as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, "
        "default=str))"
    )
    return json.loads(_run(script, **env))


# --- the database -------------------------------------------------------------


def test_the_default_database_is_configured_like_a_sqlite_url_to_the_same_file():
    default = settings_of("cms.settings.production", "DATABASES", **PRODUCTION_ENV)
    configured = settings_of(
        "cms.settings.production",
        "DATABASES",
        DATABASE_URL=f"sqlite:///{DEFAULT_SQLITE}",
        **PRODUCTION_ENV,
    )
    assert default == configured
    assert default["DATABASES"]["default"] == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DEFAULT_SQLITE,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": False,
        "OPTIONS": SQLITE_OPTIONS,
    }


def test_the_default_sqlite_path_is_kept_verbatim(monkeypatch, tmp_path):
    # The path becomes a URL on the way through: characters that mean
    # something in a URL must come back out unchanged.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = str(tmp_path / "a dir #1" / "50% ?db.sqlite3")
    assert env_database("DATABASE_URL", path)["NAME"] == path


WSGI_TWO_REQUESTS = """
import json, os, sys
from cms.wsgi import application
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from django.test import RequestFactory

config = settings.DATABASES["default"]
default_name = config["NAME"]
# Only the file moves (the default is the checkout's db.sqlite3); every other
# connection setting is the one the default produced.
config["NAME"] = os.environ["DEFAULTS_TEST_SQLITE"]
opened = []
connection_created.connect(lambda **kwargs: opened.append(1), weak=False)
seen = []
for _ in range(2):
    statuses = []
    environ = RequestFactory().get("/readyz").environ
    body = application(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()  # sends request_finished, as gunicorn does
    seen.append((statuses[0], connections["default"].connection))
print(json.dumps({
    "default_name": default_name,
    "statuses": [status for status, _ in seen],
    "opened": len(opened),
    "kept": seen[0][1] is not None and seen[1][1] is seen[0][1],
}))
"""


def test_two_requests_on_the_default_database_share_one_connection(tmp_path):
    # Production settings under the WSGI application gunicorn serves, with
    # DATABASE_URL unset: the connection outlives request_finished.
    result = json.loads(
        _run(
            WSGI_TWO_REQUESTS,
            DJANGO_SETTINGS_MODULE="cms.settings.production",
            DEFAULTS_TEST_SQLITE=str(tmp_path / "default.sqlite3"),
            **PRODUCTION_ENV,
        )
    )
    assert result == {
        "default_name": DEFAULT_SQLITE,
        "statuses": ["200 OK", "200 OK"],
        "opened": 1,
        "kept": True,
    }

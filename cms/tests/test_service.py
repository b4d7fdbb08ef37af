"""The service skeleton: health probes, the GraphQL endpoint, settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails(client, monkeypatch):
    from cms import health

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connections["default"], "cursor", lambda: BrokenCursor())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "OperationalError" in response.json()["checks"]["database"]


@pytest.mark.django_db
def test_readyz_reports_redis_down_as_degraded_but_ready(client, settings):
    # The service keeps serving without Redis: a load balancer must not take
    # every host out because of it.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"] == {
        "database": "ok",
        "redis": "error: ConnectionError",
    }


@pytest.mark.django_db
def test_graphql_endpoint_answers_typename(gql):
    assert gql.data("{ __typename apiVersion }") == {
        "__typename": "Query",
        "apiVersion": "1.0.0",
    }


def test_public_schema_drops_grapple_root_fields():
    from cms.graphql.public_schema import schema

    root_fields = set(schema.graphql_schema.query_type.fields)
    leaky = {"pages", "page", "snippets", "redirects", "images", "documents"}
    assert not root_fields & leaky
    # `search` is the project's own (search/graphql.py), not grapple's.
    assert schema.graphql_schema.query_type.fields["search"].type.of_type.name == (
        "SearchResults"
    )


def test_grapple_and_graphene_django_are_last_installed_apps(settings):
    assert settings.INSTALLED_APPS[-2:] == ["grapple", "graphene_django"]


def _manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            # Set by the browser-test fixture in this process; not deployment.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage(
        "check", DJANGO_SETTINGS_MODULE="cms.settings.production", ALLOWED_HOSTS="x.org"
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: SECRET_KEY must be set (see .env.example)"
    ]


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage(
        "check", DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY="k" * 60
    )
    assert result.returncode == 2
    assert "ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr


def test_unparsable_database_url_names_the_variable():
    result = _manage(
        "check", DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL="nonsense://"
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_deploy_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x7#kq" * 12,
        ALLOWED_HOSTS="api.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wsgi_worker_loads_its_code_and_freezes_it_before_any_request():
    # No database is reachable here: the warm-up must not need one.
    script = (
        "import gc, sys, cms.wsgi; "
        "print(gc.get_freeze_count(), 'cms.graphql.public_schema' in sys.modules)"
    )
    result = _manage(
        "shell",
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x7#kq" * 12,
        ALLOWED_HOSTS="api.example.org",
        DATABASE_URL="sqlite:////nonexistent-directory/clinic.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    frozen, schema_loaded = result.stdout.splitlines()[-1].split()
    assert int(frozen) > 50_000
    assert schema_loaded == "True"


@pytest.mark.parametrize(
    ("error", "status"),
    [(OperationalError("server closed the connection"), 503), (KeyError("x"), 500)],
    ids=["database unreachable", "a bug"],
)
def test_a_database_outage_is_a_503_and_a_bug_stays_a_500(
    client, monkeypatch, error, status
):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("cms.health.JsonResponse", fail)
    client.raise_request_exception = False

    response = client.get("/healthz")

    assert response.status_code == status
    assert "Traceback" not in response.content.decode()
    assert response.has_header("Retry-After") is (status == 503)

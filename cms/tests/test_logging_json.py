"""``LOG_FORMAT=json``: every line a failing request writes is one JSON object.

The logging configuration is the one the settings build for ``json``
(``cms.settings.logs.logging_config``), applied with ``dictConfig`` as Django
does; its console handler writes to a buffer instead of standard error.
"""

import io
import json
import logging
import logging.config
import subprocess
import sys
from datetime import datetime, timedelta

import graphene
import pytest
from django.conf import settings
from django.test import Client
from django.urls import path
from django.utils.log import configure_logging

from cms.graphql.view import PublicGraphQLView
from cms.settings.logs import logging_config
from cms.tests.test_settings_defaults import PRODUCTION_ENV, ROOT, _env, settings_of

FAILURE = 'the "secret" value\nsecond line \\ end'


class Query(graphene.ObjectType):
    fails_with_quotes = graphene.String()

    def resolve_fails_with_quotes(self, info):
        raise RuntimeError(FAILURE)


def explode(request, word):
    raise ValueError(FAILURE)


# The real GraphQL view with a resolver that fails, and a plain view that does.
urlpatterns = [
    path("graphql/", PublicGraphQLView.as_view(schema=graphene.Schema(query=Query))),
    path("explode/<str:word>", explode),
]


@pytest.fixture
def json_log():
    logging.config.dictConfig(logging_config("json", "INFO"))
    (handler,) = logging.getLogger().handlers
    buffer = io.StringIO()
    handler.setStream(buffer)
    yield buffer
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def records(buffer) -> list[dict]:
    lines = buffer.getvalue().splitlines()
    return [json.loads(line) for line in lines]


def utc(timestamp: str) -> timedelta:
    return datetime.fromisoformat(timestamp).utcoffset()


@pytest.mark.urls(__name__)
def test_a_failing_resolver_writes_one_json_line_with_its_traceback(json_log):
    response = Client().post(
        "/graphql/",
        {"query": "{ failsWithQuotes }"},
        content_type="application/json",
    )
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    error_id = error["extensions"]["errorId"]

    # The error, then the request's own line (cms.request_log), one request id.
    record, request_line = records(json_log)
    assert list(record) == [
        "timestamp",
        "level",
        "logger",
        "message",
        "exc_info",
        "request_id",
    ]
    assert request_line["logger"] == "cms.request"
    assert record["request_id"] == request_line["request_id"]
    assert utc(record["timestamp"]) == timedelta(0)
    assert record["level"] == "ERROR"
    assert record["logger"] == "cms.graphql"
    assert record["message"] == (
        f"GraphQL resolver error (errorId={error_id}, path=['failsWithQuotes'])"
    )
    traceback = record["exc_info"]
    assert traceback.startswith("Traceback (most recent call last):\n")
    assert traceback.endswith(f"\nRuntimeError: {FAILURE}")


@pytest.mark.urls(__name__)
def test_a_500_writes_one_json_line_with_the_request_and_traceback(json_log):
    # Django's own error record: a quoted path in the message, a traceback,
    # and extra fields that are not JSON types (the request object).
    response = Client(raise_request_exception=False).get("/explode/%22q%22")
    assert response.status_code == 500

    record, request_line = records(json_log)
    assert list(record) == [
        "timestamp",
        "level",
        "logger",
        "message",
        "exc_info",
        "status_code",
        "request",
        "request_id",
    ]
    assert request_line["logger"] == "cms.request"
    assert request_line["status"] == 500
    assert record["request_id"] == request_line["request_id"]
    assert utc(record["timestamp"]) == timedelta(0)
    assert record["level"] == "ERROR"
    assert record["logger"] == "django.request"
    assert record["message"] == 'Internal Server Error: /explode/"q"'
    assert record["status_code"] == 500
    assert record["request"] == "<WSGIRequest: GET '/explode/%22q%22'>"
    assert record["exc_info"].startswith("Traceback (most recent call last):\n")
    assert record["exc_info"].endswith(f"\nValueError: {FAILURE}")


def test_log_format_json_selects_the_json_formatter_in_every_environment():
    for module, env in [
        ("cms.settings.dev", {}),
        ("cms.settings.production", PRODUCTION_ENV),
    ]:
        logging_setting = settings_of(module, "LOGGING", LOG_FORMAT="json", **env)
        assert logging_setting == {"LOGGING": logging_config("json", "INFO")}
        default = settings_of(module, "LOGGING", **env)
        assert default == {"LOGGING": logging_config("plain", "INFO")}


def test_an_unknown_log_format_is_refused_naming_the_variable():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="cms.settings.dev", LOG_FORMAT="jsonl"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: LOG_FORMAT must be plain or json, got 'jsonl'"
    ]

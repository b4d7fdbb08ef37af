"""Error reporting: one scrubbed event reaches a Sentry DSN on loopback.

A small HTTP server on 127.0.0.1 stands in for Sentry: the SDK posts
envelopes to ``/api/<project>/envelope/`` there, as it would to sentry.io.
"""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cms.sentry import init_sentry
from cms.tests.test_settings_defaults import PRODUCTION_ENV

API_KEY = "api-key-SentryNeverSees-7Qx"
PREVIEW_TOKEN = "preview-token-SentryNeverSees-2Lm"
PASSWORD = "Pa55word-SentryNeverSees"
SESSION = "session-SentryNeverSees-9Kd"
BEARER = "bearer-SentryNeverSees-4Hw"
EMAIL = "jane.doe.sentry@example.org"
QUERY_TOKEN = "query-token-SentryNeverSees-1Zp"


@csrf_exempt
def forced_error(request):
    password = PASSWORD  # a local variable with a secret in the failing frame
    raise RuntimeError(f"forced failure ({len(password)} characters)")


urlpatterns = [path("forced-error/", forced_error)]


class FakeSentry(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, bytes]] = []

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self.server_port}/42"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.requests.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_sentry():
    server = FakeSentry()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sentry(fake_sentry):
    init_sentry(fake_sentry.dsn, environment="test", release="test-release")
    yield fake_sentry
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.init()  # no DSN: a client that sends nothing


def events(server) -> list[dict]:
    found = []
    for path_, body in server.requests:
        assert path_ == "/api/42/envelope/"
        lines = body.split(b"\n")
        # Envelope: a header line, then (item header, payload) pairs.
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


@pytest.mark.urls(__name__)
def test_a_forced_error_sends_one_event_without_secrets(sentry):
    # Through Django's WSGI handler, as gunicorn calls it (the test client
    # skips the WSGI entry point that Sentry's Django integration wraps).
    body = json.dumps({"password": PASSWORD, "email": EMAIL})
    request = RequestFactory().post(
        f"/forced-error/?token={QUERY_TOKEN}&email={EMAIL}",
        body,
        content_type="application/json",
        HTTP_X_API_KEY=API_KEY,
        HTTP_X_PREVIEW_TOKEN=PREVIEW_TOKEN,
        HTTP_AUTHORIZATION=f"Bearer {BEARER}",
        HTTP_COOKIE=f"sessionid={SESSION}",
        HTTP_X_REQUEST_ID="req-sentry-1",
        HTTP_USER_AGENT="test-agent/1.0",
        REMOTE_ADDR="203.0.113.9",
    )
    statuses = []
    WSGIHandler()(request.environ, lambda status, headers: statuses.append(status))
    assert statuses == ["500 Internal Server Error"]
    assert sentry_sdk.flush(timeout=5) is None

    (event,) = events(sentry)
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "forced failure (24 characters)"
    assert event["environment"] == "test"
    assert event["release"] == "test-release"
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert event["request"]["headers"] == {
        "Content-Length": str(len(body)),
        "Content-Type": "application/json",
        "User-Agent": "test-agent/1.0",
        "X-Request-Id": "req-sentry-1",
    }
    assert event["request"]["url"] == "http://testserver/forced-error/"
    assert "user" not in event
    raw = b"".join(body for _, body in sentry.requests).decode()
    for secret in (
        API_KEY,
        PREVIEW_TOKEN,
        PASSWORD,
        SESSION,
        BEARER,
        EMAIL,
        QUERY_TOKEN,
        "203.0.113.9",
    ):
        assert secret not in raw


def test_the_settings_turn_sentry_on_with_a_dsn_and_leave_it_off_without(fake_sentry):
    import subprocess
    import sys

    from cms.tests.test_settings_defaults import ROOT, _env

    script = (
        "import cms.settings.production, sentry_sdk; "
        "c = sentry_sdk.get_client(); "
        "d = c.options.get('data_collection') or {}; "
        "print(c.is_active(), d.get('user_info'), d.get('stack_frame_variables'), "
        "d.get('cookies'), c.options.get('environment'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(**PRODUCTION_ENV, SENTRY_DSN=fake_sentry.dsn),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "False",
        "False",
        "{'mode':",
        "'off'}",
        "production",
    ]
    off = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(**PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert off.returncode == 0, off.stderr
    assert off.stdout.split() == ["False", "None", "None", "None", "None"]

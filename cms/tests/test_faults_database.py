"""PostgreSQL failing under a running server, through a real socket.

A gunicorn server with production settings and the deploy config reaches a
database of its own through the suite's TCP proxy (``fault_proxy``), with no
Redis: the response-cache generation lives in the database, the hard case.
The proxy cuts the connection, drops it in the middle of a query and delays
replies, then brings it back. Each time: cached reads answer 200 marked
stale, uncached ones 503 with a code and ``Retry-After``, ``/healthz`` 200
and ``/readyz`` 503, never a 500; all back to normal within 5 s.

Runs where PostgreSQL answers at ``FAULTS_PG`` (CI's PostgreSQL run).
"""

import json
import os
import secrets
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from cms.tests.fault_proxy import TcpProxy
from cms.tests.s3_support import free_port

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = os.environ.get("FAULTS_PG", "postgres://postgres@127.0.0.1:5432")

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL fault tests run with the PostgreSQL suite",
)

LIST = "query Faults($n: Int) { articles(limit: $n) { items { title } } }"


def _admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    name = f"clinic_faults_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    parsed = urllib.parse.urlsplit(PG)
    proxy = TcpProxy(parsed.hostname, parsed.port or 5432)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{PG}/{name}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "ENV_FILE": str(work / "no-dotenv"),
        "GRAPHQL_RATE_LIMIT_ENABLED": "false",
        "DB_STATEMENT_TIMEOUT_MS": "1000",
    }
    for variable in ("REDIS_URL", "MULTI_HOST", "PYTEST_XDIST_WORKER"):
        env.pop(variable, None)
    for command in (
        ["migrate", "--noinput"],
        ["load_demo_content"],
    ):
        subprocess.run(
            [PY, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
    port = free_port()
    log = (work / "web.log").open("w")
    process = subprocess.Popen(
        [GUNICORN, "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **env,
            "DATABASE_URL": f"postgres://{parsed.username}@127.0.0.1:{proxy.port}/{name}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    web = Web(f"http://127.0.0.1:{port}", proxy)
    try:
        web.wait_ready(process)
        yield web
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        proxy.close()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if web.failed:
            print((work / "web.log").read_text()[-5000:])


class Web:
    def __init__(self, base: str, proxy: TcpProxy):
        self.base = base
        self.proxy = proxy
        self.failed = False

    def get(self, path: str):
        request = urllib.request.Request(self.base + path)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def query(self, n: int):
        variables = json.dumps({"n": n})
        params = urllib.parse.urlencode({"query": LIST, "variables": variables})
        status, headers, body = self.get(f"/graphql/?{params}")
        return status, headers, json.loads(body)

    def wait_ready(self, process) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, "the server exited"
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("the server did not become ready")

    def back_to_normal(self, n: int) -> float:
        """Seconds until a fresh (not stale) answer and /readyz 200."""
        started = time.monotonic()
        while time.monotonic() - started < 5:
            status, headers, body = self.query(n)
            fresh = status == 200 and "X-Stale" not in headers
            if fresh and self.get("/readyz")[0] == 200:
                return time.monotonic() - started
            time.sleep(0.1)
        raise AssertionError("not back to normal within 5 s")


def assert_outage_answers(web: Web, fresh: dict, uncached_n: int) -> None:
    status, headers, body = web.query(2)
    assert status == 200, body
    assert body["data"] == fresh["data"]
    assert body["extensions"]["stale"]["reason"] == "DATABASE_UNAVAILABLE"
    assert headers["X-Stale"].startswith("database-unavailable; age=")
    assert headers["Cache-Control"] == "no-store"

    status, headers, body = web.query(uncached_n)
    assert status == 503, body
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert headers["Retry-After"] == "5"

    assert web.get("/healthz")[0] == 200
    assert web.get("/readyz")[0] == 503


def test_cut_drop_and_delay_then_recovery(server):
    web = server
    web.failed = True
    status, headers, fresh = web.query(2)
    assert status == 200, fresh
    assert fresh["data"]["articles"]["items"]
    assert "X-Stale" not in headers

    # 1. The database goes away.
    web.proxy.cut()
    assert_outage_answers(web, fresh, uncached_n=3)
    web.proxy.restore()
    assert web.back_to_normal(2) < 5

    # 2. The connection drops in the middle of a query (replies held, then
    # the socket closed while the request waits on them).
    web.proxy.slow(1.5)
    answers = []
    request = threading.Thread(target=lambda: answers.append(web.query(4)))
    request.start()
    time.sleep(0.5)
    web.proxy.drop()
    web.proxy.cut()
    request.join(30)
    status, _, body = answers[0]
    assert status in (200, 503), body
    if status == 503:
        assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert_outage_answers(web, fresh, uncached_n=5)
    web.proxy.restore()
    assert web.back_to_normal(2) < 5

    # 3. Replies delayed past the statement timeout (1 s here): slow, but
    # answered, and never a 500.
    web.proxy.slow(1.5)
    status, _, body = web.query(6)
    web.proxy.restore()
    assert status == 200, body
    assert body["data"]["articles"]["items"]
    assert web.back_to_normal(2) < 5
    web.failed = False

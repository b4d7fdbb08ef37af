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

import http.cookiejar
import json
import os
import random
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

ADMIN_PASSWORD = secrets.token_urlsafe(18)
# An active webhook that wants article publishes: every publish writes an
# outbox event (no worker runs here, so they wait, undelivered).
ENDPOINT = (
    "from webhooks.models import WebhookEndpoint; "
    "WebhookEndpoint.objects.create(name='faults', url='https://hooks.example.org/', "
    "events=['article.published'], secret='whsec_' + 'A' * 32)"
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
        # Plain HTTP on loopback: the admin's cookies must travel over it.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": f"{PG}/{name}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "ENV_FILE": str(work / "no-dotenv"),
        "GRAPHQL_RATE_LIMIT_ENABLED": "false",
        "DB_STATEMENT_TIMEOUT_MS": "1000",
    }
    for variable in ("REDIS_URL", "MULTI_HOST", "PYTEST_XDIST_WORKER"):
        env.pop(variable, None)
    env["DJANGO_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["load_demo_content"],
        ["ensure_admin"],
        ["shell", "-c", ENDPOINT],
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
    web.database = f"{PG}/{name}"
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Web:
    def __init__(self, base: str, proxy: TcpProxy):
        self.base = base
        self.proxy = proxy
        self.failed = False
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, path: str):
        return self.send("GET", path)

    def send(self, method: str, path: str, data: bytes | None = None, headers=None):
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def post_form(self, path: str, fields: dict):
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.csrf(),
            "Referer": self.base + path,
        }
        return self.send("POST", path, body, headers)

    def log_in(self) -> None:
        self.get("/admin/login/")
        status, headers, _ = self.post_form(
            "/admin/login/", {"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert status == 302, status

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


def _rows(database: str, sql: str, *params):
    with psycopg.connect(database) as connection:
        return connection.execute(sql, params).fetchall()


def test_no_editor_save_or_outbox_event_is_lost_when_the_database_is_cut(server):
    from worker.tests.helpers import article_form

    web = server
    web.failed = True
    web.log_in()
    (page_id, slug), *_ = _rows(
        web.database,
        "SELECT p.id, p.slug FROM wagtailcore_page p "
        "JOIN content_articlepage a ON a.page_ptr_id = p.id ORDER BY p.id LIMIT 1",
    )
    ((author_id,),) = _rows(web.database, "SELECT id FROM content_author LIMIT 1")
    path = f"/admin/pages/{page_id}/edit/"
    # How long one save takes on this machine, so the cuts can be spread over
    # the whole of a save whether the host is quick or loaded.
    started = time.monotonic()
    status, _, body = web.post_form(
        path,
        article_form(
            title="Uncut save",
            slug=slug,
            author_id=author_id,
            **{"action-publish": "action-publish"},
        ),
    )
    assert status == 302, body[:500]
    spread = max(0.25, 2 * (time.monotonic() - started))
    rng = random.Random(20)
    outcomes = {}
    for round_ in range(20):
        title = f"Cut round {round_}"
        fields = article_form(
            title=title,
            slug=slug,
            author_id=author_id,
            **{"action-publish": "action-publish"},
        )
        answers = []
        save = threading.Thread(
            target=lambda fields=fields, answers=answers: answers.append(
                web.post_form(path, fields)
            )
        )
        save.start()
        time.sleep(rng.uniform(0, spread))  # the cut lands anywhere in the save
        web.proxy.cut()
        time.sleep(0.3)
        web.proxy.restore()
        save.join(30)
        status, headers, body = answers[0]
        assert status in (302, 503), (status, body[:500])
        if status == 503:
            assert headers["Retry-After"] == "5"
        outcomes[title] = status
        web.back_to_normal(2)

    published = dict(
        _rows(
            web.database,
            "SELECT content->>'title', id FROM wagtailcore_revision "
            "WHERE object_id = %s AND content->>'title' LIKE 'Cut round %%'",
            str(page_id),
        )
    )
    events = {
        int(revision)
        for (revision,) in _rows(
            web.database,
            "SELECT data->>'revision' FROM webhooks_webhookevent "
            "WHERE type = 'article.published' AND object_id = %s",
            str(page_id),
        )
    }
    acknowledged = {title for title, status in outcomes.items() if status == 302}
    # Every save the editor saw succeed is there, with its outbox event; a
    # save that failed left all of it or none of it.
    assert acknowledged <= set(published), (outcomes, published)
    assert {published[title] for title in published} <= events
    # The cut really landed during saves: some failed, some went through.
    assert 0 < len(acknowledged) < 20, outcomes
    web.failed = False

"""Real processes for the end-to-end tests: a web server and workers on a
SQLite file, and a threaded HTTP receiver on loopback.

The file is migrated once per test session and copied for each test; the
test reads it back with ``sqlite3``.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "worker.tests.stack_settings"
ADMIN_PASSWORD = "stack-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(db: Path, media: Path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_SETTINGS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=f"sqlite:///{db}",
        MEDIA_ROOT=str(media),
        PYTHONUNBUFFERED="1",
        WORKER_POLL_INTERVAL_MS="100",
        WORKER_HEARTBEAT_SECONDS="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, timeout=180) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack-template")
    db = folder / "db.sqlite3"
    manage(base_env(db, folder / "media"), "migrate", "--noinput", timeout=600)
    return db


class Stack:
    def __init__(self, folder: Path, template: Path):
        self.folder = folder
        self.db = folder / "db.sqlite3"
        shutil.copy(template, self.db)
        self.media = folder / "media"
        self.env_extra: dict = {}
        self.processes: list[subprocess.Popen] = []
        self.web_url = ""

    def env(self, **extra):
        return base_env(self.db, self.media, **{**self.env_extra, **extra})

    def python(self, code: str, **extra) -> dict:
        """Run ``code`` in a Django shell on the stack's database; it prints
        one JSON object, returned here."""
        out = manage(self.env(**extra), "shell", "-c", code)
        return json.loads(out.strip().splitlines()[-1])

    def seed(self, receiver_url: str, **options) -> dict:
        options = {"receiver_url": receiver_url, **options}
        return self.python(
            "import json; from worker.tests.stack_seed import seed; "
            f"print(json.dumps(seed(**{options!r})))"
        )

    def start(self, *args, log: str, **extra) -> subprocess.Popen:
        out = open(self.folder / f"{log}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        process.log_path = self.folder / f"{log}.log"
        self.processes.append(process)
        return process

    def start_worker(self, name="worker", **extra) -> subprocess.Popen:
        process = self.start("run_worker", "--worker-id", name, log=name, **extra)
        self.wait_for_log(process, "started", 60)
        return process

    def start_web(self) -> str:
        port = free_port()
        process = self.start("runserver", "--noreload", f"127.0.0.1:{port}", log="web")
        self.web_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, process.log_path.read_text()
            try:
                requests.get(f"{self.web_url}/healthz", timeout=1)
                return self.web_url
            except requests.ConnectionError:
                time.sleep(0.2)
        raise AssertionError("web server did not start")

    @staticmethod
    def wait_for_log(process, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in process.log_path.read_text(errors="replace"):
                return
            assert process.poll() is None, process.log_path.read_text()
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not logged: {process.log_path.read_text()}")

    def query(self, sql: str, *params) -> list:
        with sqlite3.connect(self.db, timeout=20) as conn:
            return conn.execute(sql, params).fetchall()

    def admin_session(self) -> requests.Session:
        session = requests.Session()
        login = f"{self.web_url}/admin/login/"
        session.get(login, timeout=30)
        response = session.post(
            login,
            data={
                "username": "admin",
                "password": ADMIN_PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            timeout=30,
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]
        return session

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def stack(tmp_path, migrated_template):
    stack = Stack(tmp_path, migrated_template)
    yield stack
    stack.stop()


class Receiver:
    """A threaded loopback receiver that records (time, headers, body)."""

    def __init__(self):
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.received: list[tuple[float, dict, str]] = []
        self.arrived = threading.Condition()
        self.respond = lambda request: (204, "")
        self.server.expect_request("/hook", method="POST").respond_with_handler(
            self._handle
        )

    def _handle(self, request):
        from werkzeug import Response

        with self.arrived:
            self.received.append(
                (time.time(), dict(request.headers), request.get_data(as_text=True))
            )
            self.arrived.notify_all()
        status, body = self.respond(request)
        return Response(body, status=status)

    @property
    def url(self) -> str:
        return self.server.url_for("/hook")

    def wait_for(self, count: int, timeout: float) -> list:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)


@pytest.fixture
def stack_receiver():
    receiver = Receiver()
    receiver.server.start()
    yield receiver
    receiver.server.clear()
    if receiver.server.is_running():
        receiver.server.stop()

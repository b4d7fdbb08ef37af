"""The reference site under test: ``make run`` itself, on a free port.

One server per test session (per xdist worker): ``make run`` with a fresh
SQLite file migrates, loads the demo content, ensures an admin and serves the
API and the site from one runserver process, exactly as a new developer gets
it; nothing sets ``FRONTEND_BASE_URL``. Then
``scripts/site-content/every_block.py`` publishes an article with every body
block type (and five notes, for paging). The site reaches content only over
HTTP, so the tests do too.
"""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
ADMIN_PASSWORD = "site-tests-Admin-pw-1"
# What the caller's environment must not pass to `make run`.
CLEARED = {
    "DATABASE_URL",
    "REDIS_URL",
    "FRONTEND_BASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "HOST",
    "PORT",
    "CORS_ALLOWED_ORIGINS",
    "WEB_API_URL",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "LOG_FORMAT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
START_TIMEOUT = 900


@dataclass
class Response:
    status: int
    headers: dict
    text: str


@dataclass
class SiteServer:
    url: str
    port: int
    env: dict
    log: Path
    admin_password: str = ADMIN_PASSWORD

    @property
    def site(self) -> str:
        return f"{self.url}/site"

    def get(self, path: str, *, headers: dict | None = None) -> Response:
        """GET ``path`` (under the server root) without following redirects."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
                response_headers = dict(response.headers.items())
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
            response_headers = dict(error.headers.items())
        return Response(status, response_headers, raw.decode("utf-8"))

    def post(self, path: str, fields: dict, *, headers: dict | None = None) -> Response:
        """POST ``fields`` as a form (urlencoded), as a browser sends it."""
        request = urllib.request.Request(
            self.url + path,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                **(headers or {}),
            },
            method="POST",
        )
        return self._open(request)

    def _open(self, request) -> Response:
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
                response_headers = dict(response.headers.items())
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
            response_headers = dict(error.headers.items())
        return Response(status, response_headers, raw.decode("utf-8"))

    def shell(self, script: str) -> str:
        """Run ``script`` in ``manage.py shell`` against the server's database."""
        result = subprocess.run(
            [str(PYTHON), "manage.py", "shell"],
            input=script,
            cwd=ROOT,
            # What `make run` gives runserver, so links match the admin's.
            env={**self.env, "FRONTEND_BASE_URL": self.site},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def log_size(self) -> int:
        return self.log.stat().st_size

    def requests_since(self, offset: int, *, api_calls: int = 0) -> list[str]:
        """Request lines runserver logged after ``offset``: 'GET /graphql/?...'.

        runserver logs a request after sending its response, from the
        request's own thread, so the line of an API call the page made can
        land after the page itself was answered: wait (5 s at most) until
        ``api_calls`` lines for /graphql/ are there."""
        deadline = time.monotonic() + 5
        while True:
            with self.log.open(encoding="utf-8", errors="replace") as log:
                log.seek(offset)
                text = log.read()
            lines = re.findall(r'"((?:GET|POST|HEAD) \S+) HTTP/1\.1"', text)
            found = sum("/graphql/" in line for line in lines)
            if found >= api_calls or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(url: str, process, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make run exited {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    pytest.fail(f"make run did not answer in {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("site-server")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        DJANGO_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PYTHONUNBUFFERED="1",
        # Dozens of tests share one client address; a person never gets near.
        GRAPHQL_RATE_LIMIT_REQUESTS="1000000",
        # Every comment the tests send comes from the site's own address.
        COMMENT_RATE_LIMIT="1000000",
    )
    log = work / "make-run.log"
    # -o: the venv is this one, already installed (CI: make install-dev);
    # --noreload: files edited while the tests run must not restart it.
    command = [
        "make",
        "-o",
        ".venv/bin/python",
        "-o",
        ".venv/.runtime-installed",
        "run",
        "HOST=127.0.0.1",
        f"PORT={port}",
        "RUNSERVER_ARGS=--noreload",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = SiteServer(f"http://127.0.0.1:{port}", port, env, log)
    try:
        _wait_until_ready(server.url, process, log)
        server.shell((ROOT / "scripts" / "site-content" / "every_block.py").read_text())
        yield server
    finally:
        # make and the runserver it started share the session made above.
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

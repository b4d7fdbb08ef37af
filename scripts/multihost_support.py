"""Helpers of ``scripts/multihost.py``: a gunicorn web process with a cookie
session (admin login, form posts), a ``manage.py`` process such as the
worker, and the checks' failure type."""

import http.cookiejar
import io
import json
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from cms.tests.s3_support import free_port

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


class Process:
    """A child process logging to ``<work>/<name>.log``, stopped by SIGTERM."""

    def __init__(self, name: str, command: list[str], env: dict, work: Path):
        self.name = name
        self.log_path = work / f"{name}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode

    def tail(self, lines: int = 30) -> str:
        return "".join(self.log_path.read_text().splitlines(True)[-lines:])


class Failed(AssertionError):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise Failed(message)


class Web(Process):
    """One web process: gunicorn with the deploy config on its own port."""

    def __init__(self, name: str, env: dict, work: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        super().__init__(
            name,
            [GUNICORN, "--config", "deploy/gunicorn.conf.py"],
            {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "PROMETHEUS_MULTIPROC_DIR": str(work / f"metrics-{name}"),
            },
            work,
        )
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"web {self.name} exited; see its log")
            try:
                if self.request("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"web {self.name} did not become ready")

    def request(self, method, path, data=None, headers=None):
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def graphql(self, body: dict, client: str, method="POST", headers=None):
        headers = {"X-Forwarded-For": client, **(headers or {})}
        if method == "GET":
            params = {
                k: json.dumps(v) if isinstance(v, dict) else v for k, v in body.items()
            }
            path = "/graphql/?" + urllib.parse.urlencode(params)
            status, _, raw = self.request("GET", path, headers=headers)
        else:
            headers["Content-Type"] = "application/json"
            status, _, raw = self.request(
                "POST", "/graphql/", json.dumps(body).encode(), headers
            )
        return status, json.loads(raw)

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def login(self, username: str, password: str) -> None:
        status, _, _ = self.request("GET", "/admin/login/")
        check(status == 200, f"{self.name}: admin login page answered {status}")
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.csrf(),
                "next": "/admin/",
            }
        ).encode()
        status, headers, _ = self.request(
            "POST",
            "/admin/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.base + "/admin/login/",
            },
        )
        check(status == 302, f"{self.name}: admin login answered {status}")

    def post_form(self, path: str, fields: dict, files: dict | None = None):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(
            "POST",
            path,
            body,
            {"Content-Type": content_type, "Referer": self.base + path},
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f"--{boundary}\r\n".encode())
        out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(f"{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        out.write(f"--{boundary}\r\n".encode())
        out.write(
            f'Content-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), (200, 80, 40)).save(buffer, "PNG")
    return buffer.getvalue()

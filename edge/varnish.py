"""Run Varnish with the repository's VCL in front of a backend, for the edge
tests and ``make bench``: Debian's ``varnishd`` (``make ensure-varnish``),
``deploy/varnish/default.vcl`` with only the backend's address changed, free
loopback ports and a working directory of its own (``-n``), no jail (``-j
none``: it runs as the invoking user), in the foreground of a child process.
"""

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from django.conf import settings

VCL = Path(settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl"
BACKEND = re.compile(r'(backend default \{\s*\.host = )"[^"]*";(\s*\.port = )"[^"]*";')


class VarnishMissing(RuntimeError):
    pass


def varnishd_path() -> str:
    found = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )
    if not found:
        raise VarnishMissing(
            "varnishd not found: `make ensure-varnish` installs Debian's varnish"
            " and varnish-modules"
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def vcl_for(host: str, port: int) -> str:
    text, count = BACKEND.subn(rf'\1"{host}";\2"{port}";', VCL.read_text())
    if count != 1:
        raise ValueError(f"{VCL}: no backend default with .host and .port")
    return text


class Varnish:
    def __init__(self, workdir: Path, backend_host: str, backend_port: int):
        self.workdir = Path(workdir)
        self.backend = (backend_host, backend_port)
        self.port = free_port()
        self.admin_port = free_port()
        self.process = None
        self.log = self.workdir / "varnishd.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> "Varnish":
        self.workdir.mkdir(parents=True, exist_ok=True)
        vcl = self.workdir / "default.vcl"
        vcl.write_text(vcl_for(*self.backend))
        command = [
            varnishd_path(),
            "-F",
            "-j",
            "none",
            "-n",
            str(self.workdir / "n"),
            "-f",
            str(vcl),
            "-a",
            f"127.0.0.1:{self.port}",
            "-T",
            f"127.0.0.1:{self.admin_port}",
            "-s",
            "malloc,64m",
            "-p",
            "default_grace=0",
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"varnishd exited ({self.process.returncode}):\n"
                    + self.log.read_text(errors="replace")[-3000:]
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("varnishd did not listen in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

"""The processes the benchmark runs: database preparation, wrk and the
gunicorn servers (the configured one and the default-configuration one)."""

import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from pathlib import Path

from bench import stacks
from bench.config import (
    BIN,
    DEFAULT_TREE,
    OUT,
    ROOT,
    TREE_SKIP,
    TREE_SKIP_TOP,
    Config,
    log,
)

# --- processes -----------------------------------------------------------------


def server_env(config: Config) -> dict:
    alphabet = string.ascii_letters + string.digits
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        BENCH_ENDPOINTS="true",
        GRAPHQL_RATE_LIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
        DATABASE_URL=config.database_url,
        STATIC_ROOT=str(OUT / "static"),
        MEDIA_ROOT=str(OUT / "media"),
    )
    # The stack is the bench's choice, not whatever the shell exported.
    env.pop("REDIS_URL", None)
    env.pop("VIEW_COUNTER_REDIS_URL", None)
    if config.redis_url:
        env["REDIS_URL"] = config.redis_url
    return env


def default_server_env(env: dict) -> dict:
    """The configured server's environment less what a new user has not set.

    Everything else (production settings, bench endpoints, no rate limit,
    the same gunicorn command) stays equal, so the two servers differ only
    in what the settings choose by default: the database and the cache.
    """
    default = {k: v for k, v in env.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    default["PWD"] = str(DEFAULT_TREE)
    return default


def prepare_default_tree(config: Config, env: dict) -> dict:
    """Copy the source tree and the bench database to ``.bench/default-tree``.

    Returns the default database settings that tree builds, read in a fresh
    interpreter with the default server's environment.
    """
    t0 = time.monotonic()
    shutil.rmtree(DEFAULT_TREE, ignore_errors=True)
    shutil.copytree(
        ROOT,
        DEFAULT_TREE,
        ignore=lambda folder, names: [
            n
            for n in names
            if n in TREE_SKIP
            or (Path(folder) == ROOT and (n in TREE_SKIP_TOP or n.startswith("db.")))
        ],
    )
    target = DEFAULT_TREE / "db.sqlite3"
    if config.database_url.startswith("sqlite:"):
        import sqlite3

        source = sqlite3.connect(config.database_url.split(":///", 1)[1])
        copy = sqlite3.connect(target)
        with source, copy:
            source.backup(copy)
        source.close()
        copy.close()
    else:
        # Its own copy of the demo content, from a migrated empty file when
        # an earlier run left one for these migrations.
        template = stacks.sqlite_template()
        if template.exists():
            shutil.copyfile(template, target)
        manage(env, "migrate", "--noinput", cwd=DEFAULT_TREE)
        if not template.exists():
            shutil.copyfile(target, template)
            for old in OUT.glob("migrated-*.sqlite3"):
                if old != template:
                    old.unlink()
        load_demo(config, env, cwd=DEFAULT_TREE)
    script = (
        "import json, cms.settings.production as s; "
        "print(json.dumps(s.DATABASES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=DEFAULT_TREE,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit("the default tree's settings do not load")
    database = json.loads(result.stdout.splitlines()[-1])
    if database.get("NAME") != str(target):
        sys.exit(f"the default tree would serve {database.get('NAME')}, not {target}")
    log(
        f"Default configuration: {target} (no DATABASE_URL, no REDIS_URL), "
        f"CONN_MAX_AGE={database.get('CONN_MAX_AGE', 0)}, "
        f"prepared in {time.monotonic() - t0:.1f}s"
    )
    return database


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is not installed: run `sudo apt-get install -y wrk`")
    log("wrk is missing: running `apt-get install -y wrk`")
    quiet = {"stdout": subprocess.DEVNULL}
    if subprocess.call(["apt-get", "install", "-y", "wrk"], **quiet) != 0:
        log("  apt-get install failed; running `apt-get update` and retrying")
        subprocess.check_call(["apt-get", "update"], **quiet)
        subprocess.check_call(["apt-get", "install", "-y", "wrk"], **quiet)
    return shutil.which("wrk") or sys.exit("wrk still not found after install")


def manage(env: dict, *args: str, cwd: Path = ROOT) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def load_demo(config: Config, env: dict, *, cwd: Path = ROOT) -> None:
    """The scaled demo content (``BENCH_ARTICLES``, ``BENCH_TRAINERS``)."""
    manage(
        env,
        "load_demo_content",
        "--articles",
        str(config.articles),
        "--trainers",
        str(config.trainers),
        cwd=cwd,
    )


def prepare_database(config: Config, env: dict) -> None:
    log(f"Database: {config.database_url}")
    t0 = time.monotonic()
    manage(env, "migrate", "--noinput")
    log(f"  migrated in {time.monotonic() - t0:.1f}s")
    stacks.save_template(config)
    t0 = time.monotonic()
    load_demo(config, env)
    log(
        f"  load_demo_content --articles {config.articles} "
        f"--trainers {config.trainers} in {time.monotonic() - t0:.1f}s"
    )
    # Search and reference indexing are background jobs: run them all now.
    t0 = time.monotonic()
    manage(env, "run_worker", "--batch", "--no-periodic")
    log(f"  background jobs (search, references) in {time.monotonic() - t0:.1f}s")


def probe(env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "probe.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_PROBE "):
            return json.loads(line.removeprefix("BENCH_PROBE "))
    sys.stderr.write(result.stdout + result.stderr)
    sys.exit("bench/probe.py failed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(
        self,
        config: Config,
        env: dict,
        log_path: Path,
        cwd: Path = ROOT,
        workers: int | None = None,
    ):
        self.config = config
        self.env = env
        self.cwd = cwd
        self.worker_count = workers or config.workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None

    def start(self) -> float:
        """Start gunicorn; return milliseconds until /readyz first answered."""
        cmd = [
            str(BIN / "gunicorn"),
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.worker_count),
            "--worker-class",
            self.config.worker_class,
            "--log-level",
            "warning",
        ]
        if self.config.worker_class == "gthread":
            cmd += ["--threads", str(self.config.worker_threads)]
        log(f"Starting: {' '.join(cmd[1:])} (in {self.cwd})")
        self.log_file = open(self.log_path, "w")  # noqa: SIM115
        t0 = time.monotonic()
        self.process = subprocess.Popen(
            cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = t0 + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            with suppress(OSError):
                status, _, _ = http(self.base + "/readyz", timeout=1)
                if status == 200:
                    return (time.monotonic() - t0) * 1000
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn not ready after 60s; see {self.log_path}")

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        with suppress(OSError):
            return sorted(int(p) for p in children.read_text().split())
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, IndexError, ValueError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(stat.parent.name))
        return sorted(found)

    def rss(self) -> dict[int, dict]:
        """VmRSS and VmHWM (peak) in MB for each worker."""
        result = {}
        for pid in self.workers():
            with suppress(OSError):
                fields = {}
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    key, _, value = line.partition(":")
                    if key in {"VmRSS", "VmHWM"}:
                        fields[key] = int(value.split()[0]) / 1024
                result[pid] = {
                    "rss_mb": round(fields["VmRSS"], 1),
                    "peak_mb": round(fields["VmHWM"], 1),
                }
        return result

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the master and its live workers."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in [self.process.pid, *self.workers()]:
            with suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process:
            self.log_file.close()


def http(url: str, *, method="GET", headers=None, body=None, timeout=10):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(
        url, data=data, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()

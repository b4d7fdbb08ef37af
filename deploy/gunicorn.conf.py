"""gunicorn settings for the web process (``deploy/Procfile``, ``make serve``).

Every value comes from the environment (and ``.env``, as for ``manage.py``):

- ``GUNICORN_BIND`` or ``HOST``:``PORT`` (``0.0.0.0``:``8000``),
- ``WEB_CONCURRENCY`` workers (2) and ``GUNICORN_THREADS`` per worker (1:
  sync workers; more: gthread). The settings see the same worker count, so
  production refuses several workers without ``REDIS_URL``.
- ``GUNICORN_TIMEOUT`` (30 s; above the 10 s GraphQL execution deadline),
  ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s for in-flight requests on SIGTERM),
  ``GUNICORN_KEEPALIVE`` (5 s),
- ``GUNICORN_MAX_REQUESTS`` (1000) with ``GUNICORN_MAX_REQUESTS_JITTER``
  (100): a worker is replaced after about that many requests, workers at
  different times, so slow leaks cannot grow without bound.

No access log: ``cms.request_log`` writes one JSON line per request, without
the query string (GraphQL GET variables) that an access log would record.
Prometheus metrics are added up across workers through
``PROMETHEUS_MULTIPROC_DIR`` (a fresh temporary directory unless set). Give
the ``worker`` process the same directory (it must exist) and its job counts
are scraped too: at start only the files of processes no longer running are
removed.
"""

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

try:
    from dotenv import load_dotenv
except ImportError:  # the runtime requirements bring it
    pass
else:
    load_dotenv(os.environ.get("ENV_FILE") or ROOT / ".env", override=False)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"configuration error: {name} must be an integer") from None


wsgi_app = "cms.wsgi:application"
chdir = str(ROOT)
bind = [
    os.environ.get("GUNICORN_BIND")
    or f"{os.environ.get('HOST') or '0.0.0.0'}:{os.environ.get('PORT') or '8000'}"
]
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
accesslog = None
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()
proc_name = "clinic-web"
# gunicorn's control socket has one fixed path per user: two web processes
# on one host (tests, blue/green) would take it from each other.
control_socket_disable = True

# The settings check the worker count against REDIS_URL (production.py).
os.environ["WEB_CONCURRENCY"] = str(workers)

_own_metrics_dir = None


def on_starting(server):
    """Before the first worker: one metrics directory for all of them."""
    global _own_metrics_dir
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        path = _own_metrics_dir = tempfile.mkdtemp(prefix="clinic-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):  # a previous run's values
        if not _alive(stale):
            stale.unlink()


def _alive(values_file: Path) -> bool:
    """Whether the process that writes ``<kind>_<pid>.db`` still runs: a
    ``worker`` sharing the directory keeps its files across web restarts."""
    try:
        pid = int(values_file.stem.rsplit("_", 1)[-1])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(_own_metrics_dir, ignore_errors=True)

"""deploy/: the gunicorn settings and the Procfile.

scripts/procfile-smoke.sh (run by .ci/run) starts them for real under honcho.
"""

import os
import runpy

import pytest

from cms.tests.test_settings_defaults import ROOT

CONF = ROOT / "deploy" / "gunicorn.conf.py"
GUNICORN_VARS = (
    "GUNICORN_BIND",
    "HOST",
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
)


@pytest.fixture
def conf_env(monkeypatch):
    for name in GUNICORN_VARS:
        # setenv first, so that monkeypatch records the old state and also
        # removes what the file exports (delenv of an unset name records
        # nothing, and WEB_CONCURRENCY=2 leaked into later tests).
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("ENV_FILE", "/nonexistent/.env")

    def load(**env) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))

    return load


def test_gunicorn_defaults(conf_env):
    conf = conf_env()
    assert conf["bind"] == ["0.0.0.0:8000"]
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (2, 1, "sync")
    assert (conf["timeout"], conf["graceful_timeout"], conf["keepalive"]) == (30, 30, 5)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1000, 100)
    assert conf["accesslog"] is None
    assert conf["wsgi_app"] == "cms.wsgi:application"
    assert conf["control_socket_disable"] is True
    # The settings see the worker count gunicorn will run.
    assert os.environ["WEB_CONCURRENCY"] == "2"


def test_gunicorn_reads_the_environment(conf_env):
    conf = conf_env(
        HOST="127.0.0.1",
        PORT="9001",
        WEB_CONCURRENCY="5",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="45",
        GUNICORN_GRACEFUL_TIMEOUT="20",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
    )
    assert conf["bind"] == ["127.0.0.1:9001"]
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (
        5,
        4,
        "gthread",
    )
    assert (conf["timeout"], conf["graceful_timeout"]) == (45, 20)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (500, 50)
    assert conf_env(GUNICORN_BIND="unix:/run/clinic.sock")["bind"] == [
        "unix:/run/clinic.sock"
    ]


def test_a_bad_worker_count_is_one_line(conf_env):
    with pytest.raises(SystemExit) as stopped:
        conf_env(WEB_CONCURRENCY="many")
    assert str(stopped.value) == (
        "configuration error: WEB_CONCURRENCY must be an integer"
    )


def test_the_procfile_has_web_worker_and_release():
    lines = [
        line
        for line in (ROOT / "deploy" / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines == [
        "web: gunicorn --config deploy/gunicorn.conf.py",
        "worker: python manage.py run_worker",
        "release: python manage.py migrate --noinput"
        " && python manage.py collectstatic --noinput",
    ]


def test_gunicorn_start_keeps_the_metrics_of_processes_still_running(
    conf_env, tmp_path
):
    # A worker sharing PROMETHEUS_MULTIPROC_DIR keeps its counts when web
    # restarts; files of processes that are gone are removed.
    import subprocess
    import sys

    conf = conf_env(PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    finished = subprocess.run([sys.executable, "-c", "pass"], check=True)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        kept = tmp_path / f"counter_{running.pid}.db"
        stale = tmp_path / f"counter_{gone.pid}.db"
        odd = tmp_path / "counter_notapid.db"
        for path in (kept, stale, odd):
            path.write_bytes(b"")

        conf["on_starting"](server=None)

        assert sorted(p.name for p in tmp_path.glob("*.db")) == [kept.name]
    finally:
        running.kill()
        running.wait()
    assert finished.returncode == 0

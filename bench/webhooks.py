"""publish_to_webhook_ms: from a publish's commit to the receiver's request.

A worker (``manage.py run_worker``) runs against the bench database; a
receiver listens on loopback; one process publishes an article
``samples`` times, a quarter second apart, noting each commit's wall-clock
time and its event's sequence; the receiver notes when each sequence
arrives. Same machine, same clock.

Standalone: ``python bench/webhooks.py`` prepares a small database of its
own (``.bench/webhooks.sqlite3``) and prints the JSON result.
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".bench"

PUBLISHER = """
import json, time
from django.apps import apps
from webhooks.models import EVENT_TYPES, WebhookEndpoint, WebhookEvent
from webhooks.signing import generate_secret
from worker.db import write_transaction

endpoint = WebhookEndpoint.objects.create(
    name="bench receiver", url={url!r},
    events=[value for value, _ in EVENT_TYPES], secret=generate_secret(),
)
page = apps.get_model("content.ArticlePage").objects.live().order_by("pk").first()
commits = {{}}
try:
    for _ in range({samples}):
        with write_transaction():
            page.save_revision().publish()
            sequence = WebhookEvent.objects.filter(
                deliveries__endpoint=endpoint
            ).order_by("-pk").values_list("pk", flat=True).first()
        commits[sequence] = time.time()
        time.sleep(0.25)
finally:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
print("BENCH_COMMITS " + json.dumps(commits))
"""


class Receiver(ThreadingHTTPServer):
    def __init__(self):
        self.arrivals: dict[int, float] = {}
        self.arrived = threading.Condition()
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        at = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()
        sequence = json.loads(body)["data"]["sequence"]
        with self.server.arrived:
            self.server.arrivals.setdefault(sequence, at)
            self.server.arrived.notify_all()

    def log_message(self, *args):
        pass


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))
    return ordered[index]


def measure(env: dict, samples: int, log=print) -> dict:
    """Run a worker and a receiver, publish ``samples`` times, report ms."""
    env = {**env, "WEBHOOK_ALLOWED_PRIVATE_NETWORKS": "127.0.0.0/8"}
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    OUT.mkdir(exist_ok=True)
    worker_log = open(OUT / "worker.log", "ab")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(3)  # the worker loads Django and starts polling
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited: see {OUT / 'worker.log'}")
        done = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                PUBLISHER.format(url=receiver.url, samples=samples),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH_")]
        if done.returncode != 0 or not lines:
            raise RuntimeError(done.stdout + done.stderr)
        commits = {
            int(k): v
            for k, v in json.loads(lines[-1].removeprefix("BENCH_COMMITS ")).items()
        }
        with receiver.arrived:
            receiver.arrived.wait_for(
                lambda: all(s in receiver.arrivals for s in commits), timeout=30
            )
            arrivals = dict(receiver.arrivals)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        receiver.shutdown()
        worker_log.close()
    latencies = [(arrivals[s] - t) * 1000 for s, t in commits.items() if s in arrivals]
    result = {
        "samples": len(commits),
        "delivered": len(latencies),
        "p50": round(statistics.median(latencies), 1) if latencies else None,
        "p95": round(percentile(latencies, 0.95), 1) if latencies else None,
        "max": round(max(latencies), 1) if latencies else None,
    }
    log(
        f"publish_to_webhook_ms: p50 {result['p50']} p95 {result['p95']} "
        f"max {result['max']} ({result['delivered']}/{result['samples']} delivered)"
    )
    return result


def main() -> None:
    db = OUT / "webhooks.sqlite3"
    OUT.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{db}",
        "LOG_LEVEL": "WARNING",
    }
    if not db.exists():
        for args in (
            ["migrate", "--noinput"],
            ["load_demo_content", "--articles", "5", "--trainers", "5"],
            ["run_worker", "--batch", "--no-periodic"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
    samples = int(os.environ.get("BENCH_WEBHOOK_SAMPLES", "40"))
    print(json.dumps(measure(env, samples)))


if __name__ == "__main__":
    main()

"""Publish -> visible through Varnish, and the edge's hit ratio.

The stack: gunicorn (``bench.processes.Server``), Debian's ``varnishd``
with ``deploy/varnish/default.vcl`` in front of it (``edge.varnish``, as the
edge tests run it), and a worker (``manage.py run_worker``) purging through
Varnish (``EDGE_PURGE_BACKEND=varnish``).

- ``publish_to_visible_ms``: an editor process publishes one article
  ``BENCH_EDGE_PUBLISHES`` times (at least 20) the way the admin's Publish
  does (``save_revision().publish()`` in one write transaction), noting each
  commit's wall-clock time; before each, the article is a hit in Varnish;
  after each, GETs through Varnish poll until the new title shows. Same
  machine, same clock.
- ``hit_ratio``: ``BENCH_CONNECTIONS`` reader threads GET a read-heavy mix
  (article details, list pages, trainer profiles, the comparison table)
  through Varnish for ``BENCH_EDGE_MIX_SECONDS`` while the editor publishes
  every ``BENCH_EDGE_PUBLISH_EVERY`` seconds; the share of ``X-Cache: HIT``.

Standalone: ``python -m bench.edge`` prepares a small database of its own
(``.bench/edge.sqlite3``, or ``BENCH_DATABASE_URL``) and prints the result
as JSON, then the markdown lines.
"""

import hashlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.config import OUT, ROOT, Config, env_num, log
from bench.processes import Server, http, manage, server_env

TARGET_P95_MS = 1000
OPERATIONS = ROOT / "frontend_contract" / "operations"

# The editor: one line per publish on stdout, then waits for a line on
# stdin ("next" or "stop"), so the poller sets the pace.
EDITOR = """
import json, sys, time
from django.apps import apps
from worker.db import write_transaction

page = apps.get_model("content.ArticlePage").objects.get(slug={slug!r})
print("BENCH_READY", flush=True)
for n in range(1, {count} + 1):
    if sys.stdin.readline().strip() != "next":
        break
    page.refresh_from_db()
    page.title = f"Edge bench {{n}} {{time.time_ns()}}"
    with write_transaction():
        page.save_revision().publish()
    print("BENCH_PUBLISHED " + json.dumps([page.title, time.time()]), flush=True)
"""


def operation_id(name: str) -> str:
    return hashlib.sha256((OPERATIONS / f"{name}.graphql").read_bytes()).hexdigest()


def query_url(base: str, name: str, variables: dict) -> str:
    params = {"id": operation_id(name), "variables": json.dumps(variables)}
    return f"{base}/graphql/?{urlencode(params)}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))
    return ordered[index]


def get_json(url: str) -> tuple[dict, str]:
    status, headers, body = http(url, timeout=10)
    if status != 200:
        raise RuntimeError(f"GET {url}: {status} {body[:300]!r}")
    return json.loads(body), headers.get("X-Cache", "")


class Stack:
    """gunicorn, varnishd in front of it, and a worker purging through it."""

    def __init__(self, config: Config, env: dict):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
        from edge.varnish import Varnish  # reads settings.BASE_DIR

        OUT.mkdir(exist_ok=True)
        self.server = Server(config, env, OUT / "edge-server.log")
        self.workdir = Path(tempfile.mkdtemp(prefix="edge-varnish-", dir=OUT))
        self.varnish = Varnish(self.workdir, "127.0.0.1", self.server.port)
        self.env = {
            **env,
            "EDGE_PURGE_BACKEND": "varnish",
            "EDGE_VARNISH_URLS": f"{self.varnish.url}/",
        }
        self.server.env = self.env
        self.worker = None

    def __enter__(self) -> "Stack":
        try:
            self.server.start()
            self.varnish.start()
            self.worker_log = open(OUT / "edge-worker.log", "ab")
            self.worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker"],
                cwd=ROOT,
                env=self.env,
                stdout=self.worker_log,
                stderr=subprocess.STDOUT,
            )
            time.sleep(3)  # the worker loads Django and starts polling
            if self.worker.poll() is not None:
                raise RuntimeError(f"the worker exited: see {OUT / 'edge-worker.log'}")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.worker is not None:
            self.worker.send_signal(signal.SIGTERM)
            try:
                self.worker.wait(30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait(5)
            self.worker_log.close()
            self.worker = None
        self.varnish.stop()
        self.server.stop()

    def editor(self, slug: str, count: int) -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                EDITOR.format(slug=slug, count=count),
            ],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )


def wait_ready(editor: subprocess.Popen) -> None:
    """Until the editor has loaded Django (not part of any figure)."""
    for line in editor.stdout:
        if line.startswith("BENCH_READY"):
            return
    raise RuntimeError(f"the editor exited ({editor.wait()})")


def publish(editor: subprocess.Popen) -> tuple[str, float]:
    editor.stdin.write("next\n")
    editor.stdin.flush()
    while True:
        line = editor.stdout.readline()
        if not line:
            raise RuntimeError(f"the editor exited ({editor.wait()})")
        if line.startswith("BENCH_PUBLISHED "):
            title, committed = json.loads(line.removeprefix("BENCH_PUBLISHED "))
            return title, committed


def stop_editor(editor: subprocess.Popen) -> None:
    try:
        editor.stdin.write("stop\n")
        editor.stdin.close()
        editor.wait(30)
    except (OSError, subprocess.TimeoutExpired):
        editor.kill()
        editor.wait(5)


def publish_to_visible(stack: Stack, slug: str, samples: int) -> dict:
    url = query_url(stack.varnish.url, "ArticleDetail", {"slug": slug})
    editor = stack.editor(slug, samples)
    latencies, warm_hits = [], 0
    try:
        wait_ready(editor)
        for _ in range(samples):
            get_json(url)
            warm_hits += get_json(url)[1] == "HIT"  # purged, not expired
            title, committed = publish(editor)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                body, _ = get_json(url)
                if (body.get("data") or {}).get("article", {}).get("title") == title:
                    latencies.append((time.time() - committed) * 1000)
                    break
                time.sleep(0.005)
    finally:
        stop_editor(editor)
    return {
        "samples": samples,
        "visible": len(latencies),
        "warm_hits_before_publish": warm_hits,
        "p50": round(statistics.median(latencies), 1) if latencies else None,
        "p95": round(percentile(latencies, 0.95), 1) if latencies else None,
        "max": round(max(latencies), 1) if latencies else None,
    }


def read_mix(stack: Stack, slug: str, seconds: float, every: float, readers: int):
    base = stack.varnish.url
    listing, _ = get_json(query_url(base, "ArticleList", {"limit": 20, "offset": 0}))
    slugs = [item["slug"] for item in listing["data"]["articles"]["items"]]
    trainers, _ = get_json(query_url(base, "TrainerDirectory", {"limit": 20}))
    trainer_slugs = [t["slug"] for t in _trainer_items(trainers)]
    tables, _ = get_json(query_url(base, "ComparisonTable", _table_vars()))
    urls = [query_url(base, "ArticleDetail", {"slug": s}) for s in slugs]
    urls += [query_url(base, "TrainerProfile", {"slug": s}) for s in trainer_slugs]
    urls += [
        query_url(base, "ArticleList", {"limit": 10, "offset": 0}),
        query_url(base, "ArticleList", {"limit": 10, "offset": 10}),
        query_url(base, "ComparisonTable", _table_vars()),
    ]
    counts = {"HIT": 0, "MISS": 0, "other": 0, "errors": 0}
    lock = threading.Lock()
    stop = threading.Event()

    def read(seed):
        rng = random.Random(seed)
        while not stop.is_set():
            try:
                status, headers, _ = http(rng.choice(urls), timeout=10)
                outcome = headers.get("X-Cache", "other") if status == 200 else None
            except OSError:
                outcome = None
            with lock:
                if outcome is None:
                    counts["errors"] += 1
                else:
                    counts[outcome if outcome in counts else "other"] += 1

    editor = stack.editor(slug, int(seconds / every) + 2)
    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    publishes = 0
    try:
        wait_ready(editor)
        for thread in threads:
            thread.start()
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            publish(editor)
            publishes += 1
            # On a fixed cadence: one publish every ``every`` seconds.
            time.sleep(max(0.0, started + publishes * every - time.monotonic()))
    finally:
        stop.set()
        for thread in threads:
            thread.join(15)
        stop_editor(editor)
    answered = counts["HIT"] + counts["MISS"] + counts["other"]
    return {
        "seconds": seconds,
        "readers": readers,
        "urls": len(urls),
        "publishes": publishes,
        "publish_every_s": every,
        "requests": answered + counts["errors"],
        **{k.lower(): v for k, v in counts.items()},
        "hit_ratio": round(counts["HIT"] / answered, 4) if answered else None,
    }


def _trainer_items(body: dict) -> list[dict]:
    trainers = (body.get("data") or {}).get("trainers") or {}
    return trainers.get("items") or []


def _table_vars() -> dict:
    return json.loads((OPERATIONS / "ComparisonTable.variables.json").read_text())


def measure(config: Config, env: dict | None = None) -> dict:
    """Start the stack on ``config``'s database (prepared), measure, stop."""
    env = env or server_env(config)
    samples = max(20, env_num("BENCH_EDGE_PUBLISHES", 20 if config.quick else 30))
    seconds = env_num("BENCH_EDGE_MIX_SECONDS", 15 if config.quick else 30, float)
    every = env_num("BENCH_EDGE_PUBLISH_EVERY", 3.0, float)
    with Stack(config, env) as stack:
        listing, _ = get_json(
            query_url(stack.server.base, "ArticleList", {"limit": 1, "offset": 0})
        )
        slug = listing["data"]["articles"]["items"][0]["slug"]
        log(f"Edge: varnishd {stack.varnish.url} -> {stack.server.base}; {slug}")
        visible = publish_to_visible(stack, slug, samples)
        log(
            f"  publish_to_visible_ms: p50 {visible['p50']} p95 {visible['p95']}"
            f" max {visible['max']} ({visible['visible']}/{samples} seen)"
        )
        mix = read_mix(stack, slug, seconds, every, config.connections)
        log(
            f"  hit ratio {mix['hit_ratio']} over {mix['requests']} GETs,"
            f" {mix['publishes']} publishes"
        )
    return {
        "publish_to_visible_ms": visible,
        "read_mix": mix,
        "target_p95_ms": TARGET_P95_MS,
        "p95_within_target": visible["p95"] is not None
        and visible["p95"] <= TARGET_P95_MS
        and visible["visible"] == samples,
        "purge_debounce_ms": int(env.get("EDGE_PURGE_DEBOUNCE_MS", 100)),
        "workers": config.workers,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def markdown(result: dict) -> list[str]:
    visible, mix = result["publish_to_visible_ms"], result["read_mix"]
    verdict = "within" if result["p95_within_target"] else "NOT within"
    return [
        "## Edge (Varnish in front, purges from the worker)",
        "",
        "| metric | value |",
        "|---|---|",
        f"| publish_to_visible_ms p50 | {visible['p50']} |",
        f"| publish_to_visible_ms p95 | {visible['p95']} ({verdict} the"
        f" {result['target_p95_ms']} ms target) |",
        f"| publish_to_visible_ms max | {visible['max']} |",
        f"| publishes seen / made | {visible['visible']} / {visible['samples']} |",
        f"| hit ratio, read mix | {mix['hit_ratio']} ({mix['hit']} hits,"
        f" {mix['miss']} misses, {mix['errors']} errors) |",
        f"| read mix | {mix['readers']} readers, {mix['urls']} URLs,"
        f" {mix['seconds']} s, a publish every {mix['publish_every_s']} s"
        f" ({mix['publishes']}) |",
        "",
        f"Purge debounce {result['purge_debounce_ms']} ms; {result['workers']}"
        f" gunicorn workers; {result['cpus']} CPUs, load average"
        f" {result['load_average']} at the end (a shared machine: timings are"
        " noisy).",
    ]


def main() -> None:
    config = Config()
    if not os.environ.get("BENCH_DATABASE_URL", "").strip():
        config.database_url = f"sqlite:///{OUT / 'edge.sqlite3'}"
    env = server_env(config)
    OUT.mkdir(exist_ok=True)
    fresh = (
        config.database_url.startswith("sqlite:///")
        and not Path(config.database_url.removeprefix("sqlite:///")).exists()
    )
    if fresh or os.environ.get("BENCH_EDGE_PREPARE"):
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_content", "--articles", "25", "--trainers", "25")
        manage(env, "run_worker", "--batch", "--no-periodic")
    result = measure(config, env)
    print(json.dumps(result, indent=2))
    print("\n".join(markdown(result)))


if __name__ == "__main__":
    main()

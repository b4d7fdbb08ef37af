"""``make bench``: load the GraphQL API and its baselines on one gunicorn server.

Steps: prepare a separate database with scaled demo content; start gunicorn
with production settings and the benchmark endpoints; run wrk over each
scenario in interleaved rounds (the first round is "cold"); count SQL queries
and response bytes per operation; soak the mix and compare worker memory;
write ``.bench/results-<timestamp>.json`` and a PNG chart. The JSON file's path
is the last line printed. Knobs are environment variables (see README.md).

Beside the configured server (``DATABASE_URL`` and, when given, ``REDIS_URL``)
a second gunicorn serves the configuration a new user gets: no
``DATABASE_URL`` and no ``REDIS_URL``, so the settings pick their own default,
the SQLite file ``BASE_DIR/db.sqlite3``. That file is the checkout's own
database, so this server runs from a copy of the source tree
(``.bench/default-tree``, whose ``db.sqlite3`` is a copy of the bench
database; removed at the end): the settings, and the code path that builds
the default database, are exactly the ones ``make serve`` runs.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import operations as ops  # noqa: E402
from bench import webhooks as webhook_bench  # noqa: E402

OUT = ROOT / ".bench"
LUA = ROOT / "bench" / "requests.lua"
BIN = Path(sys.executable).parent

SCENARIOS = [
    "hello",
    "api_v2_list",
    "api_v2_detail",
    "gql_list_uncached",
    "gql_detail_uncached",
    "gql_mix_uncached",
    "gql_cached",
    "gql_cached_list",
    "gql_cached_list_default",
]
# Scenarios served by the default-configuration server; the rest by the
# configured one.
DEFAULT_SERVER_SCENARIOS = {"gql_cached_list_default"}
DEFAULT_TREE = OUT / "default-tree"
# Not copied into the default tree: environments, generated and local data.
TREE_SKIP = {
    ".git",
    ".venv",
    ".bench",
    ".artifacts",
    ".pytest-media",
    ".pytest_cache",
    ".ruff_cache",
    ".schemathesis",
    "__pycache__",
    "backups",
    "media",
    "staticfiles",
    "node_modules",
}


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def env_num(name: str, default, cast=int):
    raw = os.environ.get(name, "").strip()
    return cast(raw) if raw else default


def log(message: str) -> None:
    print(message, flush=True)


class Config:
    def __init__(self):
        self.quick = env_flag("QUICK")
        q = self.quick
        self.articles = env_num("BENCH_ARTICLES", 50 if q else 500)
        self.trainers = env_num("BENCH_TRAINERS", 200 if q else 5000)
        self.rounds = env_num("BENCH_ROUNDS", 2 if q else 5)
        self.duration = env_num("BENCH_DURATION", 4 if q else 10)
        self.soak = env_num("BENCH_SOAK", 15 if q else 300)
        self.connections = env_num("BENCH_CONNECTIONS", 4)
        self.wrk_threads = env_num("BENCH_WRK_THREADS", 2)
        self.workers = env_num("BENCH_WORKERS", 2)
        self.worker_class = os.environ.get("BENCH_WORKER_CLASS", "sync")
        self.worker_threads = env_num("BENCH_WORKER_THREADS", 2)
        self.strict = env_flag("BENCH_STRICT")
        self.webhook_samples = env_num("BENCH_WEBHOOK_SAMPLES", 15 if q else 40)
        self.database_url = os.environ.get("BENCH_DATABASE_URL", "").strip()
        if not self.database_url:
            self.database_url = f"sqlite:///{OUT / 'bench.sqlite3'}"


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
            n for n in names if n in TREE_SKIP or n.startswith("db.sqlite3")
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
        manage(env, "migrate", "--noinput", cwd=DEFAULT_TREE)
        manage(
            env,
            "load_demo_content",
            "--articles",
            str(config.articles),
            "--trainers",
            str(config.trainers),
            cwd=DEFAULT_TREE,
        )
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


def prepare_database(config: Config, env: dict) -> None:
    log(f"Database: {config.database_url}")
    t0 = time.monotonic()
    manage(env, "migrate", "--noinput")
    log(f"  migrated in {time.monotonic() - t0:.1f}s")
    t0 = time.monotonic()
    manage(
        env,
        "load_demo_content",
        "--articles",
        str(config.articles),
        "--trainers",
        str(config.trainers),
    )
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
    def __init__(self, config: Config, env: dict, log_path: Path, cwd: Path = ROOT):
        self.config = config
        self.env = env
        self.cwd = cwd
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
            str(self.config.workers),
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


# --- requests ------------------------------------------------------------------


def graphql_request(op: ops.Operation, fx: dict, rng: Random, *, bypass: bool):
    query = op.query if op.name in fx["valid"] else ops.PLACEHOLDER_QUERY
    variables = op.variables(fx, rng) if op.name in fx["valid"] else {}
    headers = {"Accept": "application/json"}
    if bypass:
        headers[ops.BYPASS_CACHE_HEADER] = "1"
    if ops.TRANSPORT == "GET":
        params = {"query": query, "variables": json.dumps(variables)}
        path = "/graphql/?" + urllib.parse.urlencode(params)
        return {"method": "GET", "path": path, "headers": headers, "body": None}
    headers["Content-Type"] = "application/json"
    body = json.dumps({"query": query, "variables": variables})
    return {"method": "POST", "path": "/graphql/", "headers": headers, "body": body}


def api_v2_list_request(fx: dict, rng: Random):
    pages = max(1, min(fx["article_count"], 200) // ops.API_V2_LIST_LIMIT)
    params = {
        "type": fx["page_type"],
        "limit": ops.API_V2_LIST_LIMIT,
        "offset": ops.API_V2_LIST_LIMIT * rng.randrange(pages),
        "order": "-first_published_at",
    }
    if fx["api_v2_list_fields"]:
        params["fields"] = ",".join(fx["api_v2_list_fields"])
    path = "/api/v2/pages/?" + urllib.parse.urlencode(params)
    return {"method": "GET", "path": path, "headers": {}, "body": None}


def api_v2_detail_request(fx: dict, rng: Random):
    pk = rng.choice(fx["article_ids"])
    return {"method": "GET", "path": f"/api/v2/pages/{pk}/", "headers": {}}


def build_requests(scenario: str, fx: dict, seed: int = 8) -> list[dict]:
    rng = Random(seed)
    n = 400
    by_name = ops.OPERATIONS
    if scenario == "hello":
        return [{"method": "GET", "path": "/bench/hello", "headers": {}}]
    if scenario == "api_v2_list":
        return [api_v2_list_request(fx, rng) for _ in range(n)]
    if scenario == "api_v2_detail":
        return [api_v2_detail_request(fx, rng) for _ in range(n)]
    if scenario == "gql_list_uncached":
        op = by_name[ops.LIST_OPERATION]
        return [graphql_request(op, fx, rng, bypass=True) for _ in range(n)]
    if scenario == "gql_detail_uncached":
        op = by_name[ops.DETAIL_OPERATION]
        return [graphql_request(op, fx, rng, bypass=True) for _ in range(n)]
    if scenario == "gql_mix_uncached":
        mix = list(ops.MIX.values())
        chosen = rng.choices(mix, [op.weight for op in mix], k=n)
        return [graphql_request(op, fx, rng, bypass=True) for op in chosen]
    if scenario in {"gql_cached_list", "gql_cached_list_default"}:
        op = by_name[ops.LIST_OPERATION]
        distinct = [
            graphql_request(op, fx, rng, bypass=False)
            for _ in range(ops.CACHED_DISTINCT_REQUESTS)
        ]
        return distinct * 50
    if scenario == "gql_cached":
        distinct = [
            graphql_request(op, fx, rng, bypass=False)
            for op in (by_name[ops.LIST_OPERATION], by_name[ops.DETAIL_OPERATION])
            for _ in range(ops.CACHED_DISTINCT_REQUESTS)
        ]
        return distinct * 25
    raise ValueError(scenario)


def lua_string(value: str) -> str:
    out = ['"']
    for byte in value.encode():
        char = chr(byte)
        if char in '"\\' or byte < 32 or byte > 126:
            out.append(f"\\{byte:03d}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def write_lua_requests(path: Path, requests: list[dict], host: str) -> None:
    lines = ["return {"]
    for req in requests:
        headers = {"Host": host, **req.get("headers", {})}
        header_lua = ", ".join(
            f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()
        )
        body = req.get("body")
        body_lua = lua_string(body) if body is not None else "nil"
        lines.append(
            f"  {{method = {lua_string(req['method'])}, path = "
            f"{lua_string(req['path'])}, headers = {{{header_lua}}}, "
            f"body = {body_lua}}},"
        )
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")


def run_wrk(wrk: str, server: Server, config: Config, requests: Path, seconds: int):
    cmd = [
        wrk,
        "-t",
        str(config.wrk_threads),
        "-c",
        str(config.connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        server.base,
        "--",
        str(requests),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line.removeprefix("BENCH_JSON "))
            break
    else:
        raise RuntimeError(f"wrk gave no summary:\n{result.stdout}{result.stderr}")
    seconds_run = raw["duration_us"] / 1e6
    lat = raw["latency_us"]
    return {
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p95_ms": round(lat["p95"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "requests": raw["requests"],
        "errors": sum(raw["errors"].values()),
        "non_2xx_or_3xx": raw["errors"]["status"],
        "bytes_per_request": round(raw["bytes"] / max(raw["requests"], 1)),
    }


def median_of(rounds: list[dict]) -> dict:
    keys = ["rps", "p50_ms", "p95_ms", "p99_ms", "bytes_per_request"]
    result = {k: round(statistics.median(r[k] for r in rounds), 2) for k in keys}
    result["errors"] = sum(r["errors"] for r in rounds)
    result["rounds"] = len(rounds)
    return result


# --- measurements --------------------------------------------------------------


def measure_operation(server: Server, req: dict) -> dict:
    status, headers, body = http(
        server.base + req["path"],
        method=req["method"],
        headers=req.get("headers"),
        body=req.get("body"),
    )
    lower = {k.lower(): v for k, v in headers.items()}
    return {
        "status": status,
        "queries": int(lower.get("x-sql-queries", -1)),
        "bytes": len(body),
    }


def cached_hit_queries(server: Server, req: dict) -> int:
    """SQL queries of a response-cache hit: the cheapest of 8 repeats."""
    measure_operation(server, req)
    return min(measure_operation(server, req)["queries"] for _ in range(8))


def per_request_costs(
    server: Server, default_server: Server, fx: dict
) -> tuple[dict, dict, list[str]]:
    """SQL queries and body bytes per operation, after warm-up (max of 3)."""
    rng = Random(99)
    queries, sizes, problems = {}, {}, []
    targets = {
        name: [graphql_request(op, fx, rng, bypass=True) for _ in range(3)]
        for name, op in ops.OPERATIONS.items()
    }
    targets["hello"] = build_requests("hello", fx)
    targets["api_v2_list"] = [api_v2_list_request(fx, rng) for _ in range(3)]
    targets["api_v2_detail"] = [api_v2_detail_request(fx, rng) for _ in range(3)]
    for name, reqs in targets.items():
        samples = [measure_operation(server, req) for req in reqs]
        if any(s["status"] != 200 for s in samples):
            problems.append(f"{name}: HTTP {[s['status'] for s in samples]}")
        queries[name] = max(s["queries"] for s in samples)
        sizes[name] = round(statistics.median(s["bytes"] for s in samples))
    # A repeated cacheable request comes from the cache of the worker that
    # answered it before. Each worker caches in its own memory (without
    # REDIS_URL) and either may take a request, so repeat it and keep the
    # cheapest answer: if caching were broken, every answer would cost the
    # full query count.
    cached = graphql_request(
        ops.OPERATIONS[ops.DETAIL_OPERATION], fx, Random(5), bypass=False
    )
    queries["cached_hit"] = cached_hit_queries(server, cached)
    cached_list = graphql_request(
        ops.OPERATIONS[ops.LIST_OPERATION], fx, Random(5), bypass=False
    )
    queries["cached_list_hit"] = cached_hit_queries(server, cached_list)
    queries["cached_list_hit_default"] = cached_hit_queries(default_server, cached_list)
    return queries, sizes, problems


def first_graphql_ms(server: Server, fx: dict) -> float:
    req = graphql_request(
        ops.OPERATIONS[ops.DETAIL_OPERATION], fx, Random(3), bypass=True
    )
    t0 = time.monotonic()
    http(server.base + req["path"], method=req["method"], **_hb(req))
    return round((time.monotonic() - t0) * 1000, 1)


def _hb(req: dict) -> dict:
    return {"headers": req.get("headers"), "body": req.get("body")}


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


# --- report --------------------------------------------------------------------


def chart(results: dict, path: Path) -> str | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "no chart: matplotlib is missing (pip install -r requirements-bench.txt)"
    names = SCENARIOS
    warm = results["scenarios"]
    cold = results["cold"]["scenarios"]
    x = range(len(names))
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(11, 8), sharex=True)
    ax1.bar([i - 0.2 for i in x], [cold[n]["rps"] for n in names], 0.4, label="cold")
    ax1.bar([i + 0.2 for i in x], [warm[n]["rps"] for n in names], 0.4, label="warm")
    ax1.set_ylabel("requests / second")
    ax1.legend()
    meta = results["meta"]
    ax1.set_title(
        f"make bench{' QUICK' if meta['quick'] else ''}: {meta['workers']} "
        f"{meta['worker_class']} workers, c{meta['connections']}, "
        f"{meta['database']}, {meta['started_at']}"
    )
    ax2.bar([i - 0.2 for i in x], [warm[n]["p50_ms"] for n in names], 0.4, label="p50")
    ax2.bar([i + 0.2 for i in x], [warm[n]["p95_ms"] for n in names], 0.4, label="p95")
    ax2.set_ylabel("warm latency (ms)")
    ax2.legend()
    ax2.set_xticks(list(x))
    placeholders = set(meta["placeholders"])
    uses = {
        "gql_list_uncached": {ops.LIST_OPERATION},
        "gql_detail_uncached": {ops.DETAIL_OPERATION},
        "gql_mix_uncached": set(ops.MIX),
        "gql_cached": {ops.LIST_OPERATION, ops.DETAIL_OPERATION},
        "gql_cached_list": {ops.LIST_OPERATION},
        "gql_cached_list_default": {ops.LIST_OPERATION},
    }
    labels = [
        n + ("\n(placeholder)" if uses.get(n, set()) & placeholders else "")
        for n in names
    ]
    ax2.set_xticklabels(labels, rotation=20, ha="right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return None


def targets(results: dict) -> dict:
    r = results["ratios"]
    placeholders = set(results["meta"]["placeholders"])

    def check(value, ok, *needs):
        if value is None:
            return {"value": None, "pass": None}
        real = not (placeholders & set(needs))
        return {"value": value, "pass": ok(value) if real else None, "real": real}

    detail, lst = ops.DETAIL_OPERATION, ops.LIST_OPERATION
    p95_key = f"detail_uncached_c{results['meta']['connections']}"
    return {
        "detail_vs_api_v2 >= 1.0": check(
            r["detail_vs_api_v2"], lambda v: v >= 1.0, detail
        ),
        "list_vs_api_v2 >= 2.0": check(r["list_vs_api_v2"], lambda v: v >= 2.0, lst),
        "cached_vs_hello >= 0.6": check(
            r["cached_vs_hello"], lambda v: v >= 0.6, detail, lst
        ),
        # What a new user gets must not be the slow path.
        "cached_default_vs_configured >= 0.8": check(
            r["cached_default_vs_configured"], lambda v: v >= 0.8, lst
        ),
        f"p95_ms.{p95_key} <= 25": check(
            results["p95_ms"][p95_key], lambda v: v <= 25, detail
        ),
        "rss_mb.max_worker <= 150": check(
            results["rss_mb"]["max_worker"], lambda v: v <= 150
        ),
        "rss_mb.soak_growth_pct < 10": check(
            results["rss_mb"]["soak_growth_pct"], lambda v: v < 10
        ),
        "publish_to_webhook_ms.p95 < 2000": check(
            results["publish_to_webhook_ms"]["p95"], lambda v: v < 2000
        ),
    }


def print_report(results: dict) -> None:
    log("")
    header = f"{'scenario':<22}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    log(header + f"{'bytes':>9}{'cold rps':>10}{'errors':>8}")
    for name in SCENARIOS:
        w = results["scenarios"][name]
        c = results["cold"]["scenarios"][name]
        log(
            f"{name:<22}{w['rps']:>9.1f}{w['p50_ms']:>9.2f}{w['p95_ms']:>9.2f}"
            f"{w['p99_ms']:>9.2f}{w['bytes_per_request']:>9}{c['rps']:>10.1f}"
            f"{w['errors']:>8}"
        )
    log("")
    log("SQL queries per request: " + json.dumps(results["queries_per_request"]))
    log(
        f"RSS per worker: max peak {results['rss_mb']['max_worker']} MB, "
        f"soak growth {results['rss_mb']['soak_growth_pct']}% over "
        f"{results['meta']['soak_s']}s"
    )
    log(f"Time to first response: {results['cold']['time_to_first_response_ms']} ms")
    webhook = results["publish_to_webhook_ms"]
    log(
        f"publish_to_webhook_ms: p50 {webhook['p50']} p95 {webhook['p95']} "
        f"({webhook['delivered']}/{webhook['samples']} delivered)"
    )
    if results["meta"]["placeholders"]:
        log(
            "WARNING: placeholder query ({ __typename apiVersion }) used for: "
            + ", ".join(results["meta"]["placeholders"])
        )
    for note in results["meta"]["notes"]:
        log(f"note: {note}")
    log("")
    log("Ratios:")
    placeholders = set(results["meta"]["placeholders"])
    needs = {
        "detail_vs_api_v2": {ops.DETAIL_OPERATION},
        "list_vs_api_v2": {ops.LIST_OPERATION},
        "cached_vs_hello": {ops.DETAIL_OPERATION, ops.LIST_OPERATION},
        "cached_list_vs_hello": {ops.LIST_OPERATION},
        "cached_default_vs_hello": {ops.LIST_OPERATION},
        "cached_default_vs_configured": {ops.LIST_OPERATION},
        "mix_vs_hello": set(ops.MIX),
    }
    for key, value in results["ratios"].items():
        flag = "  (placeholder query)" if needs.get(key, set()) & placeholders else ""
        log(f"  {key:<30} {value}{flag}")
    log("Targets:")
    for key, value in results["targets"].items():
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[value["pass"]]
        log(f"  {key:<36} {value['value']!s:>10}  {verdict}")


# --- main ----------------------------------------------------------------------


def main() -> None:
    config = Config()
    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    OUT.mkdir(exist_ok=True)
    (OUT / "static").mkdir(exist_ok=True)
    wrk = ensure_wrk()
    env = server_env(config)
    prepare_database(config, env)
    default_env = default_server_env(env)
    default_database = prepare_default_tree(config, default_env)
    fx = probe(env)
    invalid = {n: c for n, c in fx["operations"].items() if not c["ok"]}
    if invalid and config.strict:
        sys.exit(f"BENCH_STRICT: operations fail against the schema: {invalid}")
    fx["valid"] = [n for n, c in fx["operations"].items() if c["ok"]]
    if not fx["article_ids"]:
        sys.exit("No live pages to benchmark: did load_demo_content run?")
    for name, check in invalid.items():
        log(f"  {name}: not available yet ({check['error']}); using a placeholder")

    server = Server(config, env, OUT / f"gunicorn-{stamp}.log")
    default_server = Server(
        config, default_env, OUT / f"gunicorn-default-{stamp}.log", DEFAULT_TREE
    )
    serving = {
        name: default_server if name in DEFAULT_SERVER_SCENARIOS else server
        for name in SCENARIOS
    }
    request_files = {}
    rounds: dict[str, list[dict]] = {name: [] for name in SCENARIOS}
    try:
        ttfr = server.start()
        default_server.start()
        for name in SCENARIOS:
            request_files[name] = OUT / f"requests-{name}.lua"
            host = f"127.0.0.1:{serving[name].port}"
            write_lua_requests(request_files[name], build_requests(name, fx), host)
        rss_start = server.rss()
        first_gql = first_graphql_ms(server, fx)
        log(
            f"Ready in {ttfr:.0f} ms; {config.rounds} rounds x {len(SCENARIOS)} "
            f"scenarios x {config.duration}s, c{config.connections}"
        )
        for r in range(config.rounds):
            for name in SCENARIOS:
                result = run_wrk(
                    wrk, serving[name], config, request_files[name], config.duration
                )
                rounds[name].append(result)
                log(
                    f"  round {r + 1} {name:<22} {result['rps']:>8.1f} rps  "
                    f"p95 {result['p95_ms']:>7.2f} ms  errors {result['errors']}"
                )
        queries, sizes, problems = per_request_costs(server, default_server, fx)
        default_server.stop()
        rss_before = server.rss()
        log(f"Soak: gql_mix_uncached for {config.soak}s")
        soak = run_wrk(
            wrk, server, config, request_files["gql_mix_uncached"], config.soak
        )
        rss_after = server.rss()
    finally:
        default_server.stop()
        server.stop()
        # A stale copy of the sources must not outlive the run.
        shutil.rmtree(DEFAULT_TREE, ignore_errors=True)
    log(f"Webhooks: {config.webhook_samples} publishes with a worker running")
    publish_to_webhook = webhook_bench.measure(env, config.webhook_samples, log=log)

    growth = [
        (rss_after[pid]["rss_mb"] - before["rss_mb"]) / before["rss_mb"] * 100
        for pid, before in rss_before.items()
        if pid in rss_after
    ]
    notes = list(fx["notes"]) + problems
    placeholders = sorted(set(ops.OPERATIONS) - set(fx["valid"]))
    if placeholders:
        # The placeholder's cost is not the operation's: keep the key, no number.
        queries["placeholder"] = queries[placeholders[0]]
        sizes["placeholder"] = sizes[placeholders[0]]
        for name in placeholders:
            queries[name] = sizes[name] = None
    detail_queries = queries.get(ops.DETAIL_OPERATION)
    if detail_queries and queries["cached_hit"] >= detail_queries:
        notes.append(
            f"gql_cached is not hitting the response cache: a repeated request "
            f"ran {queries['cached_hit']} SQL queries"
        )
    if queries["cached_list_hit_default"] != queries["cached_list_hit"]:
        notes.append(
            f"a cached ArticleList hit ran {queries['cached_list_hit_default']} "
            f"SQL queries on the default configuration against "
            f"{queries['cached_list_hit']} on the configured one"
        )
    for name, runs in rounds.items():
        if any(r["errors"] for r in runs):
            notes.append(f"{name}: wrk counted errors (see rounds.{name})")
    if set(rss_before) != set(rss_after):
        notes.append("a worker was replaced during the soak")
    warm_rounds = {n: rs[1:] or rs for n, rs in rounds.items()}
    scenarios = {n: median_of(rs) for n, rs in warm_rounds.items()}
    rps = {n: s["rps"] for n, s in scenarios.items()}
    results = {
        "meta": {
            "started_at": stamp,
            "quick": config.quick,
            "database": config.database_url.split(":", 1)[0],
            "articles_requested": config.articles,
            "trainers_requested": config.trainers,
            "article_page_type": fx["page_type"],
            "articles_found": fx["article_count"],
            "workers": config.workers,
            "worker_class": config.worker_class,
            "worker_threads": (
                config.worker_threads if config.worker_class == "gthread" else 1
            ),
            "connections": config.connections,
            "wrk_threads": config.wrk_threads,
            "rounds": config.rounds,
            "round_seconds": config.duration,
            "soak_s": config.soak,
            "cpus": os.cpu_count(),
            "placeholders": placeholders,
            "operation_checks": fx["operations"],
            "notes": notes,
            "gunicorn_log": str(server.log_path),
            "default_configuration": {
                "scenarios": sorted(DEFAULT_SERVER_SCENARIOS),
                "tree": str(DEFAULT_TREE),
                "database": default_database,
                "redis": False,
                "gunicorn_log": str(default_server.log_path),
            },
        },
        "ratios": {
            "detail_vs_api_v2": ratio(rps["gql_detail_uncached"], rps["api_v2_detail"]),
            "list_vs_api_v2": ratio(rps["gql_list_uncached"], rps["api_v2_list"]),
            "cached_vs_hello": ratio(rps["gql_cached"], rps["hello"]),
            "mix_vs_hello": ratio(rps["gql_mix_uncached"], rps["hello"]),
            # A cached ArticleList hit, configured and as a new user gets it.
            "cached_list_vs_hello": ratio(rps["gql_cached_list"], rps["hello"]),
            "cached_default_vs_hello": ratio(
                rps["gql_cached_list_default"], rps["hello"]
            ),
            "cached_default_vs_configured": ratio(
                rps["gql_cached_list_default"], rps["gql_cached_list"]
            ),
        },
        "p95_ms": {
            f"detail_uncached_c{config.connections}": scenarios["gql_detail_uncached"][
                "p95_ms"
            ],
            f"list_uncached_c{config.connections}": scenarios["gql_list_uncached"][
                "p95_ms"
            ],
            f"mix_uncached_c{config.connections}": scenarios["gql_mix_uncached"][
                "p95_ms"
            ],
        },
        "queries_per_request": queries,
        "response_bytes": sizes,
        "publish_to_webhook_ms": publish_to_webhook,
        "rss_mb": {
            "max_worker": max((w["peak_mb"] for w in rss_after.values()), default=None),
            "soak_growth_pct": round(max(growth), 2) if growth else None,
            "at_start": list(rss_start.values()),
            "before_soak": list(rss_before.values()),
            "after_soak": list(rss_after.values()),
        },
        "cold": {
            "time_to_first_response_ms": round(ttfr, 1),
            "first_graphql_request_ms": first_gql,
            "scenarios": {n: rs[0] for n, rs in rounds.items()},
        },
        "scenarios": scenarios,
        "rounds": rounds,
        "soak": soak,
    }
    results["targets"] = targets(results)
    results["meta"]["elapsed_s"] = round(time.monotonic() - started, 1)
    json_path = OUT / f"results-{stamp}.json"
    png_path = OUT / f"results-{stamp}.png"
    chart_problem = chart(results, png_path)
    if chart_problem:
        results["meta"]["notes"].append(chart_problem)
    else:
        results["meta"]["chart"] = str(png_path)
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    print_report(results)
    log(f"Chart: {chart_problem or png_path}")
    log(f"Elapsed: {results['meta']['elapsed_s']}s")
    print(json_path, flush=True)


if __name__ == "__main__":
    main()

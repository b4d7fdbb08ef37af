"""The benchmark's knobs (environment variables), paths and scenarios."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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

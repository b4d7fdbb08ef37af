"""The benchmark's knobs (environment variables), paths and scenarios."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".bench"
LUA = ROOT / "bench" / "requests.lua"
BIN = Path(sys.executable).parent
# ``make bench RESULTS=1`` copies the run's Markdown summary here.
RESULTS_MD = ROOT / "bench" / "RESULTS.md"

SCENARIOS = [
    "hello",
    "api_v2_list",
    "api_v2_detail",
    "api_v2_detail_seed",
    "gql_list_uncached",
    "gql_detail_uncached",
    "gql_detail_seed_uncached",
    "gql_mix_uncached",
    "gql_cached",
    "gql_cached_list",
    "hello_default",
    "gql_cached_list_default",
]
# Scenarios served by the default-configuration server; the rest by the
# configured one (the stack ``BENCH_STACK`` names).
DEFAULT_SERVER_SCENARIOS = {"hello_default", "gql_cached_list_default"}
DEFAULT_TREE = OUT / "default-tree"
# The clinic's own article, loaded by every ``load_demo_content``.
SEED_ARTICLE_SLUG = "physical-therapy-or-personal-training"
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
    "node_modules",
}
# Skipped at the top of the tree only (``content/media`` is a package).
TREE_SKIP_TOP = {"backups", "media", "staticfiles", "db.sqlite3"}
# The configured server's stack: PostgreSQL + Redis, or a tuned SQLite file.
STACKS = {"production", "sqlite"}
PRODUCTION_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cms_bench"
PRODUCTION_REDIS_URL = "redis://127.0.0.1:6379/15"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def env_num(name: str, default, cast=int):
    raw = os.environ.get(name, "").strip()
    return cast(raw) if raw else default


def env_list(name: str, default: list[int]) -> list[int]:
    raw = os.environ.get(name, "").strip()
    return [int(x) for x in raw.split(",") if x.strip()] if raw else default


def log(message: str) -> None:
    print(message, flush=True)


class Config:
    def __init__(self):
        self.quick = env_flag("QUICK")
        q = self.quick
        self.articles = env_num("BENCH_ARTICLES", 50 if q else 500)
        self.trainers = env_num("BENCH_TRAINERS", 200 if q else 5000)
        self.rounds = env_num("BENCH_ROUNDS", 2 if q else 4)
        self.duration = env_num("BENCH_DURATION", 4 if q else 8)
        self.soak = env_num("BENCH_SOAK", 15 if q else 600)
        self.soak_connections = env_num("BENCH_SOAK_CONNECTIONS", 16)
        self.connections = env_num("BENCH_CONNECTIONS", 4)
        self.wrk_threads = env_num("BENCH_WRK_THREADS", 2)
        self.workers = env_num("BENCH_WORKERS", 2)
        self.worker_class = os.environ.get("BENCH_WORKER_CLASS", "sync")
        self.worker_threads = env_num("BENCH_WORKER_THREADS", 2)
        self.scaling_workers = env_list("BENCH_SCALING_WORKERS", [1, 2, 3, 4])
        self.scaling_duration = env_num("BENCH_SCALING_DURATION", 4 if q else 10)
        self.scaling_connections = env_num("BENCH_SCALING_CONNECTIONS", 8)
        self.strict = env_flag("BENCH_STRICT")
        self.write_results = env_flag("RESULTS")
        self.webhook_samples = env_num("BENCH_WEBHOOK_SAMPLES", 15 if q else 40)
        self.stack = os.environ.get("BENCH_STACK", "").strip() or "production"
        if self.stack not in STACKS:
            sys.exit(f"BENCH_STACK must be one of {sorted(STACKS)}, not {self.stack!r}")
        production = self.stack == "production"
        self.database_url = os.environ.get("BENCH_DATABASE_URL", "").strip()
        if not self.database_url:
            self.database_url = (
                PRODUCTION_DATABASE_URL
                if production
                else f"sqlite:///{OUT / 'bench.sqlite3'}"
            )
        self.redis_url = os.environ.get("BENCH_REDIS_URL", "").strip()
        if not self.redis_url and production:
            self.redis_url = PRODUCTION_REDIS_URL
        if production and not self.database_url.startswith("postgres"):
            sys.exit("BENCH_STACK=production needs a postgres:// BENCH_DATABASE_URL")

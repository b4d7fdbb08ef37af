"""Scale check: the trainer operations on small and large data, with plans.

``python -m bench.scale``, or from ``make bench`` as an optional section
(``bench/sections.py``): ``measure(config)``, ``markdown(result)`` and
``targets(result)``. Builds (or tops up) a small and a large database beside
the bench database, times each operation in process against ``/graphql/``
(response cache off), counts its SQL and explains each query. docs/scale.md
describes the datasets, the method and the results.
"""

import json
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench.config import OUT, ROOT, Config, env_num, log

TARGET_RATIO = 1.5
RESULT_PREFIX = "SCALE_RESULT "
# Tables whose full scan grows with the data; a SCAN of anything else (the
# catalogue, the site, a json_each list) stays small.
LARGE_TABLES = (
    "wagtailcore_page",
    "content_trainerprofilepage",
    "content_trainerchange",
    "content_trainercredential",
    "content_trainerprofilepage_specialties",
    "content_trainereducation",
)


def _contract(name: str) -> str:
    return (ROOT / "frontend_contract" / "operations" / f"{name}.graphql").read_text()


FACETS_QUERY = """
query TrainerFacets($filter: TrainerFilter) {
  trainers(filter: $filter, limit: 1) {
    totalCount
    facets {
      specialties { slug name count }
      credentials { slug abbreviation count }
      cities { name state count }
    }
  }
}
"""

# name -> (query, variables); "SYNC_TAIL" is replaced by a cursor 200 rows
# before the end of the log (an app catching up since its last sync).
OPERATIONS = {
    "trainerDirectory": (
        _contract("TrainerDirectory"),
        {
            "filter": {"specialties": ["strength-and-conditioning"], "state": "WI"},
            "order": "NAME",
            "limit": 20,
            "offset": 0,
        },
    ),
    "trainersNearMe": (
        _contract("TrainerDirectory"),
        {
            "near": {"latitude": 43.0731, "longitude": -89.4012, "radiusKm": 50},
            "order": "DISTANCE",
            "limit": 20,
        },
    ),
    "trainerFacets": (FACETS_QUERY, {"filter": {"acceptingNewClients": True}}),
    "trainerSync": (_contract("TrainerSync"), {"cursor": None, "limit": 50}),
    "trainerSyncSince": (
        _contract("TrainerSync"),
        {"cursor": "SYNC_TAIL", "limit": 50},
    ),
}
SYNC_TAIL_ROWS = 200


class ScaleConfig:
    """The scale knobs, on top of the benchmark's ``Config``."""

    def __init__(self, config: Config):
        self.database_url = config.database_url
        # The scale whatever QUICK says (QUICK only takes fewer
        # samples): at the quick bench's scale, large would equal small.
        self.articles = env_num("SCALE_ARTICLES", 500)
        self.trainers = env_num("SCALE_TRAINERS", 5000)
        self.sync_rows = env_num("SCALE_SYNC_ROWS", 100_000)
        self.small = {
            "articles": env_num("SCALE_SMALL_ARTICLES", 50),
            "trainers": env_num("SCALE_SMALL_TRAINERS", 200),
            "sync_rows": env_num("SCALE_SMALL_SYNC_ROWS", 1000),
        }
        self.samples = env_num("SCALE_SAMPLES", 7 if config.quick else 25)
        self.warmup = env_num("SCALE_WARMUP", 3)
        self.rounds = env_num("SCALE_ROUNDS", 1 if config.quick else 2)

    def phases(self) -> dict[str, dict]:
        return {
            "small": self.small,
            "large": {
                "articles": self.articles,
                "trainers": self.trainers,
                "sync_rows": self.sync_rows,
            },
        }


def phase_database_url(database_url: str, phase: str) -> str:
    parts = urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        return f"sqlite:///{OUT / f'scale-{phase}.sqlite3'}"
    name = parts.path.lstrip("/") or "bench"
    return urlunsplit(parts._replace(path=f"/{name}_scale_{phase}"))


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _run_phase(config: Config, scale: "ScaleConfig", phase: str, size: dict):
    """One phase in a fresh interpreter: build or top up, then measure."""
    from bench.processes import server_env

    url = phase_database_url(config.database_url, phase)
    if not url.startswith("sqlite"):
        _ensure_postgres_database(url)
    env = server_env(config)
    env.update(
        DATABASE_URL=url,
        GRAPHQL_RESPONSE_CACHE="false",
        SCALE_PHASE=json.dumps(
            {**size, "samples": scale.samples, "warmup": scale.warmup}
        ),
    )
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--phase"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [
        line.removeprefix(RESULT_PREFIX)
        for line in result.stdout.splitlines()
        if line.startswith(RESULT_PREFIX)
    ]
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise RuntimeError(f"bench.scale phase {phase} failed ({url})")
    found = json.loads(lines[-1])
    found["database_url"] = url
    return found


def measure(config: Config) -> dict:
    """Both phases, each in its own interpreter, and the ratios large/small."""
    scale = ScaleConfig(config)
    phases: dict = {}
    # Small and large alternate, SCALE_ROUNDS times; each operation keeps its
    # lowest median over the rounds (co-tenants on a shared machine only ever
    # add time).
    for round_no in range(1, scale.rounds + 1):
        for phase, size in scale.phases().items():
            t0 = time.monotonic()
            found = _run_phase(config, scale, phase, size)
            log(f"Scale, round {round_no}, {phase}: {time.monotonic() - t0:.1f}s")
            if phase not in phases:
                phases[phase] = found
                for op in found["operations"].values():
                    op["round_medians_ms"] = [op["median_ms"]]
                continue
            for name, op in found["operations"].items():
                kept = phases[phase]["operations"][name]
                kept["round_medians_ms"].append(op["median_ms"])
                if op["median_ms"] < kept["median_ms"]:
                    op["round_medians_ms"] = kept["round_medians_ms"]
                    phases[phase]["operations"][name] = op
    ratios = {}
    for name in OPERATIONS:
        small = phases["small"]["operations"][name]
        large = phases["large"]["operations"][name]
        ratio = large["median_ms"] / small["median_ms"] if small["median_ms"] else None
        cpu = small["cpu_median_ms"] and large["cpu_median_ms"] / small["cpu_median_ms"]
        ratios[name] = {
            "ratio": ratio,
            "cpu_ratio": cpu or None,
            "meets_target": ratio is not None and ratio <= TARGET_RATIO,
            "same_sql_count": small["sql_count"] == large["sql_count"],
        }
    vendor = phases["large"]["vendor"]
    return {
        "vendor": vendor,
        "target_ratio": TARGET_RATIO,
        "samples": scale.samples,
        "rounds": scale.rounds,
        "phases": phases,
        "ratios": ratios,
    }


def markdown(result: dict) -> list[str]:
    small, large = result["phases"]["small"], result["phases"]["large"]
    lines = [
        f"### Scale ({result['vendor']})",
        "",
        f"Small: {_describe(small)}. Large: {_describe(large)}. Median of "
        f"{result['samples']} in-process requests (the lowest over "
        f"{result['rounds']} alternating rounds), response cache off; CPU is "
        "this process's CPU time (SQLite's work included, PostgreSQL's not); "
        f"target large/small <= {result['target_ratio']}x.",
        "",
        "| operation | small ms | large ms | ratio | target | CPU small | CPU large "
        "| CPU ratio | SQL small | SQL large |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in result["ratios"].items():
        s, g = small["operations"][name], large["operations"][name]
        ratio = _times(r["ratio"])
        lines.append(
            f"| {name} | {s['median_ms']:.1f} | {g['median_ms']:.1f} | {ratio} | "
            f"{'met' if r['meets_target'] else 'MISSED'} | {s['cpu_median_ms']:.1f} | "
            f"{g['cpu_median_ms']:.1f} | {_times(r['cpu_ratio'])} | "
            f"{s['sql_count']} | {g['sql_count']} |"
        )
    lines += ["", "Query plans on the large data (full scans of large tables:"]
    scans = [
        f"{name} #{q['index']}"
        for name, op in large["operations"].items()
        for q in op["plans"]
        if q["full_scans"]
    ]
    lines[-1] += f" {', '.join(scans) if scans else 'none'}):"
    for name, op in large["operations"].items():
        lines += ["", f"`{name}`:", ""]
        for q in op["plans"]:
            # Access paths only (the JSON has the whole plan), capped.
            paths = [p.strip(" ->") for p in q["plan"] if _access_path(p)]
            plan = " / ".join(paths or q["plan"][:1])[:400]
            lines.append(
                f"{q['index']}. ({q['ms']:.1f} ms) `{q['sql'][:110]}` -> {plan}"
            )
    return lines


def _access_path(line: str) -> bool:
    return "SCAN" in line.upper() or line.lstrip().startswith("SEARCH")


def targets(result: dict) -> dict:
    """The 1.5x target per operation, shaped like ``bench.report.check``'s
    entries (``make bench`` merges them into its targets table)."""
    entries = {}
    for name, r in result["ratios"].items():
        entries[f"{name}_large_vs_small"] = {
            "label": f"{name} large/small time ({result['vendor']})",
            "value": None if r["ratio"] is None else round(r["ratio"], 2),
            "goal": f"<= {TARGET_RATIO}",
            "pass": None if r["ratio"] is None else r["meets_target"],
        }
        entries[f"{name}_same_sql"] = {
            "label": f"{name} SQL count, small = large",
            "value": r["same_sql_count"],
            "goal": "== True",
            "pass": r["same_sql_count"],
        }
    return entries


def _times(ratio) -> str:
    return f"{ratio:.2f}x" if ratio is not None else "n/a"


def _describe(phase: dict) -> str:
    counts = phase["counts"]
    return (
        f"{counts['articles']} articles, {counts['trainers']} trainers, "
        f"{counts['sync_rows']} sync rows"
    )


def main() -> None:
    if sys.argv[1:] == ["--phase"]:
        sys.path.insert(0, str(ROOT))
        from bench.scale_phase import run_phase

        sys.stdout.write(RESULT_PREFIX + json.dumps(run_phase()) + "\n")
        return
    result = measure(Config())
    OUT.mkdir(exist_ok=True)
    path = OUT / f"scale-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2))
    print("\n".join(markdown(result)))
    print(path)


if __name__ == "__main__":
    main()

"""The Markdown summary of a ``make bench`` run: machine and commit, targets
(pass/fail), scenarios, cache hits on both stacks, SQL per request, worker
scaling with its CPU bound, the soak, and any optional sections.

Pure functions of the results dict, so they are tested without timing
anything; ``machine()`` and ``commit()`` read the host once per run.
"""

import os
import platform
import subprocess
from pathlib import Path

from bench.config import DEFAULT_SERVER_SCENARIOS, ROOT, SCENARIOS

VERDICT = {True: "pass", False: "**FAIL**", None: "n/a"}


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        mem_kb = 0
    try:
        load = [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        load = None
    return {
        "cpu": model or platform.processor() or "unknown",
        # Other work on the machine makes every figure noisy: say how much.
        "load_average_at_start": load,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def commit() -> dict:
    def git(*args):
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else None

    sha = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "sha": sha,
        "subject": git("log", "-1", "--format=%s"),
        "dirty": bool(status) if status is not None else None,
    }


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return lines


def targets_lines(targets: dict) -> list[str]:
    rows = []
    for entry in targets.values():
        verdict = VERDICT[entry["pass"]]
        if entry.get("why"):
            verdict += f" ({entry['why']})"
        rows.append([entry["label"], entry["goal"], entry["value"], verdict])
    passed = sum(1 for e in targets.values() if e["pass"] is True)
    failed = sum(1 for e in targets.values() if e["pass"] is False)
    return [
        *table(["target", "goal", "measured", "result"], rows),
        "",
        f"{passed} passed, {failed} failed, {len(targets) - passed - failed} n/a.",
    ]


def scaling_lines(scaling: dict | None) -> list[str]:
    if not scaling or not scaling.get("runs"):
        return ["Not measured."]
    rows = [
        [
            r["workers"],
            r["rps"],
            r["p95_ms"],
            r["server_cpu_ms_per_request"],
            r["server_bound_rps"],
            r["machine_utilisation_pct"],
            r["machine_bound_rps"],
        ]
        for r in scaling["runs"]
    ]
    lines = table(
        [
            "workers",
            "rps",
            "p95 ms",
            "server CPU ms/request",
            "cores / server CPU (rps)",
            "machine busy %",
            "cores / machine CPU (rps)",
        ],
        rows,
    )
    best = max(scaling["runs"], key=lambda r: r["rps"])
    lines += ["", explain_scaling(scaling, best)]
    return lines


def explain_scaling(scaling: dict, best: dict) -> str:
    cores = scaling["cores"]
    text = (
        f"The uncached mix at {scaling['connections']} connections, "
        f"{scaling['seconds']} s per worker count on {cores} cores. "
        f"Peak {fmt(best['rps'], 1)} requests/s with {best['workers']} worker(s)."
    )
    if best.get("server_cpu_ms_per_request"):
        text += (
            f" Each request costs {best['server_cpu_ms_per_request']} ms of "
            f"gunicorn CPU, so {cores} cores cannot serve more than "
            f"{fmt(best['server_bound_rps'], 0)} requests/s however many "
            f"workers run; counting everything the machine did (wrk, the "
            f"database, Redis, other processes) a request costs "
            f"{best['machine_cpu_ms_per_request']} ms, a bound of "
            f"{fmt(best['machine_bound_rps'], 0)} requests/s. Throughput "
            f"flattens once the workers keep every core busy."
        )
    return text


def markdown(results: dict, section_lines: list[str] | None = None) -> str:
    meta = results["meta"]
    m, git = meta.get("machine", {}), meta.get("commit", {})
    stack = meta.get("stack", {})
    c = meta["connections"]
    dirty = " (with uncommitted changes)" if git.get("dirty") else ""
    lines = [
        f"# make bench{' QUICK=1' if meta['quick'] else ''}: {meta['started_at']}",
        "",
        f"- Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
        f"{m.get('memory_gb', '?')} GB, Linux {m.get('kernel', '?')}, "
        f"Python {m.get('python', '?')}; load average at start "
        f"{' '.join(str(x) for x in m.get('load_average_at_start') or ['?'])}",
        f"- Commit: `{(git.get('sha') or '?')[:12]}` {git.get('subject') or ''}{dirty}",
        f"- Configured stack: {stack.get('description', '?')}; default "
        f"configuration: SQLite at `BASE_DIR/db.sqlite3`, no Redis",
        f"- gunicorn: {meta['workers']} {meta['worker_class']} workers; wrk "
        f"{c} connections; {meta['rounds']} rounds x {meta['round_seconds']} s "
        f"(first cold, median of the rest); {meta['articles_found']} articles",
        f"- Run time: {fmt(meta.get('elapsed_s'), 0)} s",
        "",
        "## Targets",
        "",
        *targets_lines(results["targets"]),
        "",
        "## Scenarios (warm)",
        "",
    ]
    rows = []
    for name in SCENARIOS:
        w = results["scenarios"][name]
        server = "default" if name in DEFAULT_SERVER_SCENARIOS else "configured"
        rows.append(
            [name, server, w["rps"], w["p50_ms"], w["p95_ms"], w["p99_ms"], w["errors"]]
        )
    lines += table(
        ["scenario", "server", "rps", "p50 ms", "p95 ms", "p99 ms", "errors"], rows
    )
    s, r = results["scenarios"], results["ratios"]
    lines += [
        "",
        "## Cache hits vs hello, both stacks",
        "",
        *table(
            ["stack", "hello rps", "cached ArticleList rps", "ratio"],
            [
                [
                    "default configuration (SQLite, no Redis)",
                    s["hello_default"]["rps"],
                    s["gql_cached_list_default"]["rps"],
                    r.get("cached_default_vs_hello"),
                ],
                [
                    stack.get("description", "configured"),
                    s["hello"]["rps"],
                    s["gql_cached_list"]["rps"],
                    r.get("cached_list_vs_hello"),
                ],
            ],
        ),
        "",
        "## SQL queries and bytes per request",
        "",
    ]
    sizes = results["response_bytes"]
    lines += table(
        ["operation", "SQL", "bytes"],
        [[n, q, sizes.get(n)] for n, q in results["queries_per_request"].items()],
    )
    lines += ["", "## Worker scaling", "", *scaling_lines(results.get("scaling"))]
    soak, rss = results.get("soak") or {}, results["rss_mb"]
    lines += [
        "",
        "## Soak",
        "",
        f"{meta['soak_s']} s of the uncached mix at "
        f"{meta.get('soak_connections', c)} connections on "
        f"{stack.get('description', 'configured stack')}: "
        f"{fmt(soak.get('requests'))} requests, {fmt(soak.get('errors'))} errors, "
        f"{fmt(soak.get('rps'), 1)} requests/s, p50 {fmt(soak.get('p50_ms'))} ms, "
        f"p95 {fmt(soak.get('p95_ms'))} ms, p99 {fmt(soak.get('p99_ms'))} ms; "
        f"worker RSS growth {fmt(rss.get('soak_growth_pct'))}%, peak "
        f"{fmt(rss.get('max_worker'))} MB.",
    ]
    lines += section_lines or []
    if meta.get("notes"):
        lines += ["", "## Notes", "", *(f"- {n}" for n in meta["notes"])]
    return "\n".join(lines) + "\n"

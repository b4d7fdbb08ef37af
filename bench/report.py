"""The benchmark's report: targets met, the printed summary, the chart."""

import json
from pathlib import Path

from bench import operations as ops
from bench.config import SCENARIOS, log

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
        "gql_detail_seed_uncached": {ops.DETAIL_OPERATION},
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


GOALS = {
    ">=": lambda value, goal: value >= goal,
    "<=": lambda value, goal: value <= goal,
    "<": lambda value, goal: value < goal,
    "==": lambda value, goal: value == goal,
}


def check(label, value, op, goal, *, real=True, why=None) -> dict:
    """One target: its value, goal and verdict (None: not measured, or not
    measured on what the target is about, e.g. a placeholder query)."""
    verdict = None if value is None or not real else GOALS[op](value, goal)
    entry = {"label": label, "value": value, "goal": f"{op} {goal}", "pass": verdict}
    if why and value is not None and not real:
        entry["why"] = why
    return entry


def targets(results: dict) -> dict:
    r = results["ratios"]
    meta = results["meta"]
    placeholders = set(meta["placeholders"])
    queries = results["queries_per_request"]
    stack = meta.get("stack", {})
    production = stack.get("stack") == "production"
    stack_name = stack.get("description", "configured stack")
    c = meta["connections"]
    detail, lst = ops.DETAIL_OPERATION, ops.LIST_OPERATION

    def real(*needs):
        return {"real": not (placeholders & set(needs)), "why": "placeholder query"}

    soak = results.get("soak") or {}
    on_production = {"real": production, "why": "not the production stack"}
    return {
        "seed_detail_vs_api_v2": check(
            "Seed article, uncached detail vs API v2 detail (x)",
            r.get("seed_detail_vs_api_v2"),
            ">=",
            3.0,
            **real(detail),
        ),
        "seed_detail_p95_ms": check(
            f"Seed article, uncached detail p95 at {c} connections (ms)",
            results["p95_ms"].get(f"seed_detail_uncached_c{c}"),
            "<=",
            15,
            **real(detail),
        ),
        "list_vs_api_v2": check(
            "Article list, uncached vs API v2 list (x)",
            r["list_vs_api_v2"],
            ">=",
            5.0,
            **real(lst),
        ),
        "detail_vs_api_v2": check(
            "Generated articles, uncached detail vs API v2 detail (x)",
            r["detail_vs_api_v2"],
            ">=",
            1.0,
            **real(detail),
        ),
        "detail_p95_ms": check(
            f"Generated articles, uncached detail p95 at {c} connections (ms)",
            results["p95_ms"].get(f"detail_uncached_c{c}"),
            "<=",
            25,
            **real(detail),
        ),
        "cached_default_vs_hello": check(
            "Cache hits vs hello, default configuration (SQLite, no Redis) (x)",
            r.get("cached_default_vs_hello"),
            ">=",
            0.8,
            **real(lst),
        ),
        "cached_list_vs_hello": check(
            f"Cache hits vs hello, {stack_name} (x)",
            r.get("cached_list_vs_hello"),
            ">=",
            0.8,
            **real(lst),
        ),
        "cached_vs_hello": check(
            f"Cache hits, list and detail, vs hello, {stack_name} (x)",
            r.get("cached_vs_hello"),
            ">=",
            0.8,
            **real(lst, detail),
        ),
        "sql_home_page": check(
            "SQL per request, HomePage", queries.get("homePage"), "<=", 10
        ),
        "sql_article_detail": check(
            "SQL per request, ArticleDetail (generated article)",
            queries.get(detail),
            "<=",
            8,
        ),
        "sql_article_detail_seed": check(
            "SQL per request, ArticleDetail (seed article)",
            queries.get("articleDetailSeed"),
            "<=",
            8,
        ),
        "soak_errors": check(
            f"Soak: errors over {meta['soak_s']} s at "
            f"{meta.get('soak_connections', c)} connections",
            soak.get("errors"),
            "==",
            0,
            **on_production,
        ),
        "soak_rss_growth_pct": check(
            "Soak: worker RSS growth (%)",
            results["rss_mb"]["soak_growth_pct"],
            "<",
            10,
            **on_production,
        ),
        "rss_max_worker_mb": check(
            "Peak RSS per worker (MB)", results["rss_mb"]["max_worker"], "<=", 150
        ),
        "publish_to_webhook_p95_ms": check(
            "Publish to webhook delivery p95 (ms)",
            (results.get("publish_to_webhook_ms") or {}).get("p95"),
            "<",
            2000,
        ),
    }


def print_report(results: dict) -> None:
    log("")
    header = f"{'scenario':<26}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    log(header + f"{'bytes':>9}{'cold rps':>10}{'errors':>8}")
    for name in SCENARIOS:
        w = results["scenarios"][name]
        c = results["cold"]["scenarios"][name]
        log(
            f"{name:<26}{w['rps']:>9.1f}{w['p50_ms']:>9.2f}{w['p95_ms']:>9.2f}"
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
        "seed_detail_vs_api_v2": {ops.DETAIL_OPERATION},
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
    for value in results["targets"].values():
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[value["pass"]]
        label = value["label"][:70]
        log(f"  {label:<70} {value['goal']:>7} {value['value']!s:>9}  {verdict}")

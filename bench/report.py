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

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
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import operations as ops  # noqa: E402
from bench import webhooks as webhook_bench  # noqa: E402
from bench.config import (  # noqa: E402
    DEFAULT_SERVER_SCENARIOS,
    DEFAULT_TREE,
    OUT,
    SCENARIOS,
    Config,
    log,
)
from bench.load import (  # noqa: E402
    build_requests,
    first_graphql_ms,
    median_of,
    per_request_costs,
    ratio,
    run_wrk,
    write_lua_requests,
)
from bench.processes import (  # noqa: E402
    Server,
    default_server_env,
    ensure_wrk,
    prepare_database,
    prepare_default_tree,
    probe,
    server_env,
)
from bench.report import chart, print_report, targets  # noqa: E402

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

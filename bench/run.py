"""``make bench``: load the GraphQL API and its baselines on gunicorn.

Steps: prepare the configured stack (``BENCH_STACK``: PostgreSQL + Redis by
default, or a SQLite file) with scaled demo content; start gunicorn with
production settings and the benchmark endpoints; run wrk over each scenario in
interleaved rounds (the first round is "cold"); count SQL queries and response
bytes per operation; measure worker scaling (1-4 workers, CPU per request);
soak the mix at 16 connections and compare worker memory; time publish to
webhook; run the optional sections (``bench/sections.py``); write
``.bench/results-<timestamp>.json``, a PNG chart and a Markdown summary
(``.bench/summary.md``; ``RESULTS=1`` copies it to bench/RESULTS.md). The
JSON file's path is the last line printed. Knobs: docs/benchmark.md.

Beside the configured server a second gunicorn serves the configuration a new
user gets: no ``DATABASE_URL`` and no ``REDIS_URL``, so the settings pick
their own default, the SQLite file ``BASE_DIR/db.sqlite3``. That file is the
checkout's own database, so this server runs from a copy of the source tree
(``.bench/default-tree``, with its own copy of the demo content; removed at
the end): the settings, and the code path that builds the default database,
are exactly the ones ``make serve`` runs.
"""

import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import operations as ops  # noqa: E402
from bench import scaling as scaling_bench  # noqa: E402
from bench import sections, stacks, summary  # noqa: E402
from bench import webhooks as webhook_bench  # noqa: E402
from bench.config import (  # noqa: E402
    DEFAULT_SERVER_SCENARIOS,
    DEFAULT_TREE,
    OUT,
    RESULTS_MD,
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
    machine = summary.machine()
    wrk = ensure_wrk()
    section_modules, sections_skipped = sections.load()
    stack = stacks.prepare(config)
    env = server_env(config)
    default_env = default_server_env(env)
    if config.database_url.startswith("sqlite:"):
        # The default tree starts from a copy of the loaded bench database.
        prepare_database(config, env)
        default_database = prepare_default_tree(config, default_env)
    else:
        # Independent databases: load both at once.
        with ThreadPoolExecutor(max_workers=1) as pool:
            tree = pool.submit(prepare_default_tree, config, default_env)
            prepare_database(config, env)
            default_database = tree.result()
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
                    f"  round {r + 1} {name:<26} {result['rps']:>8.1f} rps  "
                    f"p95 {result['p95_ms']:>7.2f} ms  errors {result['errors']}"
                )
        queries, sizes, problems = per_request_costs(server, default_server, fx)
        default_server.stop()
        log(
            f"Worker scaling: gql_mix_uncached, workers {config.scaling_workers}, "
            f"c{config.scaling_connections}"
        )
        scaling = scaling_bench.measure(
            wrk, config, env, request_files["gql_mix_uncached"], stamp
        )
        rss_before = server.rss()
        log(f"Soak: gql_mix_uncached for {config.soak}s, c{config.soak_connections}")
        soak = run_wrk(
            wrk,
            server,
            config,
            request_files["gql_mix_uncached"],
            config.soak,
            config.soak_connections,
        )
        rss_after = server.rss()
    finally:
        default_server.stop()
        server.stop()
        # A stale copy of the sources must not outlive the run.
        shutil.rmtree(DEFAULT_TREE, ignore_errors=True)
    log(f"Webhooks: {config.webhook_samples} publishes with a worker running")
    publish_to_webhook = webhook_bench.measure(env, config.webhook_samples, log=log)
    section_results = sections.run(section_modules, config)

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
        if ops.DETAIL_OPERATION in placeholders:
            queries["articleDetailSeed"] = sizes["articleDetailSeed"] = None
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
    if soak["errors"]:
        notes.append(f"soak: wrk counted {soak['errors']} errors")
    if set(rss_before) != set(rss_after):
        notes.append("a worker was replaced during the soak")
    for name, result in section_results.items():
        if "error" in result:
            notes.append(f"section {name} failed: {result['error']}")
    warm_rounds = {n: rs[1:] or rs for n, rs in rounds.items()}
    scenarios = {n: median_of(rs) for n, rs in warm_rounds.items()}
    rps = {n: s["rps"] for n, s in scenarios.items()}
    c = config.connections
    results = {
        "meta": {
            "started_at": stamp,
            "quick": config.quick,
            "machine": machine,
            "commit": summary.commit(),
            "stack": stack,
            "database": config.database_url.split(":", 1)[0],
            "articles_requested": config.articles,
            "trainers_requested": config.trainers,
            "article_page_type": fx["page_type"],
            "articles_found": fx["article_count"],
            "seed_article": {
                "slug": fx.get("seed_article_slug"),
                "id": fx.get("seed_article_id"),
            },
            "workers": config.workers,
            "worker_class": config.worker_class,
            "worker_threads": (
                config.worker_threads if config.worker_class == "gthread" else 1
            ),
            "connections": c,
            "wrk_threads": config.wrk_threads,
            "rounds": config.rounds,
            "round_seconds": config.duration,
            "soak_s": config.soak,
            "soak_connections": config.soak_connections,
            "cpus": os.cpu_count(),
            "placeholders": placeholders,
            "operation_checks": fx["operations"],
            "sections": sorted(section_modules),
            "sections_skipped": sections_skipped,
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
            "seed_detail_vs_api_v2": ratio(
                rps["gql_detail_seed_uncached"], rps["api_v2_detail_seed"]
            ),
            "detail_vs_api_v2": ratio(rps["gql_detail_uncached"], rps["api_v2_detail"]),
            "list_vs_api_v2": ratio(rps["gql_list_uncached"], rps["api_v2_list"]),
            "cached_vs_hello": ratio(rps["gql_cached"], rps["hello"]),
            "mix_vs_hello": ratio(rps["gql_mix_uncached"], rps["hello"]),
            # A cached ArticleList hit on each stack, against that server's hello.
            "cached_list_vs_hello": ratio(rps["gql_cached_list"], rps["hello"]),
            "cached_default_vs_hello": ratio(
                rps["gql_cached_list_default"], rps["hello_default"]
            ),
            "cached_default_vs_configured": ratio(
                rps["gql_cached_list_default"], rps["gql_cached_list"]
            ),
        },
        "p95_ms": {
            f"{key}_c{c}": scenarios[name]["p95_ms"]
            for key, name in [
                ("seed_detail_uncached", "gql_detail_seed_uncached"),
                ("detail_uncached", "gql_detail_uncached"),
                ("list_uncached", "gql_list_uncached"),
                ("mix_uncached", "gql_mix_uncached"),
            ]
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
        "scaling": scaling,
        "soak": soak,
        **section_results,
    }
    results["targets"] = {
        **targets(results),
        **sections.targets(section_modules, section_results),
    }
    write_outputs(results, config, section_modules, started, stamp)


def write_outputs(results, config, section_modules, started, stamp) -> None:
    results["meta"]["elapsed_s"] = round(time.monotonic() - started, 1)
    json_path = OUT / f"results-{stamp}.json"
    png_path = OUT / f"results-{stamp}.png"
    chart_problem = chart(results, png_path)
    if chart_problem:
        results["meta"]["notes"].append(chart_problem)
    else:
        results["meta"]["chart"] = str(png_path)
    section_names = results["meta"]["sections"]
    text = summary.markdown(
        results,
        sections.markdown(
            section_modules, {n: results[n] for n in section_names if n in results}
        ),
    )
    md_path = OUT / f"summary-{stamp}.md"
    md_path.write_text(text)
    (OUT / "summary.md").write_text(text)
    results["meta"]["summary"] = str(md_path)
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    print_report(results)
    log(f"Chart: {chart_problem or png_path}")
    log(f"Summary: {md_path} (copied to {OUT / 'summary.md'})")
    if config.write_results:
        shutil.copyfile(md_path, RESULTS_MD)
        log(f"RESULTS=1: copied to {RESULTS_MD}")
    log(f"Elapsed: {results['meta']['elapsed_s']}s")
    print(json_path, flush=True)


if __name__ == "__main__":
    main()

"""The requests wrk sends (as a Lua script) and what one request costs."""

import json
import statistics
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from random import Random

from bench import operations as ops
from bench.config import LUA, SEED_ARTICLE_SLUG, Config
from bench.processes import Server, http

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


def seed_detail_request(fx: dict) -> dict:
    """The seed article's ArticleDetail, past the response cache."""
    op = ops.OPERATIONS[ops.DETAIL_OPERATION]
    slug = fx.get("seed_article_slug") or SEED_ARTICLE_SLUG
    return graphql_request(op, {**fx, "article_slugs": [slug]}, Random(0), bypass=True)


def api_v2_seed_request(fx: dict) -> dict:
    """The seed article's REST detail: the same fields (content/articles/bench.py)."""
    pk = fx.get("seed_article_id") or fx["article_ids"][0]
    return {"method": "GET", "path": f"/api/v2/pages/{pk}/", "headers": {}}


def build_requests(scenario: str, fx: dict, seed: int = 8) -> list[dict]:
    rng = Random(seed)
    n = 400
    by_name = ops.OPERATIONS
    if scenario in {"hello", "hello_default"}:
        return [{"method": "GET", "path": "/bench/hello", "headers": {}}]
    if scenario == "api_v2_detail_seed":
        return [api_v2_seed_request(fx)]
    if scenario == "gql_detail_seed_uncached":
        return [seed_detail_request(fx)]
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


def run_wrk(
    wrk: str,
    server: Server,
    config: Config,
    requests: Path,
    seconds: int,
    connections: int | None = None,
):
    connections = connections or config.connections
    cmd = [
        wrk,
        "-t",
        str(min(config.wrk_threads, connections)),
        "-c",
        str(connections),
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
    targets["articleDetailSeed"] = [seed_detail_request(fx)] * 3
    targets["api_v2_detail_seed"] = [api_v2_seed_request(fx)] * 3
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

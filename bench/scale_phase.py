"""One phase of the scale check (``bench/scale.py``), inside Django: build
or top up a database, then time, count and explain each operation."""

import json
import os
import statistics
import time

from bench.scale import LARGE_TABLES, OPERATIONS, SYNC_TAIL_ROWS


def _build(size: dict) -> dict:
    """Migrate, load (or top up) the demo content and the change log."""
    from io import StringIO

    from django.core.management import call_command

    from cms.db import analyze
    from content.models import ArticlePage
    from content.trainers.demo import add_change_log_rows
    from content.trainers.models import TrainerChange, TrainerProfilePage

    out = StringIO()
    call_command("migrate", "--noinput", stdout=out)
    args = ["load_demo_content"]
    if size["articles"]:
        args += ["--articles", str(size["articles"])]
    if size["trainers"]:
        args += ["--trainers", str(size["trainers"])]
    call_command(*args, stdout=out)
    missing = size["sync_rows"] - TrainerChange.objects.count()
    if missing > 0:
        add_change_log_rows(missing)
        analyze()
    return {
        "articles": ArticlePage.objects.count(),
        "trainers": TrainerProfilePage.objects.count(),
        "sync_rows": TrainerChange.objects.count(),
    }


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN {sql}")
        return [row[0] for row in cursor.fetchall()]


def full_scans(plan: list[str]) -> list[str]:
    """The plan lines that read a whole large table."""
    found = []
    for line in plan:
        text = line.strip().lstrip("-> ")
        if not (text.startswith("SCAN") or text.startswith("Seq Scan")):
            continue
        words = text.replace("Seq Scan on", "SCAN").split()
        table = words[1] if len(words) > 1 else ""
        if table in LARGE_TABLES:
            found.append(text)
    return found


def _variables(variables: dict) -> dict:
    from content.trainers.models import TrainerChange
    from content.trainers.services import encode_cursor

    if variables.get("cursor") != "SYNC_TAIL":
        return variables
    ids = TrainerChange.objects.order_by("-id").values_list("id", flat=True)
    tail = list(ids[: SYNC_TAIL_ROWS + 1])
    return {**variables, "cursor": encode_cursor(tail[-1] if tail else 0)}


def run_operation(client, query: str, variables: dict, samples: int, warmup: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    body = json.dumps({"query": query, "variables": variables})

    def post():
        response = client.post("/graphql/", data=body, content_type="application/json")
        payload = response.json()
        if response.status_code != 200 or payload.get("errors"):
            raise RuntimeError(f"{response.status_code}: {payload.get('errors')}")
        return payload

    for _ in range(warmup):
        post()
    timings, cpu = [], []
    for _ in range(samples):
        t0, c0 = time.perf_counter(), time.process_time()
        post()
        cpu.append((time.process_time() - c0) * 1000)
        timings.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as captured:
        post()
    plans = []
    for index, q in enumerate(captured.captured_queries, 1):
        sql = q["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plan = explain(sql)
        plans.append(
            {
                "index": index,
                "sql": sql,
                "ms": float(q["time"]) * 1000,
                "plan": plan,
                "full_scans": full_scans(plan),
            }
        )
    return {
        "median_ms": statistics.median(timings),
        # This process's CPU time: SQLite's work included (it runs in
        # process), PostgreSQL's not. Less sensitive to co-tenants than wall
        # time on a shared machine.
        "cpu_median_ms": statistics.median(cpu),
        "min_ms": min(timings),
        "max_ms": max(timings),
        "sql_count": len(captured.captured_queries),
        "plans": plans,
    }


def run_phase() -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    size = json.loads(os.environ["SCALE_PHASE"])
    t0 = time.monotonic()
    counts = _build(size)
    build_s = time.monotonic() - t0
    client = Client(HTTP_HOST="localhost")
    operations = {
        name: run_operation(
            client, query, _variables(variables), size["samples"], size["warmup"]
        )
        for name, (query, variables) in OPERATIONS.items()
    }
    return {
        "vendor": connection.vendor,
        "counts": counts,
        "build_seconds": round(build_s, 1),
        "operations": operations,
    }

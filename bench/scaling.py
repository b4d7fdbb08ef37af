"""Worker scaling: the uncached mix on 1, 2, 3, 4 gunicorn workers, and the
CPU each request costs, read from ``/proc``.

For each worker count a fresh gunicorn serves the configured stack; after a
short warm-up (imports, per-process caches) wrk drives the mix for
``BENCH_SCALING_DURATION`` seconds at ``BENCH_SCALING_CONNECTIONS``. Two CPU
costs per request are measured over that window:

- the server's: user + system seconds of gunicorn's master and workers;
- the machine's: busy time of every core (``/proc/stat``), which adds wrk,
  the database, Redis and anything else running.

``cores / cpu_per_request`` is the throughput those costs allow at best: once
the workers keep every core busy, more workers only queue.
"""

import os
from pathlib import Path

from bench.config import OUT, Config, log
from bench.load import run_wrk
from bench.processes import Server


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of all cores since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return (total - idle) / ticks, total / ticks


def cpu_bound(requests: int, server_cpu_s: float, machine_cpu_s: float, cores: int):
    """CPU milliseconds per request and the requests/second they allow."""
    if not requests:
        return {
            "server_cpu_ms_per_request": None,
            "server_bound_rps": None,
            "machine_cpu_ms_per_request": None,
            "machine_bound_rps": None,
        }
    server_ms = server_cpu_s * 1000 / requests
    machine_ms = machine_cpu_s * 1000 / requests
    return {
        "server_cpu_ms_per_request": round(server_ms, 3),
        "server_bound_rps": round(cores * 1000 / server_ms, 1) if server_ms else None,
        "machine_cpu_ms_per_request": round(machine_ms, 3),
        "machine_bound_rps": round(cores * 1000 / machine_ms, 1)
        if machine_ms
        else None,
    }


def measure(wrk: str, config: Config, env: dict, requests: Path, stamp: str) -> dict:
    cores = os.cpu_count() or 1
    runs = []
    for workers in config.scaling_workers:
        server = Server(
            config, env, OUT / f"gunicorn-scaling{workers}-{stamp}.log", workers=workers
        )
        try:
            server.start()
            warm = max(2, config.scaling_duration // 3)
            run_wrk(wrk, server, config, requests, warm, config.scaling_connections)
            cpu0, (busy0, wall0) = server.cpu_seconds(), machine_busy_seconds()
            result = run_wrk(
                wrk,
                server,
                config,
                requests,
                config.scaling_duration,
                config.scaling_connections,
            )
            cpu1, (busy1, wall1) = server.cpu_seconds(), machine_busy_seconds()
        finally:
            server.stop()
        busy = busy1 - busy0
        run = {
            "workers": workers,
            "rps": result["rps"],
            "p50_ms": result["p50_ms"],
            "p95_ms": result["p95_ms"],
            "errors": result["errors"],
            "requests": result["requests"],
            "server_cpu_s": round(cpu1 - cpu0, 2),
            "machine_busy_s": round(busy, 2),
            "machine_utilisation_pct": round(100 * busy / (wall1 - wall0), 1)
            if wall1 > wall0
            else None,
            **cpu_bound(result["requests"], cpu1 - cpu0, busy, cores),
        }
        runs.append(run)
        log(
            f"  {workers} worker(s): {run['rps']:>8.1f} rps  p95 {run['p95_ms']:.2f} ms"
            f"  server CPU {run['server_cpu_ms_per_request']} ms/req"
            f" (bound {run['server_bound_rps']} rps)"
            f"  machine busy {run['machine_utilisation_pct']}%"
        )
    return {
        "scenario": "gql_mix_uncached",
        "connections": config.scaling_connections,
        "seconds": config.scaling_duration,
        "cores": cores,
        "runs": runs,
    }

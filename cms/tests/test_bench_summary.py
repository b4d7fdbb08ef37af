"""The benchmark's targets, Markdown summary, CPU bound and optional sections:
pure functions of a results dict, checked without timing anything."""

import sys
import types

import pytest

from bench import sections, summary
from bench.config import SCENARIOS, Config
from bench.report import targets
from bench.scaling import cpu_bound


def scenario(rps: float, p95: float = 5.0) -> dict:
    return {"rps": rps, "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 2,
            "bytes_per_request": 100, "errors": 0, "rounds": 1}  # fmt: skip


def results(**overrides) -> dict:
    base = {
        "meta": {
            "started_at": "20261130T120000Z",
            "quick": True,
            "machine": {
                "cpu": "Test CPU",
                "cores": 2,
                "memory_gb": 4.0,
                "kernel": "6.1",
                "python": "3.12.0",
                "load_average_at_start": [0.5, 0.4, 0.3],
            },  # fmt: skip
            "commit": {
                "sha": "abcdef1234567890",
                "subject": "A commit",
                "dirty": False,
            },  # fmt: skip
            "stack": {"stack": "production", "description": "PostgreSQL + Redis"},
            "workers": 2,
            "worker_class": "sync",
            "connections": 4,
            "rounds": 2,
            "round_seconds": 4,
            "articles_found": 51,
            "soak_s": 600,
            "soak_connections": 16,
            "placeholders": [],
            "notes": [],
            "elapsed_s": 200.0,
        },
        "ratios": {
            "seed_detail_vs_api_v2": 3.2,
            "detail_vs_api_v2": 2.0,
            "list_vs_api_v2": 4.9,
            "cached_vs_hello": 0.85,
            "cached_list_vs_hello": 0.9,
            "cached_default_vs_hello": 0.81,
        },
        "p95_ms": {"seed_detail_uncached_c4": 14.0, "detail_uncached_c4": 9.0},
        "queries_per_request": {
            "articleDetail": 8,
            "homePage": 11,
            "articleDetailSeed": 7,
            "search": 5,
        },  # fmt: skip
        "response_bytes": {"articleDetail": 9000, "homePage": 3000},
        "rss_mb": {"max_worker": 140.0, "soak_growth_pct": 3.5},
        "publish_to_webhook_ms": {"p95": 900},
        "soak": {
            "requests": 100000,
            "errors": 0,
            "rps": 170.0,
            "p50_ms": 40.0,
            "p95_ms": 90.0,
            "p99_ms": 120.0,
        },  # fmt: skip
        "scenarios": {name: scenario(1000.0) for name in SCENARIOS},
        "scaling": {
            "connections": 8,
            "seconds": 10,
            "cores": 2,
            "runs": [
                {
                    "workers": 1,
                    "rps": 150.0,
                    "p95_ms": 60.0,
                    **cpu_bound(1500, 9.0, 14.0, 2),
                    "machine_utilisation_pct": 70.0,
                },
                {
                    "workers": 2,
                    "rps": 210.0,
                    "p95_ms": 45.0,
                    **cpu_bound(2100, 12.6, 19.0, 2),
                    "machine_utilisation_pct": 97.0,
                },
            ],  # fmt: skip
        },
    }
    for key, value in overrides.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) else value
    base["targets"] = targets(base)
    return base


def test_targets_pass_and_fail_against_the_issue_goals():
    t = results()["targets"]

    assert (
        t["seed_detail_vs_api_v2"] | {"goal": ">= 3.0", "pass": True}
        == t["seed_detail_vs_api_v2"]
    )
    assert t["seed_detail_p95_ms"]["pass"] is True  # 14 <= 15
    assert t["list_vs_api_v2"]["pass"] is False  # 4.9 < 5
    assert t["cached_default_vs_hello"]["pass"] is True  # 0.81 >= 0.8
    assert t["sql_home_page"]["pass"] is False  # 11 > 10
    assert t["sql_article_detail"]["pass"] is True  # 8 <= 8
    assert t["sql_article_detail_seed"]["pass"] is True
    assert t["soak_errors"]["pass"] is True
    assert t["soak_rss_growth_pct"]["pass"] is True


def test_a_placeholder_or_a_missing_value_is_not_a_verdict():
    r = results(meta={"placeholders": ["articleDetail"]})
    r["p95_ms"] = {}
    t = targets(r)

    assert t["seed_detail_vs_api_v2"]["pass"] is None
    assert t["seed_detail_vs_api_v2"]["why"] == "placeholder query"
    assert t["seed_detail_p95_ms"]["value"] is None
    assert t["seed_detail_p95_ms"]["pass"] is None
    assert "why" not in t["seed_detail_p95_ms"]  # not measured at all
    assert t["list_vs_api_v2"]["pass"] is False  # the list is real


def test_the_soak_targets_hold_only_on_the_production_stack():
    r = results(
        meta={"stack": {"stack": "sqlite", "description": "SQLite + Redis"}},
        soak={"errors": 3},
    )

    assert r["targets"]["soak_errors"]["pass"] is None
    assert r["targets"]["soak_errors"]["why"] == "not the production stack"
    r = results(soak={"errors": 3}, rss_mb={"soak_growth_pct": 12.0})
    assert r["targets"]["soak_errors"]["pass"] is False
    assert r["targets"]["soak_rss_growth_pct"]["pass"] is False


def test_cpu_bound_turns_cpu_per_request_into_a_throughput_ceiling():
    bound = cpu_bound(requests=2000, server_cpu_s=10.0, machine_cpu_s=16.0, cores=2)

    assert bound == {
        "server_cpu_ms_per_request": 5.0,
        "server_bound_rps": 400.0,
        "machine_cpu_ms_per_request": 8.0,
        "machine_bound_rps": 250.0,
    }
    assert cpu_bound(0, 1.0, 1.0, 2)["server_bound_rps"] is None


def test_the_summary_names_machine_commit_targets_and_both_stacks():
    text = summary.markdown(results(), ["", "## extra", "", "extra line"])

    assert "Test CPU, 2 cores" in text
    assert "load average at start 0.5 0.4 0.3" in text
    assert "`abcdef123456` A commit" in text
    row = "| Article list, uncached vs API v2 list (x) | >= 5.0 | 4.90 | **FAIL** |"
    assert row in text
    assert "| SQL per request, HomePage | <= 10 | 11 | **FAIL** |" in text
    row = "| default configuration (SQLite, no Redis) | 1,000.00 | 1,000.00 | 0.81 |"
    assert row in text
    assert "| PostgreSQL + Redis | 1,000.00 | 1,000.00 | 0.90 |" in text
    assert "| articleDetailSeed | 7 | - |" in text
    for name in SCENARIOS:
        assert f"| {name} |" in text
    # The scaling paragraph explains the ceiling from the measured CPU cost.
    assert "Peak 210.0 requests/s with 2 worker(s)" in text
    assert "6.0 ms of gunicorn CPU, so 2 cores cannot serve more than 333" in text
    assert "p99 120.00 ms" in text
    assert text.rstrip().endswith("extra line")
    passed, failed = text.count("| pass |"), text.count("| **FAIL** |")
    assert f"{passed} passed, {failed} failed" in text


def test_the_summary_marks_uncommitted_changes():
    r = results(meta={"commit": {"sha": "abc", "subject": "s", "dirty": True}})

    assert "(with uncommitted changes)" in summary.markdown(r)


@pytest.fixture
def fake_section(monkeypatch):
    module = types.ModuleType("bench_fake_section")
    module.measure = lambda config: {"seconds": 1.5}
    module.markdown = lambda result: [f"took {result['seconds']} s"]
    module.targets = lambda result: {
        "seconds <= 2": {
            "label": "Fake",
            "value": result["seconds"],
            "goal": "<= 2",
            "pass": result["seconds"] <= 2,
        }  # fmt: skip
    }
    monkeypatch.setitem(sys.modules, "bench_fake_section", module)
    return module


def test_sections_skip_a_missing_module_and_run_the_others(fake_section):
    modules, skipped = sections.load(["bench_no_such_section", "bench_fake_section"])

    assert skipped == ["bench_no_such_section"]
    assert list(modules) == ["bench_fake_section"]
    measured = sections.run(modules, config=None)
    assert measured == {"bench_fake_section": {"seconds": 1.5}}
    assert sections.markdown(modules, measured) == [
        "",
        "## bench_fake_section",
        "",
        "took 1.5 s",
    ]
    merged = sections.targets(modules, measured)
    assert merged["bench_fake_section: seconds <= 2"]["pass"] is True


def test_a_failing_section_is_recorded_not_fatal(fake_section):
    def boom(config):
        raise RuntimeError("no varnish")

    fake_section.measure = boom
    modules, _ = sections.load(["bench_fake_section"])

    measured = sections.run(modules, config=None)

    assert measured == {"bench_fake_section": {"error": "RuntimeError: no varnish"}}
    assert "The section failed" in sections.markdown(modules, measured)[-1]
    assert sections.targets(modules, measured) == {}


def test_the_optional_sections_are_scale_then_edge():
    assert sections.OPTIONAL_SECTIONS == ["bench.scale", "bench.edge"]
    assert sections.section_name("bench.scale") == "scale"


def test_the_stack_defaults_to_postgresql_and_redis(monkeypatch):
    for name in ("BENCH_STACK", "BENCH_DATABASE_URL", "BENCH_REDIS_URL", "QUICK"):
        monkeypatch.delenv(name, raising=False)
    config = Config()
    assert config.stack == "production"
    assert config.database_url.startswith("postgres://")
    assert config.redis_url.startswith("redis://")
    assert config.soak == 600
    assert config.soak_connections == 16

    monkeypatch.setenv("BENCH_STACK", "sqlite")
    config = Config()
    assert config.database_url.startswith("sqlite:///")
    assert config.redis_url == ""

    monkeypatch.setenv("BENCH_STACK", "mysql")
    with pytest.raises(SystemExit):
        Config()

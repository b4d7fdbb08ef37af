"""The trainer operations at scale: constant SQL, and plans that use indexes.

``bench/scale.py`` times these operations on 5,000 trainers and 100,000
change-log rows (docs/scale.md); here a few hundred trainers and a few
thousand rows are enough to show that the number of statements does not grow
with the data, and that the queries which would otherwise read whole tables
seek an index instead. No timings: those belong to the benchmark.
"""

from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.scale import FACETS_QUERY as FACETS
from cms.db import analyze
from content.trainers import demo
from content.trainers.models import TrainerChange
from content.trainers.services import encode_cursor, log_expired_credentials
from frontend_contract.tools import OPERATIONS_DIR

DIRECTORY = (OPERATIONS_DIR / "TrainerDirectory.graphql").read_text()
SYNC = (OPERATIONS_DIR / "TrainerSync.graphql").read_text()
NEAR = {"latitude": 43.0731, "longitude": -89.4012, "radiusKm": 50}

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN"
)


def operations() -> dict:
    """The benchmark's operations (bench/scale.py), with a sync cursor 20
    rows before the end of the log."""
    latest = TrainerChange.objects.order_by("-id").values_list("id", flat=True)
    tail = list(latest[:21])[-1]
    return {
        "directory": (
            DIRECTORY,
            {
                "filter": {"specialties": ["strength-and-conditioning"], "state": "WI"},
                "order": "NAME",
                "limit": 5,
            },
        ),
        "near_me": (DIRECTORY, {"near": NEAR, "order": "DISTANCE", "limit": 5}),
        "facets": (FACETS, {"filter": {"acceptingNewClients": True}}),
        "sync": (SYNC, {"cursor": None, "limit": 5}),
        "sync_since": (SYNC, {"cursor": encode_cursor(tail), "limit": 5}),
    }


def run(gql, query, variables):
    with CaptureQueriesContext(connection) as captured:
        data = gql.data(query, variables)
    return data, [q["sql"] for q in captured.captured_queries]


def grow(home, trainers: int, rows: int) -> None:
    demo.load(StringIO(), parent=home, count=trainers)
    demo.add_change_log_rows(rows - TrainerChange.objects.count())
    analyze()  # planner statistics, as load_demo_content leaves them


def plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


def the_query(queries: list[str], *needles: str) -> str:
    found = [q for q in queries if all(n in q for n in needles)]
    assert len(found) == 1, (needles, queries)
    return found[0]


@pytest.mark.django_db
def test_sql_per_operation_is_the_same_on_small_and_larger_data(
    home, gql, public_visibility_cache
):
    grow(home, trainers=40, rows=200)
    small = {}
    for name, (query, variables) in operations().items():
        gql.data(query, variables)  # warm the snapshot and Django's caches
        small[name] = run(gql, query, variables)

    grow(home, trainers=400, rows=4000)
    larger = {}
    for name, (query, variables) in operations().items():
        gql.data(query, variables)
        larger[name] = run(gql, query, variables)

    counts = {name: len(small[name][1]) for name in small}
    assert counts == {name: len(larger[name][1]) for name in larger}
    # The larger data really is larger where the operations look.
    for name in ("directory", "near_me", "facets"):
        before, after = small[name][0]["trainers"], larger[name][0]["trainers"]
        assert after["totalCount"] > 5 * before["totalCount"] > 0, name
    assert len(larger["near_me"][0]["trainers"]["items"]) == 5
    for name in ("sync", "sync_since"):
        batch = larger[name][0]["trainerSync"]
        assert len(batch["changed"]) + len(batch["removedIds"]) == 5
        assert batch["hasMore"]


@sqlite_only
@pytest.mark.django_db
def test_the_queries_that_grow_with_the_data_seek_indexes(home, gql):
    grow(home, trainers=300, rows=3000)
    ops = operations()

    _, queries = run(gql, *ops["sync_since"])
    # The cursor check (MAX(id)) and the batch read the log by its key.
    log_plans = [plan(q) for q in queries if 'FROM "content_trainerchange"' in q]
    assert len(log_plans) == 2
    for lines in log_plans:
        assert all(line.startswith("SEARCH content_trainerchange") for line in lines)
    batch = the_query(queries, 'FROM "content_trainerchange"', '"id" >')
    assert plan(batch) == [
        "SEARCH content_trainerchange USING INTEGER PRIMARY KEY (rowid>?)"
    ]

    _, queries = run(gql, *ops["near_me"])
    box = the_query(queries, '"latitude" >=', '"longitude" <=')
    lines = plan(box)
    assert any(
        line.startswith("SEARCH content_trainerprofilepage USING")
        and "INDEX trainer_lat_lon_idx (latitude>? AND latitude<?)" in line
        for line in lines
    ), lines
    assert not [line for line in lines if line.startswith("SCAN wagtailcore_page")]

    _, queries = run(gql, *ops["facets"])
    credential_facet = the_query(queries, 'COUNT(DISTINCT "content_trainercredential')
    lines = plan(credential_facet)
    assert (
        "SEARCH content_trainercredential USING COVERING INDEX "
        "trainercred_page_current_idx (page_id=?)"
    ) in lines, lines

    # The nightly expiry sweep: newest log time per profile, from the index.
    with CaptureQueriesContext(connection) as captured:
        log_expired_credentials()
    sweep = the_query(
        [q["sql"] for q in captured.captured_queries],
        'MAX("content_trainerchange"."at")',
    )
    lines = plan(sweep)
    assert any(
        "content_trainerchange USING COVERING INDEX trainerchange_page_at_idx" in line
        for line in lines
    ), lines
    assert "SCAN content_trainerchange" not in lines

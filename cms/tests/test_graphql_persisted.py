"""Persisted operations: files, ids over GET and POST, Apollo APQ, safelist."""

import json

import pytest
from django.core.management import call_command

from cms.graphql import persisted
from cms.graphql.checks import check_operation_files
from cms.graphql.persisted import sha256_hex

pytestmark = pytest.mark.urls("cms.tests.graphql_urls")

URL = "/graphql/"
ITEMS_OP = "query ItemCount($n: Int) {\n  items(limit: $n) { totalCount }\n}\n"
FREE = "{ apiVersion }"


@pytest.fixture
def operations_dir(tmp_path, settings):
    (tmp_path / "item_count.graphql").write_text(ITEMS_OP)
    settings.GRAPHQL_OPERATIONS_DIR = tmp_path
    persisted.reload_registry()
    yield tmp_path
    persisted.reload_registry()


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def apq(hash_):
    return {"persistedQuery": {"version": 1, "sha256Hash": hash_}}


def code(response):
    return response.json()["errors"][0]["extensions"]["code"]


def test_operation_files_are_loaded_by_their_sha256(operations_dir):
    assert persisted.registry() == {sha256_hex(ITEMS_OP): ITEMS_OP}


def test_the_shipped_operations_folder_loads(settings):
    operations, problems = persisted.load_operations(settings.GRAPHQL_OPERATIONS_DIR)
    assert problems == []


def test_a_registered_id_runs_over_get_with_variables(client, operations_dir):
    response = client.get(
        URL, {"id": sha256_hex(ITEMS_OP), "variables": json.dumps({"n": 2})}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"items": {"totalCount": 100}}}
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_registered_id_runs_over_post(client, operations_dir):
    response = post(client, {"id": sha256_hex(ITEMS_OP), "variables": {"n": 1}})
    assert response.json() == {"data": {"items": {"totalCount": 100}}}


def test_apq_registers_then_runs_by_hash_alone(client):
    hash_ = sha256_hex(FREE)
    missing = post(client, {"extensions": apq(hash_)})
    assert missing.status_code == 200
    assert code(missing) == "PERSISTED_QUERY_NOT_FOUND"
    assert missing["Cache-Control"] == "no-store"
    registered = post(client, {"query": FREE, "extensions": apq(hash_)})
    assert registered.json() == {"data": {"apiVersion": "1.0.0"}}
    extensions = json.dumps(apq(hash_))
    by_hash = client.get(URL, {"extensions": extensions})
    assert by_hash.json() == {"data": {"apiVersion": "1.0.0"}}


def test_apq_does_not_register_invalid_documents(client):
    bad = "{ nope }"
    response = post(client, {"query": bad, "extensions": apq(sha256_hex(bad))})
    assert code(response) == "GRAPHQL_VALIDATION_FAILED"
    again = post(client, {"extensions": apq(sha256_hex(bad))})
    assert code(again) == "PERSISTED_QUERY_NOT_FOUND"


def test_safelist_runs_registered_operations_only(client, settings, operations_dir):
    settings.GRAPHQL_SAFELIST = True
    assert post(client, {"id": sha256_hex(ITEMS_OP)}).status_code == 200
    same_text = post(client, {"query": ITEMS_OP, "variables": {"n": 1}})
    assert "errors" not in same_text.json()
    assert code(post(client, {"query": FREE})) == "PERSISTED_QUERY_NOT_ALLOWED"
    typename = post(client, {"query": "{ __typename }"})
    assert typename.json() == {"data": {"__typename": "Query"}}


def test_safelist_ignores_earlier_apq_registrations(client, settings):
    hash_ = sha256_hex(FREE)
    post(client, {"query": FREE, "extensions": apq(hash_)})
    settings.GRAPHQL_SAFELIST = True
    assert code(post(client, {"extensions": apq(hash_)})) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )


def test_bad_operation_files_are_skipped_and_reported(tmp_path, settings):
    (tmp_path / "two.graphql").write_text("query A { __typename } query B { a }")
    (tmp_path / "anon.graphql").write_text("{ __typename }")
    (tmp_path / "broken.graphql").write_text("query {")
    (tmp_path / "ok.graphql").write_text(
        "query Ok { ...F } fragment F on Query { __typename }"
    )
    settings.GRAPHQL_OPERATIONS_DIR = tmp_path
    operations, problems = persisted.load_operations(tmp_path)
    assert len(operations) == 1
    assert len(problems) == 3
    assert {e.id for e in check_operation_files(None)} == {"cms.E001"}
    persisted.reload_registry()
    assert len(persisted.registry()) == 1
    persisted.reload_registry()


def test_export_schema_prints_the_sorted_sdl(capsys):
    call_command("export_schema", "--stdout")
    sdl = capsys.readouterr().out
    assert "type Query {" in sdl
    assert "apiVersion: String!" in sdl


def test_export_schema_writes_the_file_idempotently(tmp_path, capsys):
    target = tmp_path / "schema.graphql"
    call_command("export_schema", "--output", str(target))
    first = target.read_text()
    call_command("export_schema", "--output", str(target))
    assert target.read_text() == first
    assert "up to date" in capsys.readouterr().out

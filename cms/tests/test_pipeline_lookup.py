"""Step 2, persisted lookup: text, ids, APQ hashes, safelist, size."""

import pytest

from cms.graphql import persisted
from cms.graphql.errors import RequestRejected
from cms.graphql.persisted import sha256_hex
from cms.graphql.pipeline import lookup
from cms.graphql.pipeline.lookup import Query
from cms.graphql.pipeline.transport import Params

FILED = "query Filed {\n  __typename\n}\n"
FREE = "{ apiVersion }"


@pytest.fixture(autouse=True)
def operations_dir(tmp_path, settings):
    (tmp_path / "filed.graphql").write_text(FILED)
    settings.GRAPHQL_OPERATIONS_DIR = tmp_path
    persisted.reload_registry()
    yield
    persisted.reload_registry()


def apq(hash_, version=1) -> dict:
    return {"persistedQuery": {"version": version, "sha256Hash": hash_}}


def refusal(params: Params) -> tuple:
    with pytest.raises(RequestRejected) as caught:
        lookup.resolve(params)
    error = caught.value
    return error.status, error.json_status, error.code, error.message


def test_a_query_sent_as_text_is_persisted_when_an_operation_file_has_it():
    assert lookup.resolve(Params(query=FREE)) == Query(FREE, sha256_hex(FREE), False)
    assert lookup.resolve(Params(query=FILED)) == Query(FILED, sha256_hex(FILED), True)


def test_an_operation_file_runs_by_its_id():
    assert lookup.resolve(Params(id=sha256_hex(FILED))) == Query(
        FILED, sha256_hex(FILED), True
    )


def test_an_unknown_id_asks_for_the_text():
    assert refusal(Params(id="0" * 64)) == (
        404,
        200,
        "PERSISTED_QUERY_NOT_FOUND",
        "PersistedQueryNotFound",
    )


def test_an_apq_text_registers_once_it_passes_then_runs_by_hash():
    sent = lookup.resolve(Params(query=FREE, extensions=apq(sha256_hex(FREE))))
    assert sent == Query(FREE, sha256_hex(FREE), True, register=True)

    lookup.register(sent)

    by_hash = lookup.resolve(Params(extensions=apq(sha256_hex(FREE))))
    assert by_hash == Query(FREE, sha256_hex(FREE), True)


def test_an_operation_files_text_sent_with_its_hash_does_not_register():
    sent = lookup.resolve(Params(query=FILED, extensions=apq(sha256_hex(FILED))))

    assert sent.register is False


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (Params(), (400, None, "BAD_REQUEST", "Must provide a query.")),
        (
            Params(id="ABC"),
            (
                400,
                None,
                "BAD_REQUEST",
                "A persisted query id is a lowercase sha256 hex digest.",
            ),
        ),
        (
            Params(query=FREE, extensions=apq("a" * 64)),
            (
                400,
                None,
                "PERSISTED_QUERY_HASH_MISMATCH",
                "The query does not match its sha256 hash.",
            ),
        ),
        (
            Params(query=FREE, extensions=apq(sha256_hex(FREE), version=2)),
            (
                400,
                None,
                "PERSISTED_QUERY_NOT_SUPPORTED",
                "Only persistedQuery version 1 is supported.",
            ),
        ),
    ],
    ids=["nothing", "bad id", "hash mismatch", "apq version"],
)
def test_bad_references_are_refused_with_their_code(params, expected):
    assert refusal(params) == expected


def test_the_safelist_refuses_registering_new_text(settings):
    settings.GRAPHQL_SAFELIST = True

    assert refusal(Params(query=FREE, extensions=apq(sha256_hex(FREE)))) == (
        400,
        None,
        "PERSISTED_QUERY_NOT_ALLOWED",
        "Only persisted operations may run on this endpoint.",
    )


def test_a_query_over_the_size_limit_is_refused(settings):
    settings.GRAPHQL_LIMITS = {"MAX_QUERY_BYTES": 10}

    assert refusal(Params(query="{ apiVersion }")) == (
        400,
        200,
        "QUERY_TOO_LARGE",
        "The query exceeds 10 bytes.",
    )
    assert lookup.resolve(Params(query="{ a }")).text == "{ a }"

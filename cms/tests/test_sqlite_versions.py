"""Tag versions remembered per SQLite connection (``cms.graphql.sqlite_versions``):
served again only while nothing was committed to the file since."""

import sqlite3
from types import SimpleNamespace

import pytest

from cms.graphql import sqlite_versions


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "versions.sqlite3"
    setup = sqlite3.connect(file, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE versions (tag TEXT PRIMARY KEY, version INTEGER)")
    setup.execute("INSERT INTO versions VALUES ('a', 1), ('b', 2)")
    setup.close()
    return file


def connect(path):
    conn = sqlite3.connect(path, isolation_level=None)
    return SimpleNamespace(vendor="sqlite", connection=conn, in_atomic_block=False)


class Reader:
    def __init__(self, db):
        self.db, self.queries = db, 0

    def __call__(self, tags):
        def query():
            self.queries += 1
            marks = ", ".join("?" * len(tags))
            sql = f"SELECT MAX(version) FROM versions WHERE tag IN ({marks})"
            return self.db.connection.execute(sql, tags).fetchone()

        return sqlite_versions.read(self.db, tuple(tags), query)


def test_an_unchanged_file_is_not_asked_again(path):
    read = Reader(connect(path))
    assert read(["a", "b"]) == (2,)
    assert read(["a", "b"]) == (2,)
    assert read(["a"]) == (1,)
    assert read(["a"]) == (1,)
    assert read.queries == 2


def test_a_commit_by_another_connection_is_seen(path):
    read = Reader(connect(path))
    other = sqlite3.connect(path, isolation_level=None)
    assert read(["a", "b"]) == (2,)
    other.execute("UPDATE versions SET version = 5 WHERE tag = 'a'")
    assert read(["a", "b"]) == (5,)
    assert read.queries == 2
    # Uncommitted writes elsewhere change nothing; their commit does.
    other.execute("BEGIN")
    other.execute("UPDATE versions SET version = 9 WHERE tag = 'b'")
    assert read(["a", "b"]) == (5,)
    other.execute("COMMIT")
    assert read(["a", "b"]) == (9,)


def test_the_connections_own_writes_are_seen(path):
    db = connect(path)
    read = Reader(db)
    assert read(["a"]) == (1,)
    db.connection.execute("UPDATE versions SET version = 7 WHERE tag = 'a'")
    assert read(["a"]) == (7,)


@pytest.mark.parametrize(
    "atomic",
    [True, False],
    # atomic(): Django's BEGIN, in_atomic_block set; by hand: a BEGIN alone.
    ids=["atomic", "begin-by-hand"],
)
def test_nothing_is_remembered_inside_a_transaction(path, atomic):
    db = connect(path)
    read = Reader(db)
    db.in_atomic_block = atomic
    db.connection.execute("BEGIN")
    db.connection.execute("UPDATE versions SET version = 8 WHERE tag = 'a'")
    assert read(["a"]) == (8,)
    db.connection.execute("ROLLBACK")
    db.in_atomic_block = False
    # The rolled-back 8 was never remembered.
    assert read(["a"]) == (1,)
    assert read(["a"]) == (1,)
    assert read.queries == 2


def test_answers_are_bounded_then_read_again(path, monkeypatch):
    monkeypatch.setattr(sqlite_versions, "MAX_ANSWERS", 3)
    db = connect(path)
    db.connection.execute("INSERT INTO versions VALUES ('c', 3), ('d', 4), ('e', 5)")
    read = Reader(db)
    tag_sets = [["a"], ["b"], ["c"], ["d"], ["e"], ["a", "e"], ["b", "c"]]
    version = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    sizes = []
    for tags in tag_sets * 2:  # the file stays unchanged throughout
        assert read(tags) == (max(version[tag] for tag in tags),)
        sizes.append(len(getattr(db, sqlite_versions.ATTRIBUTE).answers))
    # Full at three, then cleared for the fourth: each was asked again.
    assert sizes == [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2]
    assert read.queries == 2 * len(tag_sets)
    remembered = getattr(db, sqlite_versions.ATTRIBUTE).answers
    assert remembered == {("a", "e"): (5,), ("b", "c"): (3,)}
    assert read(["b", "c"]) == (3,)  # remembered since the last clear
    assert read.queries == 2 * len(tag_sets)
    assert read(["a"]) == (1,)  # dropped by it: asked again
    assert read.queries == 2 * len(tag_sets) + 1


def test_a_new_connection_starts_afresh(path):
    db = connect(path)
    read = Reader(db)
    assert read(["a"]) == (1,)
    db.connection.close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("UPDATE versions SET version = 3 WHERE tag = 'a'")
    # A new connection may show the same data_version and change count as
    # the old one did: nothing read on the old one is served.
    db.connection = sqlite3.connect(path, isolation_level=None)
    assert read(["a"]) == (3,)


def test_other_databases_are_always_asked():
    db = SimpleNamespace(
        vendor="postgresql", connection=object(), in_atomic_block=False
    )
    calls = []
    for _ in range(2):
        sqlite_versions.read(db, ("a",), lambda: calls.append(1) or (1,))
    assert len(calls) == 2

"""Tag versions remembered per SQLite connection until the file changes.

With a per-process cache and SQLite (the default configuration), a response
cache hit reads the generation and the newest version of its tags from the
database (``cms.graphql.versions.check``): the one query of a hit. SQLite
tells, without a query, whether that answer can have changed since it was
read: ``PRAGMA data_version`` changes when any other connection, in this
process or another, commits to the file, and the connection's
``total_changes`` counts its own writes. While both stay the same on the
same connection, the file holds what it held, and the answer read last is
still the answer.

Only in autocommit: inside a transaction the connection sees its own
uncommitted writes, which a rollback would take back. The PRAGMA reaches
SQLite directly, so the request log's SQL count does not include it.
"""

from collections.abc import Callable

ATTRIBUTE = "_cms_remembered_versions"
# Answers kept per connection, one per cached response's tag set; all are
# dropped when the file changes.
MAX_ANSWERS = 4096


class Remembered:
    __slots__ = ("answers", "conn", "state")

    def __init__(self, conn, state):
        self.conn = conn  # the sqlite3 connection they were read on
        self.state = state  # (data_version, total_changes) when read
        self.answers: dict[tuple[str, ...], tuple] = {}


def read(db, tags: tuple[str, ...], query: Callable[[], tuple | None]):
    """The row ``query`` returns for ``tags``: remembered while the file is
    unchanged, else read (and remembered when it is a row)."""
    conn = db.connection
    if (
        db.vendor != "sqlite"
        or conn is None
        or db.in_atomic_block
        or conn.in_transaction  # one opened by hand, without atomic()
    ):
        return query()
    # Read before the query: a commit between the two leaves a newer answer
    # under an older state, which the next read finds changed.
    state = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
    remembered = getattr(db, ATTRIBUTE, None)
    if remembered is None or remembered.conn is not conn or remembered.state != state:
        remembered = Remembered(conn, state)
        setattr(db, ATTRIBUTE, remembered)
    answer = remembered.answers.get(tags)
    if answer is not None:
        return answer
    row = query()
    if row is not None and conn.total_changes == state[1]:
        if len(remembered.answers) >= MAX_ANSWERS:
            remembered.answers.clear()
        remembered.answers[tags] = tuple(row)
    return row

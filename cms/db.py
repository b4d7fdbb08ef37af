"""Database helpers: planner statistics, id lists bound as one parameter,
ids from clients."""

import json

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.expressions import RawSQL


def analyze(using: str = DEFAULT_DB_ALIAS) -> None:
    """``ANALYZE`` the whole database.

    On PostgreSQL this is maintenance, not a request: the statement timeout
    that bounds API queries (``DB_STATEMENT_TIMEOUT_MS``) is lifted for it,
    and put back afterwards for the rest of any enclosing transaction.
    """
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        cursor.execute("SHOW statement_timeout")
        (previous,) = cursor.fetchone()
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])


# The widest key any table here has (a signed 64-bit integer). A larger id
# names no row, and SQLite cannot even bind it (OverflowError).
MAX_PK = 2**63 - 1


def parse_pk(value) -> int | None:
    """A client's id (``"42"`` or ``42``) as a primary key; None if it
    cannot name a row: not ASCII digits, negative, or wider than any key."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        pk = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        if len(value) > len(str(MAX_PK)):
            return None
        pk = int(value)
    else:
        return None
    return pk if 0 <= pk <= MAX_PK else None


def ids_subquery(ids, using: str = DEFAULT_DB_ALIAS):
    """What to pass to ``__in=`` for a long list of integer ids.

    A plain list costs a placeholder and a Python conversion per id, and a
    big enough list exceeds the database's parameter limit (SQLite: 32,766).
    Here the whole list is one parameter: a PostgreSQL array or a JSON array
    that SQLite expands with ``json_each``. Other backends get the list.
    """
    ids = [int(i) for i in ids]
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    if vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    return ids

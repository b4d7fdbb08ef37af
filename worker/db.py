"""Write transactions that wait for SQLite's lock instead of failing.

SQLite starts a transaction as a reader; when a reader that has seen an
older snapshot tries to write while another connection (a worker) has
written since, SQLite fails at once with "database is locked" rather than
waiting. A transaction that will write takes the write lock up front
(``BEGIN IMMEDIATE``) and so waits up to the connection's timeout (20 s).
PostgreSQL needs nothing of the kind: it is a plain ``atomic``.
"""

import contextlib

from django.db import transaction


@contextlib.contextmanager
def write_transaction(using=None):
    connection = transaction.get_connection(using)
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    if not hasattr(connection, "transaction_mode"):
        connection.get_connection_params()  # sets transaction_mode
    previous = connection.transaction_mode
    connection.transaction_mode = "IMMEDIATE"
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        connection.transaction_mode = previous


def prefer_immediate_transactions() -> None:
    """Every transaction of this process takes SQLite's write lock up front.

    For the worker: its jobs (Wagtail's index updates among them) read, then
    write, inside ``atomic`` blocks, while the web process and other workers
    write too. Call before the process opens its connections.
    """
    from django.db import connections

    for alias in connections:
        config = connections.settings[alias]
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
            connections[alias].settings_dict = config
            connections[alias].close()

"""The configured server's stack: PostgreSQL + Redis (``BENCH_STACK=production``,
the default) or a tuned SQLite file (``BENCH_STACK=sqlite``).

The production stack gets a fresh database each run when its name contains
``bench`` (otherwise it is created when missing and migrated in place), and
its Redis database is flushed, so every run starts from the same state.

Migrating from nothing takes a minute: the migrated, empty database is kept
as a PostgreSQL template (``<name>_tpl_<key>``) and an SQLite file
(``.bench/migrated-<key>.sqlite3``), keyed by the migration files and the
installed packages, and a fresh database starts as a copy of it.
"""

import functools
import hashlib
import importlib.metadata
import sys
import urllib.parse
from pathlib import Path

from bench.config import OUT, ROOT, TREE_SKIP, Config, log


@functools.cache
def migrations_key() -> str:
    """Changes whenever a migration file or an installed package does."""
    digest = hashlib.sha256()
    apps = [
        d
        for d in ROOT.iterdir()
        if d.is_dir() and not d.name.startswith(".") and d.name not in TREE_SKIP
    ]
    paths = (p for app in apps for p in app.rglob("migrations/*.py"))
    for path in sorted(paths):
        relative = path.relative_to(ROOT)
        if TREE_SKIP & set(relative.parts):
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    packages = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:12]


def sqlite_template() -> Path:
    return OUT / f"migrated-{migrations_key()}.sqlite3"


def describe(config: Config) -> str:
    database = config.database_url.split(":", 1)[0]
    if database.startswith("postgres"):
        database = "PostgreSQL"
    elif database == "sqlite":
        database = "SQLite"
    return f"{database} + {'Redis' if config.redis_url else 'local-memory cache'}"


def prepare(config: Config) -> dict:
    """Make the configured stack's database and cache ready; return its meta."""
    meta = {
        "stack": config.stack,
        "description": describe(config),
        "database": _redact(config.database_url),
        "redis": _redact(config.redis_url) if config.redis_url else None,
    }
    if config.database_url.startswith("postgres"):
        meta["postgres_version"] = _prepare_postgres(config.database_url)
    if config.redis_url:
        meta["redis_version"] = _flush_redis(config.redis_url)
    return meta


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url


def _admin(url: str):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        sys.exit(
            f"PostgreSQL is not reachable at {_redact(url)} ({error}); start it, "
            f"set BENCH_DATABASE_URL, or run with BENCH_STACK=sqlite"
        )
    return conn, parts.path.lstrip("/")


def _template_name(name: str) -> str:
    return f"{name[:40]}_tpl_{migrations_key()}"


def _exists(conn, name: str) -> bool:
    query = "SELECT 1 FROM pg_database WHERE datname = %s"
    return conn.execute(query, [name]).fetchone() is not None


def _prepare_postgres(url: str) -> str:
    from psycopg import sql

    conn, name = _admin(url)
    with conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        exists = _exists(conn, name)
        if exists and "bench" in name:
            conn.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = False
        template = _template_name(name)
        if not exists and _exists(conn, template):
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
            log(f"PostgreSQL {version}: database {name} copied from {template}")
        elif not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"PostgreSQL {version}: database {name} created")
    return version


def save_template(config: Config) -> None:
    """Keep the freshly migrated, still empty database as the next run's start."""
    if not config.database_url.startswith("postgres"):
        return
    from psycopg import sql

    conn, name = _admin(config.database_url)
    with conn:
        template = _template_name(name)
        if "bench" not in name or _exists(conn, template):
            return
        stale = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{name[:40]}\\_tpl\\_%"],
        ).fetchall()
        for (old,) in stale:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(old)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(template), sql.Identifier(name)
            )
        )
    log(f"  kept the migrated database as {template}")


def _flush_redis(url: str) -> str:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        version = client.info("server")["redis_version"]
        client.flushdb()
    except redis.RedisError as error:
        sys.exit(
            f"Redis is not reachable at {_redact(url)} ({error}); start it, "
            f"set BENCH_REDIS_URL, or run with BENCH_STACK=sqlite"
        )
    finally:
        client.close()
    log(f"Redis {version}: {_redact(url)} flushed")
    return version

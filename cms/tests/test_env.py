import pytest

from cms.env import EnvError, env_bool, env_database, env_int, env_list, env_url


def test_env_bool_accepts_common_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_garbage_naming_the_variable(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(EnvError, match="FLAG"):
        env_bool("FLAG")


def test_env_int_rejects_garbage(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(EnvError, match="N must be an integer"):
        env_int("N", 1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.org, b.org ,,")
    assert env_list("HOSTS") == ["a.org", "b.org"]


def test_env_url_requires_http(monkeypatch):
    monkeypatch.setenv("FRONT", "ftp://x")
    with pytest.raises(EnvError, match="FRONT"):
        env_url("FRONT")


def test_env_database_defaults_to_sqlite(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env_database("DATABASE_URL", "/tmp/x.db")["ENGINE"].endswith("sqlite3")


def test_env_database_parses_postgres(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/clinic")
    config = env_database("DATABASE_URL", "/tmp/x.db")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "clinic"


@pytest.mark.parametrize("url", ["", "sqlite:///{path}"], ids=["default", "url"])
def test_a_sqlite_file_opens_in_wal_mode(monkeypatch, tmp_path, url, django_db_blocker):
    # Readers keep reading while another worker writes (WAL), and a writer
    # waits for the lock rather than failing at once.
    from django.db.utils import ConnectionHandler

    path = tmp_path / "wal.sqlite3"
    monkeypatch.setenv("DATABASE_URL", url.format(path=path))
    config = env_database("DATABASE_URL", str(path))
    assert config["OPTIONS"]["timeout"] == 20
    wrapper = ConnectionHandler({"default": config})["default"]
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
    finally:
        wrapper.close()

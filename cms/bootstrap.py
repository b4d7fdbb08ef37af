"""Start-up helpers: ``.env`` loading, and configuration errors as one line."""

import contextlib
import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


@contextlib.contextmanager
def exit_on_config_error():
    try:
        yield
    except ImproperlyConfigured as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def load_settings() -> None:
    """Import settings eagerly so a bad environment stops start-up at once."""
    with exit_on_config_error():
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - forces the settings import


ROOT = Path(__file__).resolve().parent.parent


def load_env_file() -> Path | None:
    """Read ``.env`` (or the file ``ENV_FILE`` names) into the environment.

    Variables already set in the environment win over the file's. Called by
    ``manage.py``, ``cms/wsgi.py`` and ``deploy/gunicorn.conf.py`` before the
    settings are read; returns the file read, or None when there is none.
    """
    from dotenv import load_dotenv

    path = Path(os.environ.get("ENV_FILE") or ROOT / ".env")
    if not path.is_file():
        return None
    load_dotenv(path, override=False)
    return path

"""Turn configuration errors into one clear line instead of a traceback."""

import contextlib
import sys

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

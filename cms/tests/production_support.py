"""A Python interpreter started with the production settings, as a web
worker would be, for tests of what it loads."""

import os
import subprocess
import sys

PRODUCTION_PYTHON_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "s" * 60,
    "ALLOWED_HOSTS": "testserver",
}


def run_production_python(code: str, **extra_env) -> subprocess.CompletedProcess:
    """Run ``code`` in a new interpreter with this environment, the
    production settings, and ``extra_env`` (a None value unsets a name)."""
    env = {**os.environ, **PRODUCTION_PYTHON_ENV}
    for name, value in extra_env.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )

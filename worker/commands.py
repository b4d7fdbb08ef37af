"""Management commands the workers run on a timer, instead of a cron.

``WORKER_PERIODIC_COMMANDS`` maps a command name to its interval in seconds;
each runs as a periodic job (``worker.periodic``): one worker per slot, the
output logged. The commands are called by name, so the worker imports no
content app. A command that fails is logged and recorded on its
``PeriodicJob`` row, and runs again at its next slot.
"""

import io
import logging

from django.conf import settings
from django.core.management import call_command

logger = logging.getLogger("worker")

PREFIX = "command."


def run(name: str) -> None:
    out = io.StringIO()
    call_command(name, stdout=out, stderr=out)
    logger.info("periodic command %s: %s", name, out.getvalue().strip()[-500:])


def register_all(register) -> None:
    for name, seconds in settings.WORKER_PERIODIC_COMMANDS.items():
        register(
            PREFIX + name,
            lambda name=name: run(name),
            every=lambda seconds=seconds: float(seconds),
        )

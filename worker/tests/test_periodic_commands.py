"""Commands the workers run on a timer instead of a cron."""

import pytest
from django.conf import settings

from worker import periodic
from worker.models import PeriodicJob


def test_every_timed_command_is_a_periodic_job_with_its_interval():
    for name, seconds in settings.WORKER_PERIODIC_COMMANDS.items():
        assert periodic.get(f"command.{name}").every() == seconds


@pytest.mark.django_db
def test_a_timed_command_runs_once_per_slot_and_logs_its_output(caplog):
    job = periodic.get("command.analyze_database")

    with caplog.at_level("INFO", logger="worker"):
        assert periodic.run_if_due(job, "worker-a") is True
        assert periodic.run_if_due(job, "worker-b") is False

    row = PeriodicJob.objects.get(name="command.analyze_database")
    assert (row.runs, row.last_error, row.locked_until) == (1, "", None)
    assert "periodic command analyze_database:" in caplog.text


@pytest.mark.django_db
def test_a_failing_command_is_recorded_and_runs_again_next_slot(settings):
    from worker import commands

    periodic.register(
        "command.nonexistent", lambda: commands.run("nonexistent"), every=lambda: 0
    )
    try:
        job = periodic.get("command.nonexistent")
        assert periodic.run_if_due(job, "worker-a") is True
        row = PeriodicJob.objects.get(name="command.nonexistent")
        assert row.last_error == "CommandError: Unknown command: 'nonexistent'"
        assert periodic.run_if_due(job, "worker-a") is True
    finally:
        periodic._jobs.pop("command.nonexistent")

"""The worker's metric families: job outcomes and the queue depth."""

import pytest
from prometheus_client import REGISTRY

from worker.tests.helpers import DATABASE_TASKS, run_worker_until_idle
from worker.tests.jobs import fails_until

pytestmark = pytest.mark.django_db

TASK = "worker.tests.jobs.fails_until"
TOKEN = "scrape-token-0123456789"


def jobs(outcome: str) -> float:
    labels = {"task": TASK, "outcome": outcome}
    return REGISTRY.get_sample_value("clinic_worker_jobs_total", labels) or 0.0


def test_finished_jobs_are_counted_by_outcome_and_waiting_ones_scraped(
    client, settings
):
    settings.TASKS = {
        "default": {**DATABASE_TASKS["default"], "QUEUES": ["default", "later"]}
    }
    settings.METRICS_TOKEN = TOKEN
    settings.WORKER_TASK_MAX_ATTEMPTS = 1
    before = {outcome: jobs(outcome) for outcome in ("succeeded", "failed")}
    fails_until.enqueue("metrics-ok", 0)
    fails_until.enqueue("metrics-dead", 100)
    fails_until.using(queue_name="later").enqueue("metrics-later", 0)

    scraped = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    text = scraped.content.decode()
    assert 'clinic_worker_queue_depth{queue="default"} 2.0' in text
    assert 'clinic_worker_queue_depth{queue="later"} 1.0' in text

    run_worker_until_idle()

    after = {outcome: jobs(outcome) for outcome in ("succeeded", "failed")}
    assert after == {
        "succeeded": before["succeeded"] + 2,
        "failed": before["failed"] + 1,
    }
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content
    assert b"clinic_worker_queue_depth{" not in text

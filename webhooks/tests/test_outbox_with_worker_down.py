"""A committed publish is delivered even if no worker ran at the time, and
even if its job row was lost: the outbox rows are the truth."""

import datetime

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from webhooks import delivery
from webhooks.models import WebhookDelivery
from webhooks.tests.conftest import received, verify
from worker.tests.helpers import DATABASE_TASKS, run_worker_until_idle

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def test_a_publish_while_no_worker_runs_is_delivered_when_one_starts(
    receiver, make_endpoint, make_article
):
    endpoint = make_endpoint(receiver.url_for("/hook"))
    make_article()
    assert received(receiver) == []
    assert (
        DBTaskResult.objects.filter(
            task_path="webhooks.delivery.deliver_task", status="READY"
        ).count()
        == 1
    )

    run_worker_until_idle()

    ((headers, body),) = received(receiver)
    assert verify(endpoint.secret, headers, body)["type"] == "article.published"
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_a_lost_job_is_found_again_by_the_sweeper(
    receiver, make_endpoint, make_article
):
    make_endpoint(receiver.url_for("/hook"))
    with time_machine.travel(T0, tick=False) as clock:
        make_article()
        DBTaskResult.objects.all().delete()  # the job died with its worker
        clock.shift(delivery.SWEEP_GRACE - 1)
        assert delivery.sweep() == 0
        clock.shift(1)

        assert delivery.sweep() == 1
        assert delivery.sweep() == 0  # nudged once a minute at most

    run_worker_until_idle()
    assert len(received(receiver)) == 1
    assert WebhookDelivery.objects.get().status == "succeeded"

"""Real processes: the web server, workers, a receiver on loopback."""

import json
import os
import signal
import threading
import time

import pytest
from standardwebhooks.webhooks import Webhook

from worker.tests.helpers import article_form

pytestmark = pytest.mark.worker


def verified(secret, record) -> dict:
    _at, headers, body = record
    return Webhook(secret).verify(body, headers)


def deliveries(stack):
    return stack.query(
        "SELECT status, attempts, response_code FROM webhooks_webhookdelivery"
    )


def settled_deliveries(stack, timeout=30):
    """The deliveries once none is pending (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = deliveries(stack)
        if rows and all(status != "pending" for status, *_ in rows):
            return rows
        time.sleep(0.1)
    return deliveries(stack)


def test_a_publish_in_the_admin_ends_in_a_delivery_the_receiver_verifies(
    stack,
    stack_receiver,
):
    seeded = stack.seed(stack_receiver.url)
    stack.start_web()
    stack.start_worker()
    session = stack.admin_session()
    edit = f"{stack.web_url}/admin/pages/{seeded['article']}/edit/"
    session.get(edit, timeout=30)
    form = article_form(
        title="Knees",
        slug="knees",
        author_id=seeded["author"],
        csrfmiddlewaretoken=session.cookies["csrftoken"],
        **{"action-publish": "action-publish"},
    )

    response = session.post(edit, data=form, timeout=30, allow_redirects=False)

    assert response.status_code == 302, response.text[:3000]
    records = stack_receiver.wait_for(1, timeout=30)
    assert len(records) == 1
    payload = verified(seeded["secret"], records[0])
    assert (payload["type"], payload["data"]["id"], payload["data"]["slug"]) == (
        "article.published",
        str(seeded["article"]),
        "knees",
    )
    assert settled_deliveries(stack) == [("succeeded", 1, 204)]


def test_kill_9_of_the_worker_mid_delivery_loses_no_event(
    stack,
    stack_receiver,
):
    stack.env_extra = {"WEBHOOK_TIMEOUT_SECONDS": 2, "WORKER_ORPHAN_SECONDS": 3}
    killed = threading.Event()

    def respond(request):
        if len(stack_receiver.received) == 1:
            killed.wait(30)  # the worker dies while waiting for this answer
            return 500, ""
        return 204, ""

    stack_receiver.respond = respond
    seeded = stack.seed(stack_receiver.url)
    first = stack.start_worker("first")
    stack.python(
        "import json; from worker.tests.stack_seed import publish; "
        f"print(json.dumps(publish({seeded['article']})))"
    )
    assert len(stack_receiver.wait_for(1, timeout=30)) == 1

    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    killed.set()
    assert deliveries(stack) == [("pending", 1, None)]
    stack.start_worker("second")

    records = stack_receiver.wait_for(2, timeout=60)

    assert settled_deliveries(stack) == [("succeeded", 2, 204)]
    assert len(stack_receiver.received) == 2
    first_try, second_try = (verified(seeded["secret"], r) for r in records)
    assert first_try == second_try
    assert records[0][1]["Webhook-Id"] == records[1][1]["Webhook-Id"]


def test_sigterm_lets_the_delivery_in_flight_finish(
    stack,
    stack_receiver,
):
    arrived = threading.Event()

    def respond(request):
        arrived.set()
        time.sleep(1.5)
        return 204, ""

    stack_receiver.respond = respond
    seeded = stack.seed(stack_receiver.url)
    worker = stack.start_worker()
    stack.python(
        "import json; from worker.tests.stack_seed import publish; "
        f"print(json.dumps(publish({seeded['article']})))"
    )
    assert arrived.wait(30)

    worker.send_signal(signal.SIGTERM)

    assert worker.wait(30) == 0
    assert len(stack_receiver.received) == 1
    assert settled_deliveries(stack) == [("succeeded", 1, 204)]
    assert stack.query("SELECT count(*) FROM worker_workerheartbeat") == [(0,)]


def test_two_workers_publish_a_scheduled_article_exactly_once(
    stack,
    stack_receiver,
):
    stack.env_extra = {"WORKER_SCHEDULED_PUBLISHING_SECONDS": 1}
    seeded = stack.seed(stack_receiver.url, go_live_in=4)
    stack.start_worker("one")
    stack.start_worker("two")

    records = stack_receiver.wait_for(1, timeout=60)
    time.sleep(3)  # both workers have had more slots since

    assert len(stack_receiver.received) == 1
    payload = verified(seeded["secret"], records[0])
    assert (payload["type"], payload["data"]["id"]) == (
        "article.published",
        str(seeded["article"]),
    )
    logged = stack.query(
        "SELECT count(*) FROM wagtailcore_pagelogentry "
        "WHERE action = 'wagtail.publish.scheduled'"
    )
    assert logged == [(1,)]
    assert json.loads(stack.query("SELECT data FROM webhooks_webhookevent")[0][0])[
        "id"
    ] == str(seeded["article"])

"""Each kind of failing receiver gets exactly the documented behaviour."""

import datetime
import time

import pytest
import time_machine
from prometheus_client import REGISTRY
from werkzeug import Response

from webhooks import delivery as deliveries
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True)
T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def answer(httpserver, *responses):
    """The receiver answers with ``responses`` in turn, then 204."""
    queue = list(responses)

    def handler(request):
        if not queue:
            return Response("", status=204)
        item = queue.pop(0)
        return item if isinstance(item, Response) else item()

    httpserver.expect_request("/hook", method="POST").respond_with_handler(handler)
    return httpserver.url_for("/hook")


def only_delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


def outcomes() -> list:
    return list(
        WebhookAttempt.objects.order_by("number").values_list(
            "number", "response_code", "outcome"
        )
    )


def test_a_500_is_retried_on_the_backoff_schedule_then_dead_lettered(
    clock, httpserver, make_endpoint, make_article
):
    url = answer(httpserver, *[Response("boom", status=500)] * 11)
    make_endpoint(url)
    make_article()

    row = only_delivery()
    assert (row.status, row.attempts, row.response_code, row.response_excerpt) == (
        "pending",
        1,
        500,
        "boom",
    )
    previous = T0
    for attempt in range(1, 11):
        row = only_delivery()
        delay = deliveries.backoff_delay(row.pk, attempt)
        assert row.next_attempt_at == previous + datetime.timedelta(seconds=delay)
        previous = row.next_attempt_at
        clock.move_to(row.next_attempt_at)
        assert deliveries.deliver_due() == ["http_error" if attempt < 10 else "dead"]

    row = only_delivery()
    assert (row.status, row.attempts) == ("failed", 11)
    assert len(httpserver.log) == 11
    clock.shift(86400)
    assert deliveries.deliver_due() == []
    assert WebhookEndpoint.objects.get().consecutive_failures == 11
    assert outcomes()[-1] == (11, 500, "dead")


def test_a_429_with_retry_after_waits_exactly_that_long(
    clock, httpserver, make_endpoint, make_article
):
    url = answer(httpserver, Response("", status=429, headers={"Retry-After": "7"}))
    make_endpoint(url)
    make_article()

    row = only_delivery()
    assert (row.status, row.response_code, row.next_attempt_at) == (
        "pending",
        429,
        T0 + datetime.timedelta(seconds=7),
    )
    clock.shift(6)
    assert deliveries.deliver_due() == []
    clock.shift(1)
    assert deliveries.deliver_due() == ["succeeded"]

    assert outcomes() == [(1, 429, "retry_after"), (2, 204, "succeeded")]
    assert len(httpserver.log) == 2


def test_a_retry_after_date_is_honoured_too(
    clock, httpserver, make_endpoint, make_article
):
    url = answer(
        httpserver,
        Response(
            "", status=503, headers={"Retry-After": "Mon, 02 Mar 2026 09:02:00 GMT"}
        ),
    )
    make_endpoint(url)
    make_article()

    assert only_delivery().next_attempt_at == T0 + datetime.timedelta(minutes=2)


def test_a_timeout_is_retried_with_backoff(
    clock, httpserver, settings, make_endpoint, make_article
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1

    def slow():
        time.sleep(2)
        return Response("", status=204)

    url = answer(httpserver, slow)
    make_endpoint(url)
    make_article()

    row = only_delivery()
    assert (row.status, row.response_code, row.error) == (
        "pending",
        None,
        "timeout after 1 s",
    )
    assert row.duration_ms // 1000 == 1
    assert row.next_attempt_at == T0 + datetime.timedelta(
        seconds=deliveries.backoff_delay(row.pk, 1)
    )
    clock.move_to(row.next_attempt_at)
    assert deliveries.deliver_due() == ["succeeded"]
    assert outcomes() == [(1, None, "timeout"), (2, 204, "succeeded")]


def test_a_410_disables_the_endpoint_and_cancels_its_queue(
    clock, httpserver, make_endpoint, make_article
):
    url = answer(httpserver, Response("gone", status=410))
    endpoint = make_endpoint(url)
    other = make_endpoint(url, name="Other", events=["trainer.published"])
    make_article()

    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.disabled_reason, endpoint.disabled_at) == (
        False,
        "The receiver answered 410 Gone.",
        T0,
    )
    assert (only_delivery().status, only_delivery().error) == ("failed", "410 Gone")
    make_article()
    assert WebhookDelivery.objects.count() == 1
    assert WebhookEndpoint.objects.get(pk=other.pk).active is True
    assert len(httpserver.log) == 1


def test_failures_in_a_row_disable_the_endpoint(
    clock, httpserver, settings, make_endpoint, make_article
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    url = answer(httpserver, *[Response("", status=500)] * 3)
    endpoint = make_endpoint(url)

    for _ in range(3):
        make_article()

    endpoint.refresh_from_db()
    assert (
        endpoint.active,
        endpoint.consecutive_failures,
        endpoint.disabled_reason,
    ) == (
        False,
        3,
        "3 failed attempts in a row.",
    )
    assert list(
        WebhookDelivery.objects.order_by("pk").values_list("status", flat=True)
    ) == ["cancelled", "cancelled", "cancelled"]


def test_a_success_resets_the_failure_count(
    clock, httpserver, settings, make_endpoint, make_article
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    before = deliveries_counted()
    url = answer(httpserver, Response("", status=500), Response("", status=500))
    endpoint = make_endpoint(url)
    make_article()
    make_article()
    assert WebhookEndpoint.objects.get().consecutive_failures == 2

    make_article()

    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures) == (True, 0)
    # Every attempt is in clinic_webhook_deliveries_total, by result.
    after = deliveries_counted()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 2)


def deliveries_counted() -> tuple[float, float]:
    def count(result):
        labels = {"result": result}
        return REGISTRY.get_sample_value("clinic_webhook_deliveries_total", labels)

    return count("success"), count("failure")


def test_redirects_are_not_followed(clock, httpserver, make_endpoint, make_article):
    url = answer(
        httpserver, Response("", status=302, headers={"Location": "/elsewhere"})
    )
    make_endpoint(url)
    make_article()

    row = only_delivery()
    assert (row.status, row.response_code) == ("pending", 302)
    assert [request.path for request, _ in httpserver.log] == ["/hook"]


def test_the_backoff_spreads_over_about_a_day_with_bounded_jitter():
    hours = sum(deliveries.BACKOFF) / 3600
    assert (len(deliveries.BACKOFF) + 1, round(hours, 1)) == (11, 23.7)
    for delivery_id in range(1, 50):
        for attempt, base in enumerate(deliveries.BACKOFF, start=1):
            factor = deliveries.backoff_delay(delivery_id, attempt) / base
            assert 0.8 <= factor < 1.2

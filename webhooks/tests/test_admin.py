"""Settings > Webhooks: secrets shown once, tests, rotation, the delivery log,
no server errors, and nobody but admins."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.tests.conftest import ALL_EVENTS, received, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(django_user_model):
    """An editor who may use the admin but is no superuser."""
    group = Group.objects.create(name="Staff")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("staff", password="pw-12345678")
    user.groups.add(group)
    return user


def form(url, **extra):
    data = {
        "name": "Next.js site",
        "url": url,
        "events": ["article.published", "webhook.test"],
        "content_types": [],
        "active": "on",
    }
    data.update(extra)
    return data


def test_a_new_webhooks_secret_is_shown_once(admin_client, receiver):
    response = admin_client.post(
        reverse("webhooks_endpoint:add"), form(receiver.url_for("/hook"))
    )

    endpoint = WebhookEndpoint.objects.get()
    reveal = reverse("webhooks_endpoint:reveal", args=(endpoint.pk,))
    assert (response.status_code, response["Location"]) == (302, reveal)
    assert (endpoint.events, endpoint.content_types) == (
        ["article.published", "webhook.test"],
        [],
    )
    first = admin_client.get(reveal)
    assert (first.status_code, first["Cache-Control"]) == (
        200,
        "max-age=0, no-cache, no-store, must-revalidate, private",
    )
    assert first.content.decode().count(endpoint.secret) == 1
    again = admin_client.get(reveal)
    assert endpoint.secret not in again.content.decode()
    edit = admin_client.get(reverse("webhooks_endpoint:edit", args=(endpoint.pk,)))
    assert edit.status_code == 200
    assert endpoint.secret not in edit.content.decode()


def test_private_targets_are_refused_in_the_form(admin_client, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_NETWORKS = []

    response = admin_client.post(
        reverse("webhooks_endpoint:add"), form("http://10.0.0.5/hook")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [
        "This target is refused: 10.0.0.5 is not a public address (loopback, "
        "private, link-local or reserved)."
    ]
    assert WebhookEndpoint.objects.count() == 0


def test_rotating_shows_the_new_secret_once_and_keeps_the_old_one(
    admin_client, make_endpoint
):
    endpoint = make_endpoint("http://127.0.0.1:9/hook")
    old = endpoint.secret

    response = admin_client.post(
        reverse("webhooks_endpoint:rotate", args=(endpoint.pk,))
    )

    endpoint.refresh_from_db()
    reveal = reverse("webhooks_endpoint:reveal", args=(endpoint.pk,))
    assert (response.status_code, response["Location"]) == (302, reveal)
    assert (endpoint.previous_secret, endpoint.secrets()) == (
        old,
        [endpoint.secret, old],
    )
    assert endpoint.secret in admin_client.get(reveal).content.decode()


def test_send_test_event_and_replay_from_the_log(admin_client, receiver, make_endpoint):
    endpoint = make_endpoint(receiver.url_for("/hook"))

    response = admin_client.post(
        reverse("webhooks_endpoint:send_test", args=(endpoint.pk,))
    )

    assert response.status_code == 302
    ((headers, body),) = received(receiver)
    assert verify(endpoint.secret, headers, body)["type"] == "webhook.test"
    delivery = WebhookDelivery.objects.get()
    log = admin_client.get(reverse("webhooks_delivery:index"))
    assert log.status_code == 200
    assert "webhook.test" in log.content.decode()
    inspect = admin_client.get(
        reverse("webhooks_delivery:inspect", args=(delivery.pk,))
    )
    assert inspect.status_code == 200
    assert "succeeded" in inspect.content.decode()

    replayed = admin_client.post(
        reverse("webhooks_delivery:replay", args=(delivery.pk,))
    )

    assert replayed.status_code == 302
    first, second = received(receiver)
    assert first[0]["Webhook-Id"] == second[0]["Webhook-Id"]
    assert first[1] == second[1]
    assert list(
        WebhookDelivery.objects.order_by("pk").values_list("status", "replay_of")
    ) == [("succeeded", None), ("succeeded", delivery.pk)]


def test_switching_a_disabled_webhook_on_clears_its_failures(
    admin_client, make_endpoint
):
    endpoint = make_endpoint(
        "http://127.0.0.1:9/hook",
        active=False,
        consecutive_failures=20,
        disabled_reason="20 failed attempts in a row.",
    )

    response = admin_client.post(
        reverse("webhooks_endpoint:edit", args=(endpoint.pk,)),
        form("http://127.0.0.1:9/hook", events=ALL_EVENTS),
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (
        endpoint.active,
        endpoint.consecutive_failures,
        endpoint.disabled_reason,
    ) == (
        True,
        0,
        "",
    )


def test_the_dashboard_warns_admins_about_disabled_webhooks(
    admin_client, client, staff, make_endpoint, home
):
    make_endpoint("http://127.0.0.1:9/hook", active=False, disabled_reason="410 Gone.")

    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    assert dashboard.count("data-disabled-webhooks") == 1
    assert "1 webhook(s) disabled." in dashboard
    client.force_login(staff)
    assert (
        "data-disabled-webhooks"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def admin_urls(endpoint, delivery) -> list[str]:
    e, d = endpoint.pk, delivery.pk
    return [
        reverse("webhooks_endpoint:index"),
        reverse("webhooks_endpoint:index") + "?active=false&p=99&ordering=-bogus",
        reverse("webhooks_endpoint:add"),
        reverse("webhooks_endpoint:edit", args=(e,)),
        reverse("webhooks_endpoint:delete", args=(e,)),
        reverse("webhooks_endpoint:history", args=(e,)),
        reverse("webhooks_endpoint:usage", args=(e,)),
        reverse("webhooks_endpoint:reveal", args=(e,)),
        reverse("webhooks_endpoint:rotate", args=(e,)),
        reverse("webhooks_endpoint:send_test", args=(e,)),
        reverse("webhooks_endpoint:deliveries", args=(e,)),
        reverse("webhooks_delivery:index"),
        reverse("webhooks_delivery:index") + "?status=bogus&endpoint=abc&p=-1",
        reverse("webhooks_delivery:index") + f"?status=failed&endpoint={e}",
        reverse("webhooks_delivery:inspect", args=(d,)),
        reverse("webhooks_delivery:replay", args=(d,)),
    ]


@pytest.fixture
def logged(make_endpoint):
    endpoint = make_endpoint("http://127.0.0.1:9/hook", events=["webhook.test"])
    from webhooks.delivery import send_test

    send_test(endpoint)
    return endpoint, WebhookDelivery.objects.get()


def test_no_admin_page_of_webhooks_errors(admin_client, logged):
    statuses = {url: admin_client.get(url).status_code for url in admin_urls(*logged)}

    redirects = {
        reverse("webhooks_endpoint:deliveries", args=(logged[0].pk,)),
    }
    assert statuses == {url: 302 if url in redirects else 200 for url in statuses}


def test_missing_rows_and_bad_posts_are_4xx(admin_client, logged):
    endpoint, delivery = logged
    missing = [
        reverse("webhooks_endpoint:edit", args=(9999,)),
        reverse("webhooks_endpoint:reveal", args=(9999,)),
        reverse("webhooks_endpoint:rotate", args=(9999,)),
        reverse("webhooks_endpoint:send_test", args=(9999,)),
        reverse("webhooks_delivery:inspect", args=(9999,)),
        reverse("webhooks_delivery:replay", args=(9999,)),
    ]
    assert [admin_client.get(url).status_code for url in missing] == [404] * 6

    bad = admin_client.post(
        reverse("webhooks_endpoint:edit", args=(endpoint.pk,)),
        {"name": "", "url": "javascript:alert(1)", "events": ["nope"]},
    )
    assert bad.status_code == 200
    assert sorted(bad.context["form"].errors) == ["events", "name", "url"]
    assert (
        admin_client.put(
            reverse("webhooks_endpoint:reveal", args=(endpoint.pk,))
        ).status_code
        == 405
    )
    assert (
        admin_client.get(
            reverse("webhooks_delivery:edit", args=(delivery.pk,))
        ).status_code
        == 302
    )
    assert WebhookDelivery.objects.get().status == delivery.status


def test_nobody_but_admins_reaches_webhooks(client, staff, logged):
    urls = admin_urls(*logged)

    anonymous = {url: client.get(url)["Location"].split("?")[0] for url in urls}
    assert anonymous == dict.fromkeys(urls, reverse("wagtailadmin_login"))

    client.force_login(staff)
    refused = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in refused.items()} == dict.fromkeys(
        urls, 302
    )
    assert {r["Location"] for r in refused.values()} == {reverse("wagtailadmin_home")}
    posts = [
        reverse("webhooks_endpoint:rotate", args=(logged[0].pk,)),
        reverse("webhooks_endpoint:send_test", args=(logged[0].pk,)),
        reverse("webhooks_delivery:replay", args=(logged[1].pk,)),
    ]
    assert [client.post(url).status_code for url in posts] == [302, 302, 302]
    assert WebhookDelivery.objects.count() == 1
    assert WebhookEndpoint.objects.get().previous_secret == ""

"""Signatures any Standard Webhooks receiver accepts; targets the guard refuses."""

import datetime

import pytest
import time_machine
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webhooks import signing
from webhooks.guard import TargetRefused, check_address, resolve
from webhooks.models import WebhookDelivery
from webhooks.tests.conftest import received, verify

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_signatures_match_the_standard_webhooks_library():
    secret = signing.generate_secret()
    body = b'{"type":"webhook.test"}'

    ours = signing.sign(secret, "msg_1", int(T0.timestamp()), body)

    assert ours == Webhook(secret).sign("msg_1", T0, body.decode())
    assert secret.startswith("whsec_")
    assert len(secret) == len("whsec_") + 44


@pytest.mark.django_db(transaction=True)
def test_during_a_rotation_both_secrets_verify_until_the_grace_period_ends(
    receiver, make_endpoint, make_article, settings
):
    settings.WEBHOOK_SECRET_GRACE_HOURS = 24
    endpoint = make_endpoint(receiver.url_for("/hook"))
    old = endpoint.secret
    with time_machine.travel(T0, tick=False) as clock:
        endpoint.rotate_secret()
        new = endpoint.secret
        make_article()
        headers, body = received(receiver)[-1]
        assert verify(old, headers, body) == verify(new, headers, body)

        clock.shift(24 * 3600 - 1)
        make_article()
        headers, body = received(receiver)[-1]
        assert verify(old, headers, body) == verify(new, headers, body)

        clock.shift(1)
        make_article()
        headers, body = received(receiver)[-1]
        assert verify(new, headers, body)["type"] == "article.published"
        with pytest.raises(WebhookVerificationError):
            verify(old, headers, body)

    assert [
        len(headers["Webhook-Signature"].split(" "))
        for headers, _body in received(receiver)
    ] == [2, 2, 1]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "not a public address"),
        ("10.1.2.3", "not a public address"),
        ("172.16.0.1", "not a public address"),
        ("192.168.1.1", "not a public address"),
        ("100.64.0.1", "not a public address"),
        ("0.0.0.0", "not a public address"),
        ("224.0.0.1", "not a public address"),
        ("::1", "not a public address"),
        ("fe80::1", "not a public address"),
        ("fc00::1", "not a public address"),
        ("::ffff:127.0.0.1", "not a public address"),
        ("169.254.169.254", "cloud metadata address"),
        ("fd00:ec2::254", "cloud metadata address"),
        ("100.100.100.200", "cloud metadata address"),
    ],
)
def test_private_and_metadata_addresses_are_refused(address, reason, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_NETWORKS = []

    with pytest.raises(TargetRefused) as refused:
        check_address(address)

    assert reason in str(refused.value)


def test_the_allowlist_admits_private_networks_but_never_metadata(settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.0/8", "169.254.0.0/16"]

    assert check_address("127.0.0.5") is None
    assert check_address("93.184.216.34") is None
    with pytest.raises(TargetRefused):
        check_address("169.254.169.254")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/hook", "only http and https URLs are allowed"),
        ("http://user:pw@93.184.216.34/", "URLs with credentials are not allowed"),
        ("http:///hook", "the URL has no host"),
        ("http://10.0.0.1/hook", "10.0.0.1 is not a public address"),
    ],
)
def test_bad_targets_are_refused_before_any_connection(url, message, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_NETWORKS = []

    with pytest.raises(TargetRefused) as refused:
        resolve(url)

    assert str(refused.value).startswith(message)


@pytest.mark.django_db(transaction=True)
def test_a_loopback_receiver_is_refused_without_the_allowlist(
    receiver, make_endpoint, make_article, settings
):
    settings.WEBHOOK_ALLOWED_PRIVATE_NETWORKS = []
    make_endpoint(receiver.url_for("/hook"))

    make_article()

    row = WebhookDelivery.objects.get()
    assert (row.status, row.response_code, row.error) == (
        "pending",
        None,
        "refused: 127.0.0.1 is not a public address (loopback, private, "
        "link-local or reserved)",
    )
    assert received(receiver) == []

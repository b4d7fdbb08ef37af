"""Error reporting with the Sentry SDK, on only when ``SENTRY_DSN`` is set.

Events leave the process without personal data or secrets: the SDK's
``data_collection`` collects no user, IP address, cookies, query parameters,
bodies, GraphQL documents or variables, SQL parameters or frame local
variables, and request headers only from an allowlist; and
``scrub_event`` (``before_send``) keeps only harmless request headers (not
``Authorization``, ``Cookie``, ``X-Api-Key``, ``X-Preview-Token``,
``Referer``), drops the query string, cookies, body and WSGI environment,
tags the event with the request id of the log line, and runs Sentry's
scrubber over the whole event: any key that names a secret (``password``,
``token``, ``api_key``, ``variables``...) loses its value, at any depth.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

SAFE_HEADERS = {
    "accept",
    "accept-encoding",
    "accept-language",
    "content-length",
    "content-type",
    "host",
    "origin",
    "user-agent",
    "x-request-id",
}
DROPPED_REQUEST_KEYS = ("cookies", "data", "query_string", "env")
EXTRA_DENYLIST = [
    "x_preview_token",
    "x-preview-token",
    "preview_token",
    "x-api-key",
    "api-key",
    "variables",
]


_scrubber = EventScrubber(
    denylist=DEFAULT_DENYLIST + EXTRA_DENYLIST,
    pii_denylist=DEFAULT_PII_DENYLIST,
    send_default_pii=False,
    recursive=True,
)


def scrub_event(event, hint):
    """``before_send``: strip the request to what cannot identify or admit."""
    request = event.get("request")
    if isinstance(request, dict):
        headers = request.get("headers") or {}
        request["headers"] = {
            name: value
            for name, value in headers.items()
            if name.lower() in SAFE_HEADERS
        }
        for key in DROPPED_REQUEST_KEYS:
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    event.pop("user", None)
    # The SDK skips its own scrubber when data_collection is given.
    _scrubber.scrub_event(event)
    from cms.request_log import current

    facts = current()
    if facts is not None:
        event.setdefault("tags", {})["request_id"] = facts.request_id
    return event


def init_sentry(
    dsn: str,
    *,
    environment: str = "",
    release: str = "",
    traces_sample_rate: float = 0.0,
) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration()],
        # What integrations may collect at all (before_send trims further).
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {
                "request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}
            },
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "graphql": {"document": False, "variables": False},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )

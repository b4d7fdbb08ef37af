"""One HTTP POST to a webhook target, through the SSRF guard.

The request goes to the address the guard checked (the URL's host is kept
for ``Host``, TLS SNI and certificate checks), never follows a redirect,
and is bounded by ``WEBHOOK_TIMEOUT_SECONDS`` for connect and for reading
the response; at most ``MAX_READ`` bytes of the response are read.
"""

import dataclasses
import time

import urllib3
from django.conf import settings

from webhooks.guard import TargetRefused, resolve

MAX_READ = 64 * 1024
EXCERPT_CHARS = 1000
USER_AGENT = "clinic-content-service-webhooks/1"


@dataclasses.dataclass
class Response:
    status: int | None
    headers: dict
    excerpt: str
    duration_ms: int
    error: str = ""
    timed_out: bool = False


def _host_header(host: str, port: int, scheme: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return shown if port == default else f"{shown}:{port}"


def post(url: str, body: bytes, headers: dict, timeout: float | None = None):
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS if timeout is None else timeout
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port, path, address = resolve(url)
    except TargetRefused as exc:
        return Response(None, {}, "", elapsed(), error=f"refused: {exc}")
    request_headers = {
        **headers,
        "Host": _host_header(host, port, scheme),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    pool_timeout = urllib3.Timeout(total=timeout)
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=pool_timeout,
            retries=False,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            address, port, timeout=pool_timeout, retries=False
        )
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers=request_headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            raw = response.read(MAX_READ)
        finally:
            response.release_conn()
    except (urllib3.exceptions.TimeoutError, TimeoutError):
        return Response(
            None, {}, "", elapsed(), error=f"timeout after {timeout} s", timed_out=True
        )
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return Response(None, {}, "", elapsed(), error=f"{type(exc).__name__}: {exc}")
    finally:
        pool.close()
    excerpt = raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    return Response(
        response.status,
        {key.lower(): value for key, value in response.headers.items()},
        excerpt,
        elapsed(),
    )

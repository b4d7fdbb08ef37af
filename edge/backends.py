"""Purge backends, chosen by ``EDGE_PURGE_BACKEND``: each purges a batch of
cache tags or raises ``PurgeFailed`` (the job is then retried).

- ``varnish``: ``PURGE`` to each of ``EDGE_VARNISH_URLS`` with the tags in
  an ``xkey-purge`` header, as ``deploy/varnish/default.vcl`` expects.
- ``fastly``: purge by surrogate key, ``POST /service/{id}/purge`` with the
  keys in a JSON body (at most 256 a call) and ``Fastly-Key``; soft purges
  (marked stale, so ``stale-if-error`` still holds) unless turned off.
- ``cloudflare``: purge by tag, ``POST /zones/{zone}/purge_cache`` with
  ``{"tags": [...]}`` (at most 30 a call) and a bearer API token.
"""

import json
import logging

import urllib3
from django.conf import settings

logger = logging.getLogger("edge")

USER_AGENT = "clinic-content-service-purge/1"


class PurgeFailed(Exception):
    pass


def _pool() -> urllib3.PoolManager:
    timeout = settings.EDGE_PURGE_TIMEOUT_SECONDS
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout), retries=False
    )


def _chunks(tags: list[str], size: int):
    for start in range(0, len(tags), size):
        yield tags[start : start + size]


def _send(method: str, url: str, headers: dict, body: bytes | None = None):
    try:
        response = _pool().request(
            method,
            url,
            body=body,
            headers={"User-Agent": USER_AGENT, **headers},
            redirect=False,
        )
    except urllib3.exceptions.HTTPError as error:
        raise PurgeFailed(f"{method} {url}: {error}") from error
    if not 200 <= response.status < 300:
        excerpt = response.data[:300].decode("utf-8", "replace")
        raise PurgeFailed(f"{method} {url}: HTTP {response.status} {excerpt}")
    return response


class Varnish:
    name = "varnish"
    batch = 100  # keys per header; xkey splits them on spaces

    def purge(self, tags: list[str]) -> None:
        urls = settings.EDGE_VARNISH_URLS
        if not urls:
            raise PurgeFailed("EDGE_VARNISH_URLS is empty")
        for chunk in _chunks(tags, self.batch):
            for url in urls:
                _send("PURGE", url, {"xkey-purge": " ".join(chunk)})


class Fastly:
    name = "fastly"
    batch = 256  # Fastly's limit of keys per purge request

    def purge(self, tags: list[str]) -> None:
        base = settings.EDGE_FASTLY_API_URL.rstrip("/")
        service = settings.EDGE_FASTLY_SERVICE_ID
        headers = {
            "Fastly-Key": settings.EDGE_FASTLY_API_TOKEN,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        if settings.EDGE_FASTLY_SOFT_PURGE:
            headers["Fastly-Soft-Purge"] = "1"
        for chunk in _chunks(tags, self.batch):
            body = json.dumps({"surrogate_keys": chunk}).encode()
            _send("POST", f"{base}/service/{service}/purge", headers, body)


class Cloudflare:
    name = "cloudflare"
    batch = 30  # tags per purge_cache call

    def purge(self, tags: list[str]) -> None:
        base = settings.EDGE_CLOUDFLARE_API_URL.rstrip("/")
        zone = settings.EDGE_CLOUDFLARE_ZONE_ID
        headers = {
            "Authorization": f"Bearer {settings.EDGE_CLOUDFLARE_API_TOKEN}",
            "Content-Type": "application/json",
        }
        for chunk in _chunks(tags, self.batch):
            body = json.dumps({"tags": chunk}).encode()
            response = _send("POST", f"{base}/zones/{zone}/purge_cache", headers, body)
            try:
                answer = json.loads(response.data)
            except ValueError as error:
                raise PurgeFailed("Cloudflare answered with no JSON") from error
            if not answer.get("success"):
                raise PurgeFailed(f"Cloudflare refused: {answer.get('errors')}")


BACKENDS = {backend.name: backend for backend in (Varnish, Fastly, Cloudflare)}


def configured():
    """The backend ``EDGE_PURGE_BACKEND`` names, or None (no CDN)."""
    name = settings.EDGE_PURGE_BACKEND
    if not name:
        return None
    try:
        return BACKENDS[name]()
    except KeyError:
        raise PurgeFailed(f"unknown EDGE_PURGE_BACKEND {name!r}") from None

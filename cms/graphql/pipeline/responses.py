"""The HTTP responses of the pipeline: bodies, statuses and headers.

Under ``application/graphql-response+json`` a GraphQL request error (nothing
ran, no data entry) is a 400; under ``application/json`` it is a 200, as
GraphQL over HTTP asks for legacy clients. A cacheable GET gets ``public,
max-age`` and an ETag per representation, and a 304 when ``If-None-Match``
names it; everything else is ``no-store``. In production mode internal
errors are masked and field suggestions dropped from messages.
"""

import json
import logging
import re
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from graphql import GraphQLError

from cms.graphql import horizon, persisted
from cms.graphql.config import graphql_settings
from cms.graphql.errors import ErrorCode, RequestRejected
from cms.graphql.pipeline.transport import (
    GRAPHQL_RESPONSE_TYPE,
    JSON_TYPE,
    RESPONSE_TYPES,
)

logger = logging.getLogger("cms.graphql")

JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
CONTENT_TYPE = {
    JSON_TYPE: JSON_TYPE,
    GRAPHQL_RESPONSE_TYPE: f"{GRAPHQL_RESPONSE_TYPE}; charset=utf-8",
}
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def to_json(data) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def rejection(rejected: RequestRejected, media_type: str) -> HttpResponse:
    status = rejected.status
    if media_type == JSON_TYPE and rejected.json_status is not None:
        status = rejected.json_status
    response = HttpResponse(
        to_json({"errors": [rejected.as_error()]}),
        status=status,
        content_type=CONTENT_TYPE[media_type],
    )
    for name, value in rejected.headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def request_errors(
    errors, media_type: str, default_code: str = ErrorCode.GRAPHQL_VALIDATION_FAILED
) -> HttpResponse:
    """A GraphQL request error: nothing ran, so there is no data entry."""
    body = to_json({"errors": format_errors(errors, default_code)})
    status = 400 if media_type == GRAPHQL_RESPONSE_TYPE else 200
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE[media_type])
    response["Cache-Control"] = "no-store"
    return response


STALE_HEADER = "X-Stale"


def data(
    request,
    body: str,
    media_type: str,
    *,
    cacheable: bool,
    generation=None,
    tags=(),
    stale_age: int | None = None,
) -> HttpResponse:
    """An executed (or cached) body; cacheable GETs get an ETag and a 304,
    and their cache tags and CDN lifetime (``edge_headers``).

    ``stale_age``: a cached body served while the database is down. It says
    so in ``extensions.stale`` and the ``X-Stale`` header, and no HTTP cache
    (browser or CDN) may keep it."""
    if stale_age is not None:
        response = HttpResponse(
            mark_stale(body, stale_age), content_type=CONTENT_TYPE[media_type]
        )
        response[STALE_HEADER] = f"database-unavailable; age={stale_age}"
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(body, content_type=CONTENT_TYPE[media_type])
    if not (cacheable and request.method.upper() in ("GET", "HEAD")):
        response["Cache-Control"] = "no-store"
        return response
    # One ETag per representation: the same body under the other media
    # type is another representation (application/json's is unchanged).
    digest = persisted.sha256_hex(body)[:40]
    suffix = "" if media_type == JSON_TYPE else "-gr"
    etag = f'"{digest}{suffix}"'
    response["ETag"] = etag
    # Never past the next scheduled go-live or expiry (cms.graphql.horizon),
    # read once for both lifetimes.
    now = timezone.now()
    moment = horizon.next_change(generation, now)
    max_age = horizon.cut(graphql_settings().cache_max_age, moment, now)
    response["Cache-Control"] = f"public, max-age={max_age}"
    edge_headers(response, tags, horizon.cut(settings.EDGE_TTL, moment, now))
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        not_modified = HttpResponse(status=304)
        for name in ("ETag", "Cache-Control", *EDGE_HEADERS):
            if name in response:
                not_modified[name] = response[name]
        return not_modified
    return response


def mark_stale(body: str, age: int) -> str:
    payload = json.loads(body)
    extensions = payload.setdefault("extensions", {})
    extensions["stale"] = {"reason": "DATABASE_UNAVAILABLE", "ageSeconds": age}
    return to_json(payload)


EDGE_HEADERS = ("Surrogate-Control", "Surrogate-Key", "Cache-Tag")


def edge_headers(response: HttpResponse, tags, ttl: int) -> None:
    """Tags for purging (``Surrogate-Key``: Fastly, Varnish xkey; ``Cache-Tag``:
    Cloudflare) and the CDN's lifetime ``ttl`` (``EDGE_TTL`` cut before the
    next scheduled change), longer than the browser's: a change purges the
    CDN by tag, while a browser cannot be told."""
    if tags:
        response["Surrogate-Key"] = " ".join(tags)
        response["Cache-Tag"] = ",".join(tags)
    edge = settings
    if ttl <= 0:
        response["Surrogate-Control"] = "no-store"
        return
    response["Surrogate-Control"] = (
        f"max-age={ttl}, stale-while-revalidate={edge.EDGE_STALE_WHILE_REVALIDATE}"
        f", stale-if-error={edge.EDGE_STALE_IF_ERROR}"
    )


def etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return "*" in candidates or etag in candidates


def secure(response: HttpResponse) -> HttpResponse:
    """Headers every answer of the endpoint carries."""
    response.setdefault("X-Content-Type-Options", "nosniff")
    response.setdefault("Referrer-Policy", "no-referrer")
    # XFrameOptionsMiddleware never sees the endpoint (cms/graphql/shortcut.py).
    response.setdefault("X-Frame-Options", "DENY")
    if response.get("Content-Type", "").startswith(RESPONSE_TYPES):
        response["Content-Security-Policy"] = JSON_CSP
    response.setdefault("Cache-Control", "no-store")
    return response


# --- errors -----------------------------------------------------------------


def format_errors(errors, default_code: str) -> list[dict]:
    """Each error as JSON with a code (``default_code`` when it has none);
    one ``DEADLINE_EXCEEDED`` at most; resolver exceptions masked."""
    production = graphql_settings().production
    formatted = []
    deadline_seen = False
    for error in errors:
        original = getattr(error, "original_error", None)
        if original is not None and not isinstance(original, GraphQLError):
            formatted.append(mask(error, original, production))
            continue
        item = error.formatted
        extensions = dict(item.get("extensions") or {})
        extensions.setdefault("code", default_code)
        if extensions["code"] == ErrorCode.DEADLINE_EXCEEDED:
            if deadline_seen:
                continue
            deadline_seen = True
        item["extensions"] = extensions
        if production:
            item["message"] = SUGGESTION.sub("", item["message"])
        formatted.append(item)
    return formatted


def mask(error: GraphQLError, original: Exception, production: bool) -> dict:
    """An exception a resolver raised: logged with an id, reported as an
    ``INTERNAL_SERVER_ERROR`` with that id (and its text outside production)."""
    error_id = str(uuid.uuid4())
    logger.error(
        "GraphQL resolver error (errorId=%s, path=%s)",
        error_id,
        error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    item = {
        "message": "Internal server error",
        "extensions": {
            "code": ErrorCode.INTERNAL_SERVER_ERROR,
            "errorId": error_id,
        },
    }
    if error.locations:
        item["locations"] = [loc.formatted for loc in error.locations]
    if error.path:
        item["path"] = error.path
    if not production:
        item["extensions"]["debugMessage"] = f"{type(original).__name__}: {original}"
    return item

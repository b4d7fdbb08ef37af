"""Step 1, transport: method, media types and the request's parameters.

A POST body must be ``application/json`` (one operation, no batch) within
``MAX_BODY_BYTES``; a GET reads the query string. Every parameter and header
the endpoint reads must be valid Unicode. ``negotiate`` picks the response
media type from ``Accept``.
"""

import functools
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_from_bytes

from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponse

from cms.graphql.config import graphql_settings
from cms.graphql.errors import ErrorCode, RequestRejected

ALLOW = "GET, HEAD, POST, OPTIONS"
# What the endpoint reads from a request: these parameters, and these headers
# (the rate limit's client key, the preview token).
PARAMETERS = ("query", "id", "operationName", "variables", "extensions")
TEXT_HEADERS = ("X-Api-Key", "X-Preview-Token")
_ASCII = bytes(range(128))

JSON_TYPE = "application/json"
GRAPHQL_RESPONSE_TYPE = "application/graphql-response+json"
# Listed in order of preference when the client weighs them equally.
RESPONSE_TYPES = (JSON_TYPE, GRAPHQL_RESPONSE_TYPE)


@dataclass(frozen=True)
class Params:
    """The GraphQL parameters of one request, checked for type."""

    query: str | None = None
    id: str | None = None
    operation_name: str | None = None
    variables: dict = field(default_factory=dict)
    extensions: dict = field(default_factory=dict)


class NoSession(dict):
    """Stands in for ``request.session``: the API never reads or writes one,
    and SessionMiddleware must not delete a bad session cookie (that adds
    ``Set-Cookie`` and ``Vary: Cookie`` to a cacheable response)."""

    accessed = False
    modified = False

    def is_empty(self) -> bool:
        return False


def detach_session(request) -> None:
    """No session, and no CSRF cookie written on the way out (a malformed
    one would otherwise be replaced): an anonymous GET sets no cookie."""
    request.session = NoSession()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False


def content_type(request) -> str:
    """The request body's media type, lowercase, without parameters."""
    meta = request.META
    value = meta.get("CONTENT_TYPE", meta.get("HTTP_CONTENT_TYPE", ""))
    return value.split(";", 1)[0].lower()


def check_method(request) -> HttpResponse | None:
    """The answer to ``OPTIONS``; a refusal for other methods than GET,
    HEAD and POST, and for a POST body that is not JSON; else None."""
    method = request.method.upper()
    if method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = ALLOW
        return response
    if method not in ("GET", "HEAD", "POST"):
        raise RequestRejected(
            405,
            ErrorCode.METHOD_NOT_ALLOWED,
            f"{method} is not supported; use GET or POST.",
            headers={"Allow": ALLOW},
        )
    if method == "POST" and content_type(request) != "application/json":
        raise RequestRejected(
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "POST bodies must be application/json.",
        )
    return None


def read_params(request, method: str) -> Params:
    check_headers(request)
    return parse_params(request, method, read_raw(request, method))


def read_raw(request, method: str) -> bytes | str:
    """What a request's parameters are read from: a POST's body (within the
    size limit), else the query string, as the WSGI server passed it."""
    if method == "POST":
        return read_body(request)
    return request.META.get("QUERY_STRING", "")


def parse_params(request, method: str, raw: bytes | str) -> Params:
    """The parameters in ``raw`` (from ``read_raw``), checked."""
    if method == "POST":
        return check_params(json_body(raw))
    data = query_string_params(request)
    # Raw values first: bytes that are not UTF-8 inside `variables` are
    # refused as such, not as malformed JSON.
    check_text(data)
    for name in ("variables", "extensions"):
        if isinstance(data.get(name), str):
            data[name] = loads(data[name], name) if data[name] else None
    return check_params(data)


def read_body(request) -> bytes:
    limit = graphql_settings().limits.max_body_bytes
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_large(limit)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise too_large(limit)
    return body


def json_body(body: bytes):
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRejected(
            400, ErrorCode.MALFORMED_JSON, "The body is not valid UTF-8."
        ) from None
    data = loads(text, "body")
    if isinstance(data, list):
        raise RequestRejected(
            400,
            ErrorCode.BATCHING_NOT_SUPPORTED,
            "Batched requests are not supported; send one operation.",
        )
    return data


def too_large(limit: int) -> RequestRejected:
    return RequestRejected(
        413,
        ErrorCode.REQUEST_TOO_LARGE,
        f"The request body exceeds {limit} bytes.",
        limit=limit,
    )


def loads(text: str, what: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise RequestRejected(
            400, ErrorCode.MALFORMED_JSON, f"The {what} is not valid JSON."
        ) from None


def check_params(data) -> Params:
    def bad(message):
        return RequestRejected(400, ErrorCode.BAD_REQUEST, message)

    if not isinstance(data, dict):
        raise bad("The body must be a JSON object.")
    for name in ("query", "id", "operationName"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise bad(f"`{name}` must be a string.")
    for name in ("variables", "extensions"):
        if data.get(name) is not None and not isinstance(data[name], dict):
            raise bad(f"`{name}` must be a JSON object.")
    check_text(data)
    return Params(
        query=data.get("query") or None,
        id=data.get("id") or None,
        operation_name=data.get("operationName") or None,
        variables=data.get("variables") or {},
        extensions=data.get("extensions") or {},
    )


# --- valid Unicode ------------------------------------------------------------


def _invalid_unicode(where: str) -> RequestRejected:
    return RequestRejected(
        400,
        ErrorCode.INVALID_UNICODE,
        f"{where} is not valid Unicode: it holds an unpaired surrogate or "
        "bytes that are not UTF-8.",
    )


def _is_utf8_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def check_text(data: dict) -> None:
    """Refuse a request whose parameters hold text that is not valid Unicode.

    JSON may escape a lone surrogate (``"\\ud800"``), and query-string bytes
    that are not UTF-8 arrive as lone surrogates (``query_string_params``);
    such text cannot be hashed, cached, or written into a response. One walk
    over every string, keys included, at any depth (iterative: decoded JSON
    can nest as deep as the JSON parser allows).
    """
    for name in PARAMETERS:
        pending = [data.get(name)]
        while pending:
            value = pending.pop()
            if isinstance(value, str):
                if not _is_utf8_text(value):
                    raise _invalid_unicode(f"The `{name}` parameter")
            elif isinstance(value, dict):
                pending.extend(value.keys())
                pending.extend(value.values())
            elif isinstance(value, list):
                pending.extend(value)


def check_headers(request) -> None:
    """The headers the endpoint reads must be UTF-8 (API keys and preview
    tokens are ASCII). WSGI hands header bytes over as latin-1 text."""
    for header in TEXT_HEADERS:
        value = request.headers.get(header)
        if value is None:
            continue
        try:
            value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            raise _invalid_unicode(f"The {header} header") from None


def query_string_params(request) -> dict:
    """The GraphQL parameters of a GET query string, the last of each winning
    (as in ``request.GET``). Django would replace bytes that are not UTF-8
    with U+FFFD and run a changed query; here they become lone surrogates
    (``surrogateescape``), which ``check_text`` refuses."""
    try:
        raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    except UnicodeEncodeError:  # not bytes as latin-1: not from a WSGI server
        raise _invalid_unicode("The query string") from None
    # Percent-encode raw non-ASCII bytes, so every byte decodes the same way.
    text = quote_from_bytes(raw, safe=_ASCII)
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            errors="surrogateescape",
            max_num_fields=graphql_settings().max_query_string_fields,
        )
    except ValueError:
        raise RequestRejected(
            400, ErrorCode.BAD_REQUEST, "The query string has too many parameters."
        ) from None
    return {name: value for name, value in pairs if name in PARAMETERS}


# --- Accept -------------------------------------------------------------------


@functools.lru_cache(maxsize=256)  # clients send few distinct values
def negotiate(accept: str) -> str:
    """The response media type for an ``Accept`` header (RFC 9110, 12.5.1).

    Each type takes the weight of the most specific range naming it (exact,
    then ``application/*``, then ``*/*``; a ``charset`` other than UTF-8 does
    not name it). The heavier wins, then the more specific match, then the
    one listed first; ``*/*`` alone gives ``application/json``. No ``Accept``,
    or one that accepts neither type, gives ``application/json`` too: the
    spec's default for legacy clients (and graphql-http's), and the spec lets
    a server disregard an ``Accept`` it cannot satisfy rather than send 406.
    """
    matched = {}  # media type -> (specificity, -position, weight)
    for position, item in enumerate(accept.split(",")):
        media, *params = item.split(";")
        media = media.strip().lower()
        weight, usable = 1.0, True
        for param in params:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"').lower()
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    usable = False
                usable = usable and 0.0 <= weight <= 1.0  # False for NaN too
            elif name == "charset" and value not in ("utf-8", "utf8"):
                usable = False
        if not usable:
            continue
        for candidate in RESPONSE_TYPES:
            specificity = _specificity(media, candidate)
            if specificity is None:
                continue
            rank = (specificity, -position)
            if candidate not in matched or rank > matched[candidate][:2]:
                matched[candidate] = (*rank, weight)
    choice, best = JSON_TYPE, None
    for candidate in RESPONSE_TYPES:
        if candidate not in matched:
            continue
        specificity, position, weight = matched[candidate]
        score = (weight, specificity, position)
        if weight > 0 and (best is None or score > best):
            choice, best = candidate, score
    return choice


def _specificity(media_range: str, media_type: str) -> int | None:
    if media_range == media_type:
        return 2
    if media_range == media_type.split("/")[0] + "/*":
        return 1
    if media_range == "*/*":
        return 0
    return None

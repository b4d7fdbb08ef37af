"""The site's only way to content: the public GraphQL API, over HTTP.

Each page runs one of the committed operations in
``frontend_contract/operations`` by its persisted id (the sha256 of the file's
text), as an external frontend would:

* public pages send ``GET ?id=...&variables=...``, which the API answers with
  ``Cache-Control: public`` and an ``ETag`` and keeps in its response cache, so
  an edge in front of the API (``WEB_API_URL``) serves them too;
* previews send ``POST {"id", "variables"}`` with the editor's token in
  ``X-Preview-Token``: never cached anywhere.

``WEB_API_URL`` (empty by default) is the GraphQL endpoint; empty means "the
server that answered this page", which is how ``make run`` serves both from one
process. runserver answers each request in a thread of its own, so a page may
call back into it. Under gunicorn, give that server threads or workers to
spare (or point ``WEB_API_URL`` at the API's own deployment): a sync worker
that waits on itself waits until ``WEB_API_TIMEOUT_SECONDS``.
"""

import hashlib
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings

logger = logging.getLogger("web")

OPERATIONS_DIR = (
    Path(__file__).resolve().parent.parent / "frontend_contract" / ("operations")
)
USER_AGENT = "clinic-reference-site/1.0"
# Codes that mean "the request was wrong" rather than "the service failed".
CLIENT_ERROR_CODES = frozenset(
    {
        "BAD_USER_INPUT",
        "PAGE_SIZE_TOO_LARGE",
        "INVALID_PAGINATION",
        "INVALID_COORDINATES",
        "UNKNOWN_FILTER_VALUE",
    }
)


class ApiUnavailable(Exception):
    """The API did not answer, or answered 429 / 5xx."""

    def __init__(self, message: str, *, retry_after: str | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Operation:
    name: str
    id: str
    text: str


@dataclass
class Result:
    data: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    status: int = 200
    cache_control: str = ""

    @property
    def codes(self) -> list[str]:
        return [(e.get("extensions") or {}).get("code", "") for e in self.errors]

    def client_error(self) -> str | None:
        """The first error message caused by the request's own input, if any."""
        for error, code in zip(self.errors, self.codes, strict=True):
            if code in CLIENT_ERROR_CODES:
                return error.get("message") or code
        return None


@cache
def operations() -> dict[str, Operation]:
    """Every committed operation by name, with its persisted id."""
    found = {}
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        found[path.stem] = Operation(path.stem, digest, text)
    return found


def endpoint(request) -> str:
    configured = getattr(settings, "WEB_API_URL", "")
    if configured:
        # The endpoint is /graphql/: without its slash a POST would redirect.
        return configured if configured.endswith("/") else configured + "/"
    return request.build_absolute_uri("/graphql/")


def _headers(extra: dict | None = None) -> dict:
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    key = getattr(settings, "WEB_API_KEY", "")
    if key:
        headers["X-Api-Key"] = key
    headers.update(extra or {})
    return headers


def _send(http_request) -> Result:
    timeout = float(getattr(settings, "WEB_API_TIMEOUT_SECONDS", 10))
    try:
        with urllib.request.urlopen(http_request, timeout=timeout) as response:
            status = response.status
            raw = response.read()
            cache_control = response.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as error:
        status = error.code
        raw = error.read()
        cache_control = error.headers.get("Cache-Control", "")
        if status == 429 or status >= 500:
            raise ApiUnavailable(
                f"The content API answered HTTP {status}.",
                retry_after=error.headers.get("Retry-After"),
            ) from None
    except (OSError, ValueError) as error:  # refused, timed out, bad URL
        logger.warning("content API unreachable: %s", error)
        raise ApiUnavailable("The content API did not answer.") from None
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiUnavailable(
            f"The content API answered HTTP {status} without JSON."
        ) from None
    if not isinstance(body, dict):
        raise ApiUnavailable("The content API answered something unexpected.")
    return Result(
        data=body.get("data") or {},
        errors=body.get("errors") or [],
        status=status,
        cache_control=cache_control,
    )


def _variables_json(variables: dict) -> str:
    # Sorted and compact: the same variables give the same URL, so every
    # cache between here and the API stores one entry, not one per key order.
    return json.dumps(variables, sort_keys=True, separators=(",", ":"))


def run(request, name: str, variables: dict | None = None) -> Result:
    """Run a committed operation by persisted id over GET (cacheable)."""
    operation = operations()[name]
    variables = {k: v for k, v in (variables or {}).items() if v is not None}
    query = {"id": operation.id}
    if variables:
        query["variables"] = _variables_json(variables)
    url = f"{endpoint(request)}?{urlencode(query)}"
    result = _send(urllib.request.Request(url, headers=_headers(), method="GET"))
    if "PERSISTED_QUERY_NOT_FOUND" in result.codes:
        # An API that does not know this file yet: send the text once.
        return _post(request, operation, variables, {}, with_text=True)
    return result


def run_preview(request, name: str, variables: dict, token: str) -> Result:
    """The same operation with the editor's preview token: POST, never cached."""
    operation = operations()[name]
    variables = {k: v for k, v in variables.items() if v is not None}
    return _post(request, operation, variables, {"X-Preview-Token": token})


def _post(request, operation, variables, headers, *, with_text=False) -> Result:
    body = {"id": operation.id, "variables": variables}
    if with_text:
        body = {"query": operation.text, "variables": variables}
    http_request = urllib.request.Request(
        endpoint(request),
        data=json.dumps(body).encode("utf-8"),
        headers=_headers({"Content-Type": "application/json", **headers}),
        method="POST",
    )
    return _send(http_request)


# The one mutation the site sends. Not a contract operation (the API ships
# none for mutations): it goes as text, so a GRAPHQL_SAFELIST deployment
# answers PERSISTED_QUERY_NOT_ALLOWED unless it adds this text to its
# operations directory (docs/engagement.md).
SUBMIT_COMMENT = """mutation SubmitComment($article: ID!, $name: String!,
  $email: String, $body: String!, $website: String, $formToken: String!) {
  submitComment(article: $article, name: $name, email: $email, body: $body,
    website: $website, formToken: $formToken) {
    accepted
    message
  }
}"""


def submit_comment(request, variables: dict) -> Result:
    """POST the comment mutation with the header mutations need; never cached."""
    http_request = urllib.request.Request(
        endpoint(request),
        data=json.dumps({"query": SUBMIT_COMMENT, "variables": variables}).encode(
            "utf-8"
        ),
        headers=_headers(
            {"Content-Type": "application/json", "X-Requested-With": "clinic-site"}
        ),
        method="POST",
    )
    return _send(http_request)


def api_url(request, path: str) -> str:
    """A path the API gave (e.g. ``/api/comments/form/?article=1``), absolute."""
    return urljoin(endpoint(request), path)


def get_json(request, path: str) -> Result:
    """GET one of the API's JSON endpoints; its body comes back as ``data``."""
    http_request = urllib.request.Request(
        api_url(request, path), headers=_headers(), method="GET"
    )
    timeout = float(getattr(settings, "WEB_API_TIMEOUT_SECONDS", 10))
    try:
        with urllib.request.urlopen(http_request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
        if status == 429 or status >= 500:
            raise ApiUnavailable(f"The content API answered HTTP {status}.") from None
    except (OSError, ValueError) as error:
        logger.warning("content API unreachable: %s", error)
        raise ApiUnavailable("The content API did not answer.") from None
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiUnavailable(
            f"The content API answered HTTP {status} without JSON."
        ) from None
    if not isinstance(body, dict):
        raise ApiUnavailable("The content API answered something unexpected.")
    return Result(
        data=body if status < 400 else {},
        errors=body.get("errors") or [],
        status=status,
    )


def media_origin() -> str:
    """Where root-relative media URLs from the API live ("" = this server)."""
    configured = getattr(settings, "WEB_API_URL", "")
    if not configured:
        return ""
    parts = urlsplit(configured)
    return f"{parts.scheme}://{parts.netloc}"

"""Step 2, persisted lookup: the query text to run, and its id.

A request names its query by text (``query``), by id (``id``, an operation
file's sha256) or by Apollo APQ hash (``extensions.persistedQuery``); with
both text and hash, the hash must match and an unknown text registers once
it has passed parsing, validation and cost (``register``). Under the
safelist only operation files run. The text must fit ``MAX_QUERY_BYTES``.
"""

from dataclasses import dataclass

from cms import metrics, request_log
from cms.graphql import persisted
from cms.graphql.config import graphql_settings
from cms.graphql.errors import ErrorCode, RequestRejected
from cms.graphql.pipeline.transport import Params


@dataclass(frozen=True)
class Query:
    text: str
    id: str  # sha256 hex digest of the text
    persisted: bool  # an operation file's, or a registered APQ hash's
    register: bool = False  # an APQ to remember once it has passed the limits


def not_allowed() -> RequestRejected:
    return RequestRejected(
        400,
        ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
        "Only persisted operations may run on this endpoint.",
    )


def resolve(params: Params) -> Query:
    """The query of ``params``, noted for the request log, within its size."""
    query = _resolve(params)
    request_log.note_query(query.id, query.text, params.operation_name)
    check_size(query.text)
    return query


def _resolve(params: Params) -> Query:
    query, query_id = params.query, params.id
    apq = params.extensions.get("persistedQuery")
    if apq is not None:
        if not isinstance(apq, dict) or apq.get("version") != 1:
            raise RequestRejected(
                400,
                ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
                "Only persistedQuery version 1 is supported.",
            )
        query_id = apq.get("sha256Hash")
    if query_id is None:
        if query is None:
            raise RequestRejected(400, ErrorCode.BAD_REQUEST, "Must provide a query.")
        query_id = persisted.sha256_hex(query)
        return Query(query, query_id, query_id in persisted.registry())
    if not isinstance(query_id, str) or not persisted.SHA256_HEX.match(query_id):
        raise RequestRejected(
            400,
            ErrorCode.BAD_REQUEST,
            "A persisted query id is a lowercase sha256 hex digest.",
        )
    if query is None:
        return Query(_text_of(query_id), query_id, True)
    if persisted.sha256_hex(query) != query_id:
        raise RequestRejected(
            400,
            ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
            "The query does not match its sha256 hash.",
        )
    known = query_id in persisted.registry()
    if not known and persisted.safelist_enabled():
        raise not_allowed()
    return Query(query, query_id, True, register=not known)


def _text_of(query_id: str) -> str:
    text = persisted.lookup(query_id)
    if text is None:
        metrics.PERSISTED_QUERY_MISSES.inc()
        # Apollo clients then retry with the full text. A response without
        # data is a 4xx under graphql-response+json (404, as Apollo Router
        # answers); legacy clients keep the 200.
        raise RequestRejected(
            404,
            ErrorCode.PERSISTED_QUERY_NOT_FOUND,
            "PersistedQueryNotFound",
            json_status=200,
        )
    return text


def check_size(text: str) -> None:
    limit = graphql_settings().limits.max_query_bytes
    if len(text.encode("utf-8")) > limit:
        raise RequestRejected(
            400,
            ErrorCode.QUERY_TOO_LARGE,
            f"The query exceeds {limit} bytes.",
            json_status=200,
            limit=limit,
        )


def register(query: Query) -> None:
    """Remember an APQ text under its hash (it passed every check)."""
    if query.register:
        persisted.remember(query.id, query.text)

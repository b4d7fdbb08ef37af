"""GraphQL errors with a stable ``extensions.code`` that clients can switch on.

Resolvers raise ``ApiError`` (or a subclass) for bad input; anything else that
escapes a resolver is masked as ``INTERNAL_SERVER_ERROR`` by the view.
``RequestRejected`` is the transport-level counterpart: the view turns it into
an HTTP status plus a one-error JSON body.
"""

from graphql import GraphQLError


class ErrorCode:
    BAD_USER_INPUT = "BAD_USER_INPUT"
    PAGE_SIZE_TOO_LARGE = "PAGE_SIZE_TOO_LARGE"
    INVALID_PAGINATION = "INVALID_PAGINATION"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_COORDINATES = "INVALID_COORDINATES"
    UNKNOWN_FILTER_VALUE = "UNKNOWN_FILTER_VALUE"
    NOT_FOUND = "NOT_FOUND"
    INVALID_PREVIEW_TOKEN = "INVALID_PREVIEW_TOKEN"
    RENDITION_NOT_ALLOWED = "RENDITION_NOT_ALLOWED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"

    # Transport (HTTP) errors.
    BAD_REQUEST = "BAD_REQUEST"
    INVALID_UNICODE = "INVALID_UNICODE"
    MALFORMED_JSON = "MALFORMED_JSON"
    BATCHING_NOT_SUPPORTED = "BATCHING_NOT_SUPPORTED"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    CSRF_HEADER_REQUIRED = "CSRF_HEADER_REQUIRED"
    RATE_LIMITED = "RATE_LIMITED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"

    # Document guards, checked before execution.
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_FIELDS = "TOO_MANY_FIELDS"
    TOO_MANY_DIRECTIVES = "TOO_MANY_DIRECTIVES"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
    OPERATION_NOT_SUPPORTED = "OPERATION_NOT_SUPPORTED"

    # Persisted queries.
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"

    # Execution.
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"

    # Comments (submitComment; content.engagement).
    COMMENT_TOKEN_INVALID = "COMMENT_TOKEN_INVALID"
    COMMENT_TOKEN_EXPIRED = "COMMENT_TOKEN_EXPIRED"
    COMMENT_TOKEN_REUSED = "COMMENT_TOKEN_REUSED"
    COMMENT_TOO_FAST = "COMMENT_TOO_FAST"
    COMMENT_REJECTED = "COMMENT_REJECTED"
    COMMENTS_CLOSED = "COMMENTS_CLOSED"
    COMMENT_EMPTY = "COMMENT_EMPTY"
    COMMENT_TOO_LONG = "COMMENT_TOO_LONG"
    COMMENT_INVALID_TEXT = "COMMENT_INVALID_TEXT"
    COMMENT_MARKUP_NOT_ALLOWED = "COMMENT_MARKUP_NOT_ALLOWED"
    COMMENT_INVALID_EMAIL = "COMMENT_INVALID_EMAIL"


def coded(message: str, code: str, node=None, **extensions) -> GraphQLError:
    """A GraphQL error with ``extensions.code`` (a document refused)."""
    return GraphQLError(message, node, extensions={"code": code, **extensions})


class ApiError(GraphQLError):
    """An error caused by the request, reported to the client as is."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, *, code: str | None = None, **extensions):
        extensions = {"code": code or self.code, **extensions}
        super().__init__(message, extensions=extensions)


class DeadlineExceeded(ApiError):
    code = ErrorCode.DEADLINE_EXCEEDED


class RequestRejected(Exception):
    """A request refused before (or instead of) execution.

    ``status`` is the HTTP status; ``headers`` extra response headers (Allow,
    Retry-After...). Each carries exactly one error with a stable code.
    ``json_status``, when given, replaces ``status`` in an ``application/json``
    response (GraphQL over HTTP: 200 for a GraphQL request error there, the
    4xx only under ``application/graphql-response+json``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict | None = None,
        json_status: int | None = None,
        **extensions,
    ):
        super().__init__(message)
        self.status = status
        self.json_status = json_status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extensions = extensions

    def as_error(self) -> dict:
        return {
            "message": self.message,
            "extensions": {"code": self.code, **self.extensions},
        }

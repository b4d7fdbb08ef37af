"""GraphQL errors with a stable ``extensions.code`` that clients can switch on.

Resolvers raise ``ApiError`` (or a subclass) for bad input; anything else that
escapes a resolver is masked as ``INTERNAL_SERVER_ERROR`` by the view.
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


class ApiError(GraphQLError):
    """An error caused by the request, reported to the client as is."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, *, code: str | None = None, **extensions):
        extensions = {"code": code or self.code, **extensions}
        super().__init__(message, extensions=extensions)

"""Signed tokens: the comment form token and the author's delete link.

A form token names the article, the time it was issued and a random nonce,
signed with the secret key. It is good from ``COMMENT_MIN_FILL_SECONDS``
after issue (bots submit at once) until ``COMMENT_TOKEN_MAX_AGE_SECONDS``,
for one comment: the nonce is recorded when the comment is saved.
"""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

FORM_SALT = "content.engagement.form"
DELETE_SALT = "content.engagement.delete"


class TokenRejected(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class FormToken:
    article_id: int
    issued_at: float
    nonce: str


def issue_form_token(article_id: int, *, now: float | None = None) -> str:
    issued = int((now if now is not None else time.time()) * 1000)
    payload = {"a": int(article_id), "t": issued, "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=FORM_SALT, compress=False)


def read_form_token(
    token: str, article_id: int, *, now: float | None = None
) -> FormToken:
    """The token's contents; ``TokenRejected`` unless it is signed, for this
    article, old enough and not too old. Whether it was used is the
    service's check (it needs the database)."""
    if not isinstance(token, str) or len(token) > 300:
        raise TokenRejected("COMMENT_TOKEN_INVALID", "The form token is not valid.")
    try:
        payload = signing.loads(token, salt=FORM_SALT)
        token_article = int(payload["a"])
        issued = int(payload["t"]) / 1000
        nonce = str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise TokenRejected(
            "COMMENT_TOKEN_INVALID", "The form token is not valid."
        ) from None
    if token_article != int(article_id) or len(nonce) != 32:
        raise TokenRejected("COMMENT_TOKEN_INVALID", "The form token is not valid.")
    age = (now if now is not None else time.time()) - issued
    if age < settings.COMMENT_MIN_FILL_SECONDS:
        raise TokenRejected(
            "COMMENT_TOO_FAST",
            "The form was sent too quickly after it was loaded; try again.",
        )
    if age > settings.COMMENT_TOKEN_MAX_AGE_SECONDS:
        raise TokenRejected(
            "COMMENT_TOKEN_EXPIRED", "The form has expired; reload the page."
        )
    return FormToken(token_article, issued, nonce)


def delete_token(comment_id: int, email: str) -> str:
    return signing.dumps(
        {"c": int(comment_id), "e": email.lower()}, salt=DELETE_SALT, compress=False
    )


def read_delete_token(token: str) -> tuple[int, str] | None:
    """(comment id, email) from a delete link, or None when it is not valid."""
    try:
        payload = signing.loads(token, salt=DELETE_SALT, max_age=30 * 86400)
        return int(payload["c"]), str(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None

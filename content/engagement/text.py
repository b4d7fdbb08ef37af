"""Comment text: plain, normalised, bounded; markup and Unicode tricks refused.

``clean_body`` and ``clean_name`` return the normalised text or raise
``TextRejected`` with a stable code. Nothing is escaped or stripped
silently: a comment that looks like markup is refused, so what moderators
approve is exactly what readers see, rendered as text.
"""

import re
import unicodedata

from django.conf import settings

# Tags, comments, processing instructions and declarations; "a < b" is fine.
MARKUP = re.compile(r"<\s*(?:[/?]?\s*[a-zA-Z]|!)|&#?[a-zA-Z0-9]+;")
# Script URLs could become live if a frontend ever autolinks.
SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:|data\s*:\s*text/html", re.IGNORECASE)
# Bidirectional overrides and isolates: they reorder what readers see.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
# Joiners inside emoji sequences are allowed; other format characters not.
ALLOWED_FORMAT = {"\u200d", "\ufe0f"}
MAX_COMBINING_RUN = 3
MAX_BLANK_LINES = 1


class TextRejected(ValueError):
    def __init__(self, code: str, message: str, field: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def _check_characters(text: str, field: str) -> None:
    run = 0
    for char in text:
        category = unicodedata.category(char)
        if char in BIDI:
            raise TextRejected(
                "COMMENT_INVALID_TEXT",
                "Text may not hold bidirectional control characters.",
                field,
            )
        if category == "Cc" and char not in "\n\r\t":
            raise TextRejected(
                "COMMENT_INVALID_TEXT", "Text may not hold control characters.", field
            )
        if category == "Cf" and char not in ALLOWED_FORMAT:
            raise TextRejected(
                "COMMENT_INVALID_TEXT",
                "Text may not hold invisible formatting characters.",
                field,
            )
        if category in ("Cs", "Co", "Cn"):
            raise TextRejected(
                "COMMENT_INVALID_TEXT",
                "Text may not hold unassigned or private-use characters.",
                field,
            )
        run = run + 1 if category in ("Mn", "Me") else 0
        if run > MAX_COMBINING_RUN:
            raise TextRejected(
                "COMMENT_INVALID_TEXT",
                "Text may not stack combining marks.",
                field,
            )


def _check_markup(text: str, field: str) -> None:
    if MARKUP.search(text) or SCRIPT_URL.search(text):
        raise TextRejected(
            "COMMENT_MARKUP_NOT_ALLOWED",
            "Comments are plain text: HTML and script links are not allowed.",
            field,
        )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [" ".join(line.replace("\t", " ").split()) for line in text.split("\n")]
    out, blanks = [], 0
    for line in lines:
        blanks = blanks + 1 if not line else 0
        if blanks <= MAX_BLANK_LINES:
            out.append(line)
    return "\n".join(out).strip()


def clean_body(raw: str) -> str:
    limit = settings.COMMENT_MAX_CHARS
    # Checked before normalising, too: no work on an oversized string.
    if len(raw) > limit * 2:
        raise TextRejected(
            "COMMENT_TOO_LONG", f"A comment is at most {limit} characters.", "body"
        )
    _check_characters(raw, "body")
    text = _normalise(raw)
    _check_markup(text, "body")
    if not text:
        raise TextRejected("COMMENT_EMPTY", "Write a comment.", "body")
    if len(text) > limit:
        raise TextRejected(
            "COMMENT_TOO_LONG", f"A comment is at most {limit} characters.", "body"
        )
    return text


def clean_name(raw: str) -> str:
    limit = settings.COMMENT_NAME_MAX_CHARS
    if len(raw) > limit * 2:
        raise TextRejected(
            "COMMENT_TOO_LONG", f"A name is at most {limit} characters.", "name"
        )
    _check_characters(raw, "name")
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    _check_markup(text, "name")
    if not text:
        raise TextRejected("COMMENT_EMPTY", "Give a name.", "name")
    if len(text) > limit:
        raise TextRejected(
            "COMMENT_TOO_LONG", f"A name is at most {limit} characters.", "name"
        )
    return text

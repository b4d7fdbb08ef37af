"""Pluggable spam checks for new comments.

``COMMENT_SPAM_BACKEND`` picks one: "" (none, the default) or "akismet".
A check returns True for spam. A backend that cannot answer (network error,
bad key) answers "not spam": every comment is moderated anyway.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("content.engagement")


@dataclass(frozen=True)
class Submission:
    name: str
    email: str
    body: str
    permalink: str
    user_ip: str
    user_agent: str
    referrer: str


class NoSpamCheck:
    def is_spam(self, submission: Submission) -> bool:
        return False


class Akismet:
    """Akismet's comment-check call (form-encoded POST; "true" is spam)."""

    def __init__(self, key: str, site_url: str, endpoint: str, timeout: float):
        self.url = endpoint.format(key=urllib.parse.quote(key, safe=""))
        self.key = key
        self.site_url = site_url
        self.timeout = timeout

    def is_spam(self, submission: Submission) -> bool:
        data = urllib.parse.urlencode(
            {
                "api_key": self.key,
                "blog": self.site_url,
                "user_ip": submission.user_ip,
                "user_agent": submission.user_agent,
                "referrer": submission.referrer,
                "permalink": submission.permalink,
                "comment_type": "comment",
                "comment_author": submission.name,
                "comment_author_email": submission.email,
                "comment_content": submission.body,
                "blog_charset": "UTF-8",
            }
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read(64).decode("ascii", "replace").strip()
        except (urllib.error.URLError, OSError, ValueError):
            logger.warning("Akismet unavailable; comment left to moderators")
            return False
        if answer not in ("true", "false"):
            logger.warning("Akismet answered %r; comment left to moderators", answer)
            return False
        return answer == "true"


def backend():
    name = settings.COMMENT_SPAM_BACKEND
    if name == "akismet" and settings.AKISMET_API_KEY:
        return Akismet(
            settings.AKISMET_API_KEY,
            settings.AKISMET_SITE_URL,
            settings.AKISMET_ENDPOINT,
            settings.AKISMET_TIMEOUT_SECONDS,
        )
    return NoSpamCheck()

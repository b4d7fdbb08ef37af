"""Engagement settings: comments and article view counts (issue 20).

Pulled in by one line at the end of ``cms/settings/base.py``. Editors set
the health disclaimer, the moderators' addresses and when comments close in
the admin (Settings > Comments); these are the platform's bounds.
"""

from cms.env import env_int, env_str, env_url

# base.py imports this module last: these two are already defined there.
from cms.settings.base import (
    GRAPHQL_CACHE_IGNORED_MODELS,
    REDIS_URL,
    WORKER_PERIODIC_COMMANDS,
)

# --- comments ---------------------------------------------------------------
# A form token is good for this long, and only after the minimum fill time.
COMMENT_MIN_FILL_SECONDS = env_int("COMMENT_MIN_FILL_SECONDS", 4)
COMMENT_TOKEN_MAX_AGE_SECONDS = env_int("COMMENT_TOKEN_MAX_AGE_SECONDS", 2 * 3600)
# Submissions per client per window (the GraphQL request limit applies too).
COMMENT_RATE_LIMIT = env_int("COMMENT_RATE_LIMIT", 5)
COMMENT_RATE_LIMIT_WINDOW = env_int("COMMENT_RATE_LIMIT_WINDOW", 600)
COMMENT_MAX_CHARS = env_int("COMMENT_MAX_CHARS", 3000)
COMMENT_NAME_MAX_CHARS = 80
# "" (no spam check) or "akismet"; the Akismet key and site URL below.
COMMENT_SPAM_BACKEND = env_str("COMMENT_SPAM_BACKEND", "")
AKISMET_API_KEY = env_str("AKISMET_API_KEY", "")
AKISMET_SITE_URL = env_url("AKISMET_SITE_URL", "")
# The comment-check URL; {key} is the API key. Tests point it at a local fake.
AKISMET_ENDPOINT = env_str(
    "AKISMET_ENDPOINT", "https://{key}.rest.akismet.com/1.1/comment-check"
)
AKISMET_TIMEOUT_SECONDS = 3
# Where author links (delete my comment) point; defaults to the request's host.
COMMENT_LINK_BASE_URL = env_url("COMMENT_LINK_BASE_URL", "")

# --- view counts ------------------------------------------------------------
# Unique readers are counted in Redis when this (by default REDIS_URL) is set,
# else in the database; the worker flushes them to the database in batches.
VIEW_COUNTER_REDIS_URL = env_str("VIEW_COUNTER_REDIS_URL", "") or REDIS_URL or ""
# Beacons per client per minute (a reader counts once a day anyway).
VIEW_RATE_LIMIT = env_int("VIEW_RATE_LIMIT", 120)
VIEW_FLUSH_BATCH = env_int("VIEW_FLUSH_BATCH", 500)
# The workers move counted views to the database on this timer.
WORKER_PERIODIC_COMMANDS["flush_view_counts"] = env_int("WORKER_VIEW_FLUSH_SECONDS", 60)

# Submissions, counters and salts change no public response: only moderation
# (which bumps the generation itself, content.engagement.services) does.
GRAPHQL_CACHE_IGNORED_MODELS.extend(
    [
        "content.comment",
        "content.usedformtoken",
        "content.articleviewday",
        "content.viewreader",
        "content.viewsalt",
    ]
)

"""Purging the edge on change: a listener of the one "content changed"
dispatcher (``cms.graphql.signals``), which decides the tags of a change in
its transaction (the object's own tags, its model's list tags, the tags of
what refers to it in Wagtail's reference index) and also invalidates the
response cache. Here they become ``PendingPurge`` rows for the worker.
"""

import functools

from cms.graphql import signals as changes
from cms.graphql.signals import (  # noqa: F401  (where they used to live)
    MOVE_DESCENDANTS_MAX,
    referrer_tags,
    tags_for_change,
)
from edge import purge


def _purge(tags) -> None:
    if purge.enabled():
        purge.request(tags)


@functools.cache
def connect() -> None:
    changes.subscribe(_purge)

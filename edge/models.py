"""Tags waiting to be purged: one row per tag, however often it changes.

A change writes its tags here in its own transaction (so a rolled back
publish purges nothing) and enqueues the purge job; the job takes every
pending tag at once, so changes within the debounce window go out as one
batch. A tag requested again while a purge is in flight keeps its row
(its ``requested_at`` moves past the job's cut-off) and is purged again.
"""

from django.db import models


class PendingPurge(models.Model):
    tag = models.CharField(max_length=255, unique=True)
    requested_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "pending purge"

    def __str__(self):
        return self.tag

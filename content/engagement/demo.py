"""The seed article's engagement: "105 views", "0 comments".

The old blog showed 105 views; they are loaded as flushed unique-reader
counts over the 15 days before the load (7 a day), so ``viewCount`` and
``views(since:)`` both have something to show. No comments: the seed had
none. Idempotent: an article that already has counts is left alone.
"""

import datetime

from content.engagement.counting import today
from content.engagement.models import ArticleViewDay

SEED_VIEWS = 105
DAYS = 15


def load(article, stdout) -> None:
    if ArticleViewDay.objects.filter(article_id=article.pk).exists():
        return
    first = today() - datetime.timedelta(days=DAYS)
    ArticleViewDay.objects.bulk_create(
        ArticleViewDay(
            article_id=article.pk,
            day=first + datetime.timedelta(days=n),
            readers=SEED_VIEWS // DAYS,
        )
        for n in range(DAYS)
    )
    stdout.write(f"  loaded {SEED_VIEWS} views of the seed article")

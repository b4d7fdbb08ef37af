"""Batch loading for article lists and details.

``load_articles`` loads the relations the query selected for a whole page of
articles (``selectors.load_relations``: one query per relation) and, when the
body is selected, what the bodies link to and choose, also at once.
"""

from functools import partial

from cms.graphql import materialise
from cms.graphql.context import RequestContext
from content.articles.selectors import load_relations
from content.engagement.graphql.types import prime_counts
from content.media.graphql.types import requested_renditions
from content.richtext.selectors import prime_sources, raw_strings
from content.tables.graphql.loaders import table_link_sources
from content.trainers.blocks import raw_featured_trainers
from content.trainers.graphql.loaders import (
    FEATURED_TRAINERS,
    FeaturedTrainers,
    featured_trainer_ids,
)


def load_articles(
    articles: list, fields: set[str], renditions: set[str] | None, info
) -> None:
    """Load the relations ``fields`` asks for, for all ``articles`` at once,
    and the image renditions with the ``renditions`` specs (None: all). With
    the body selected, also what the bodies link to and choose
    (``prime_body_links``)."""
    load_relations(articles, fields=fields, renditions=renditions)
    # commentCount and viewCount: one query each for the whole page.
    prime_counts(articles, fields)
    if articles and "body" in fields:
        prime_body_links(articles, info)


def load_article(article, fields: set[str], info) -> None:
    """``load_articles`` for the one article a root field found. Where it is
    materialised (``cms.graphql.materialise``) the loads wait, and run only
    if it is completed rather than read from its row."""
    load = partial(_load_one, article, fields, info)
    if materialise.is_kept(info.context, "ArticlePage"):
        materialise.defer(info.context, "ArticlePage", load)
    else:
        load()


def _load_one(article, fields: set[str], info) -> None:
    load_articles([article], fields, requested_renditions(info), info)


def prime_body_links(articles: list, info) -> None:
    """Look up every page and document the bodies link to, at once: rich
    text in any block, call-to-action pages, the rich text of the
    comparison tables the bodies choose (loaded with the body) and the
    trainers of every featured-trainers block."""
    sources, page_ids, trainer_ids = [], [], []
    for article in articles:
        raw = list(article.body.raw_data)
        sources += raw_strings(raw)
        page_ids += [
            block["value"]["page"]
            for block in raw
            if block.get("type") == "call_to_action"
            and isinstance(block.get("value"), dict)
            and isinstance(block["value"].get("page"), int)
        ]
        for index, block in enumerate(raw):
            # Only the tables are converted (one query for the body's);
            # featured trainers are read as ids, as the body resolves them.
            if block.get("type") == "comparison_table":
                table = article.body[index].value
                if table is not None:
                    sources += table_link_sources(table)
            elif block.get("type") == "featured_trainers":
                value = raw_featured_trainers(block.get("value"))
                trainer_ids += featured_trainer_ids(value)
    prime_sources(info, sources, page_ids)
    if trainer_ids and isinstance(info.context, RequestContext):
        info.context.loaders[FEATURED_TRAINERS] = FeaturedTrainers(trainer_ids)

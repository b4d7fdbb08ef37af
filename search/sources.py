"""What the site search covers: one ``SearchSource`` per public content type."""

from django.conf import settings
from django.utils.html import strip_tags

from cms.selectors import frontend_url
from content.articles.selectors import (
    article_cards,
    load_bodies,
    searchable_articles,
)
from content.tables.selectors import public_tables
from content.trainers.selectors import public_profiles, trainers_by_id
from search.engine import SearchSource, register_source


def _load_articles(ids):
    articles = article_cards(ids=ids)
    # The excerpt reads every body: its chooser blocks load for all hits at
    # once, not per article.
    load_bodies(articles)
    return {a.pk: a for a in articles}


def _article_text(article) -> str:
    return " ".join(
        p
        for p in (article.subtitle, article.summary, article.plain_text_for_reading())
        if p
    )


def table_url(table) -> str:
    """Frontend route for a comparison table shown on its own."""
    return f"{settings.FRONTEND_BASE_URL}/compare/{table.slug}/"


def _table_text(table) -> str:
    return " ".join(
        p for p in (strip_tags(table.intro or ""), table.search_text()) if p
    )


def _load_trainers(ids):
    return trainers_by_id(ids=ids)


def _trainer_text(trainer) -> str:
    parts = [trainer.headline, f"{trainer.city}, {trainer.state}"]
    parts.append(", ".join(s.name for s in trainer.specialties.all()))
    return ". ".join(p for p in parts if p)


def register_default_sources() -> None:
    register_source(
        SearchSource(
            key="article",
            label="Articles",
            queryset=searchable_articles,
            title=lambda a: a.title,
            text=_article_text,
            url=frontend_url,
            load=_load_articles,
        )
    )
    register_source(
        SearchSource(
            key="comparison_table",
            label="Comparison tables",
            queryset=public_tables,
            title=lambda t: t.title,
            text=_table_text,
            url=table_url,
        )
    )
    register_source(
        SearchSource(
            key="trainer",
            label="Trainers",
            queryset=public_profiles,
            title=lambda t: t.title,
            text=_trainer_text,
            url=frontend_url,
            load=_load_trainers,
        )
    )


__all__ = ["register_default_sources", "table_url"]

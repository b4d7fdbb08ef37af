"""What the site search covers: one ``SearchSource`` per public content type."""

from django.apps import apps
from django.conf import settings
from django.utils.html import strip_tags

from cms.graphql.interfaces import frontend_url
from cms.selectors import public_pages, public_snippets
from search.engine import SearchSource, register_source


def _articles():
    from content.models import ArticlePage

    return public_pages(ArticlePage.objects.all())


def _load_articles(ids):
    from content.graphql.loaders import CARD_FIELDS, load_articles, load_bodies
    from content.graphql.queries import public_articles

    articles = list(public_articles().filter(pk__in=ids))
    load_articles(articles, CARD_FIELDS)
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


def _tables():
    from content.models import ComparisonTable

    return public_snippets(ComparisonTable.objects.all())


def table_url(table) -> str:
    """Frontend route for a comparison table shown on its own."""
    return f"{settings.FRONTEND_BASE_URL}/compare/{table.slug}/"


def _table_text(table) -> str:
    return " ".join(
        p for p in (strip_tags(table.intro or ""), table.search_text()) if p
    )


def _trainer_model():
    try:
        return apps.get_model("content", "TrainerProfilePage")
    except LookupError:
        return None


def _trainers():
    return public_pages(_trainer_model().objects.all())


def _load_trainers(ids):
    from content.graphql.trainers import directory_queryset

    # directory_queryset already applies cms.selectors.public_pages.
    queryset = directory_queryset().filter(pk__in=ids)
    return {t.pk: t for t in queryset}


def _trainer_text(trainer) -> str:
    parts = [trainer.headline, f"{trainer.city}, {trainer.state}"]
    parts.append(", ".join(s.name for s in trainer.specialties.all()))
    return ". ".join(p for p in parts if p)


def register_default_sources() -> None:
    register_source(
        SearchSource(
            key="article",
            label="Articles",
            queryset=_articles,
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
            queryset=_tables,
            title=lambda t: t.title,
            text=_table_text,
            url=table_url,
        )
    )
    if _trainer_model() is not None:
        register_source(
            SearchSource(
                key="trainer",
                label="Trainers",
                queryset=_trainers,
                title=lambda t: t.title,
                text=_trainer_text,
                url=frontend_url,
                load=_load_trainers,
            )
        )


__all__ = ["register_default_sources", "table_url"]

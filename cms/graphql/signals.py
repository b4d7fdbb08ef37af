"""Signal receivers that invalidate the GraphQL response cache."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    published,
    unpublished,
)

from cms.graphql.cache import bump_generation
from cms.graphql.config import graphql_settings


def _content_changed(sender, **kwargs):
    bump_generation()


def _model_changed(sender, **kwargs):
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    config = graphql_settings()
    if meta.app_label not in config.cache_invalidating_apps:
        return
    if meta.label_lower in config.cache_ignored_models:
        return
    bump_generation()


def connect() -> None:
    uid = "cms.graphql.cache"
    for signal in (
        page_published,
        page_unpublished,
        pre_page_move,
        post_page_move,
        published,
        unpublished,
    ):
        signal.connect(_content_changed, dispatch_uid=f"{uid}.{id(signal)}")
    post_save.connect(_model_changed, dispatch_uid=f"{uid}.post_save")
    post_delete.connect(_model_changed, dispatch_uid=f"{uid}.post_delete")

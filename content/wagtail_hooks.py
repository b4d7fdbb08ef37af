"""The content app's admin: each domain's viewsets, panels and hooks.

Wagtail only looks for hooks in ``<app>.wagtail_hooks``; the domains keep
theirs in their ``admin`` modules, imported here.
"""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.bench import BENCH_API_FIELDS_HOOK
from content.articles.admin import AuthorViewSet
from content.articles.bench import article_api_fields
from content.catalogue.admin import CredentialViewSet, SpecialtyViewSet
from content.engagement.admin import CommentViewSet
from content.tables.admin import ComparisonTableViewSet
from content.trainers import admin as trainers_admin  # noqa: F401  (its hooks)


class ContentSnippets(SnippetViewSetGroup):
    menu_label = "Clinic content"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (ComparisonTableViewSet, AuthorViewSet, CredentialViewSet)


register_snippet(ContentSnippets)
# Editors manage the specialty vocabulary as a snippet of its own.
register_snippet(SpecialtyViewSet)
# The moderation queue: a menu item of its own.
register_snippet(CommentViewSet)

hooks.register(BENCH_API_FIELDS_HOOK, article_api_fields)

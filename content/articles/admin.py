"""Editors manage authors as snippets (articles are pages: Wagtail's page
editor needs no registration)."""

from wagtail.snippets.views.snippets import SnippetViewSet

from content.articles.models import Author


class AuthorViewSet(SnippetViewSet):
    # No ``search_fields``: see content.catalogue.admin.
    model = Author
    icon = "user"
    list_display = ["name", "credentials", "role"]

"""Admin registration for content snippets, and the content query fields."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content.graphql.queries import ContentQuery
from content.models import Author, ComparisonTable, Credential

# No ``search_fields`` on these viewsets: the admin search then uses each
# model's own index (autocomplete fields). Naming fields here restricts an
# autocomplete query to them, which SQLite's full-text backend rejects with a
# 500 for any field that is not an AutocompleteField.


class CredentialViewSet(SnippetViewSet):
    model = Credential
    icon = "tick-inverse"
    menu_label = "Credentials"
    list_display = ["abbreviation", "full_name", "kind", "issuing_body"]
    list_filter = ["kind"]


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "credentials", "role"]


class ComparisonTableFilterSet(WagtailFilterSet):
    class Meta:
        model = ComparisonTable
        fields = ["jurisdiction", "live"]


class ComparisonTableViewSet(SnippetViewSet):
    model = ComparisonTable
    icon = "table"
    menu_label = "Comparison tables"
    list_display = ["title", "jurisdiction", "last_verified"]
    filterset_class = ComparisonTableFilterSet


class ContentSnippets(SnippetViewSetGroup):
    menu_label = "Clinic content"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (ComparisonTableViewSet, AuthorViewSet, CredentialViewSet)


register_snippet(ContentSnippets)


@hooks.register("register_schema_query")
def add_content_queries(query_mixins):
    query_mixins.append(ContentQuery)


@hooks.register("before_delete_page")
def only_publishers_delete_pages(request, page):
    """Editors may draft but not delete: deleting needs publish permission."""
    if not page.permissions_for_user(request.user).can_publish():
        messages.error(request, "Only moderators can delete pages.")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


from content.trainer_hooks import *  # noqa: E402, F403

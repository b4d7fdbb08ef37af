"""Editors manage comparison tables as snippets (drafts, revisions, preview)."""

from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.tables.models import ComparisonTable


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

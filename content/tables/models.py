"""Reusable comparison tables (e.g. physical therapists vs personal trainers)."""

from django import forms
from django.db import models
from django.utils.html import strip_tags
from grapple.models import GraphQLField, GraphQLString
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    ObjectList,
    PublishingPanel,
    TabbedInterface,
)
from wagtail.blocks import CharBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
)
from wagtail.search import index

from cms.preview import HeadlessPreviewMixin
from content.richtext.blocks import RICH_TEXT_FEATURES
from content.tables.blocks import ComparisonRowBlock, SourceBlock, cell_count_error

# Field types are dotted paths, imported when the schema is built.
TYPES = "content.tables.graphql.types"
FORMATTED_TEXT = "content.richtext.graphql.types.FormattedText"


class ComparisonTableForm(WagtailAdminModelForm):
    """Rows must have one cell per column; say so on the form, never a 500."""

    def clean(self):
        cleaned = super().clean()
        columns, rows = cleaned.get("columns"), cleaned.get("rows")
        if columns is None or rows is None:
            return cleaned
        problems = [
            cell_count_error(number, len(row.value["cells"]), len(columns))
            for number, row in enumerate(rows, start=1)
            if len(row.value["cells"]) != len(columns)
        ]
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class ComparisonTable(
    HeadlessPreviewMixin,
    LockableMixin,
    DraftStateMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Stable identifier used by the API."
    )
    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    columns = StreamField(
        [("column", CharBlock(max_length=120))],
        min_num=1,
        help_text='Subject columns, e.g. "Physical Therapists", "Personal Trainers".',
    )
    rows = StreamField(
        [("row", ComparisonRowBlock())],
        min_num=1,
        help_text="Each row: a criterion and one cell per column, in column order.",
    )
    footnotes = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    jurisdiction = models.CharField(
        max_length=120, blank=True, help_text="Where the facts hold, e.g. Wisconsin."
    )
    sources = StreamField([("source", SourceBlock())], blank=True)
    last_verified = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the sources."
    )

    base_form_class = ComparisonTableForm
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    HelpPanel(
                        content=(
                            "<p><strong>Columns</strong> are the subjects compared, "
                            "left to right. Each <strong>row</strong> is one "
                            "criterion with exactly one cell per column, in column "
                            "order. Open the preview to see the grid.</p>"
                        )
                    ),
                    FieldPanel("title"),
                    FieldPanel("slug"),
                    FieldPanel("intro"),
                    FieldPanel("columns"),
                    FieldPanel("rows"),
                    FieldPanel("footnotes"),
                ],
                heading="Table",
            ),
            ObjectList(
                [
                    FieldPanel("jurisdiction"),
                    FieldPanel("sources"),
                    FieldPanel("last_verified"),
                ],
                heading="Sources",
            ),
            ObjectList([PublishingPanel()], heading="Scheduling"),
        ]
    )
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("jurisdiction"),
        index.SearchField("search_text"),
        index.FilterField("live"),
        index.FilterField("expire_at"),
        index.FilterField("jurisdiction"),
    ]

    graphql_fields = [
        GraphQLString("title", required=True, description="Table title."),
        GraphQLString("slug", required=True, description="Stable identifier."),
        GraphQLField(
            "intro",
            FORMATTED_TEXT,
            required=True,
            source="graphql_intro",
            description="Introduction above the table (may be empty).",
        ),
        GraphQLField(
            "columns",
            f"{TYPES}.COLUMN_LIST",
            source="graphql_columns",
            description="Subject column names, in order.",
        ),
        GraphQLField(
            "rows",
            f"{TYPES}.ROW_LIST",
            source="graphql_rows",
            description="Rows: a criterion and one cell per column.",
        ),
        GraphQLField(
            "footnotes",
            FORMATTED_TEXT,
            required=True,
            source="graphql_footnotes",
            description="Footnotes under the table (may be empty).",
        ),
        GraphQLString(
            "jurisdiction",
            required=True,
            description="Where the facts hold, e.g. Wisconsin (may be empty).",
        ),
        GraphQLField(
            "sources",
            f"{TYPES}.SOURCE_LIST",
            source="graphql_sources",
            description="Sources backing the table.",
        ),
        GraphQLField(
            "last_verified",
            "graphene.Date",
            description="When an editor last checked the sources.",
        ),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def column_names(self) -> list[str]:
        return [child.value for child in self.columns]

    def search_text(self) -> str:
        """Intro, columns, criteria, cells and footnotes as plain text."""
        parts = [strip_tags(self.intro or ""), *self.column_names]
        for row in self.rows:
            parts.append(str(row.value.get("criterion", "")))
            cells = row.value.get("cells", [])
            parts.extend(strip_tags(getattr(c, "source", str(c))) for c in cells)
        parts.append(strip_tags(self.footnotes or ""))
        return " ".join(p for p in parts if p)

    def graphql_intro(self, info, **kwargs):
        return self.intro or ""

    def graphql_columns(self, info, **kwargs):
        return self.column_names

    def graphql_rows(self, info, **kwargs):
        return [row.value for row in self.rows]

    def graphql_footnotes(self, info, **kwargs):
        return self.footnotes or ""

    def graphql_sources(self, info, **kwargs):
        return [source.value for source in self.sources]

    # "Frontend" (the default) opens the real frontend with a preview token;
    # "Table only" keeps the quick template render inside the admin.
    @property
    def preview_modes(self):
        return [("", "Frontend"), ("table", "Table only")]

    def serve_preview(self, request, mode_name):
        if mode_name == "table":
            return PreviewableMixin.serve_preview(self, request, mode_name)
        return super().serve_preview(request, mode_name)

    def get_preview_template(self, request, mode_name):
        return "content/previews/comparison_table.html"

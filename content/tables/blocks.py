"""Comparison-table blocks: rows of the snippet, the inline table an article
writes in place, the chooser for a reusable table, and table sources."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from content.richtext.blocks import RICH_TEXT_FEATURES
from content.richtext.selectors import html_to_text

CELL_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ComparisonRowBlock(blocks.StructBlock):
    criterion = blocks.CharBlock(max_length=200, help_text="e.g. Ongoing Education")
    cells = blocks.ListBlock(
        blocks.RichTextBlock(features=CELL_FEATURES),
        help_text="One cell per column, in column order. A cell may hold paragraphs.",
    )

    class Meta:
        icon = "list-ul"


def cell_count_error(row_number: int, cells: int, columns: int) -> str:
    return (
        f"Row {row_number} has {cells} cell(s) but the table has {columns} "
        f"column(s): give every row exactly one cell per column."
    )


class InlineComparisonTableBlock(blocks.StructBlock):
    """A one-off table; for tables reused across articles use the snippet."""

    title = blocks.CharBlock(required=False, max_length=200)
    columns = blocks.ListBlock(
        blocks.CharBlock(max_length=120), min_num=1, help_text="Subject columns."
    )
    rows = blocks.ListBlock(ComparisonRowBlock(), min_num=1)
    footnotes = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "table"
        description = "A comparison table written in place"

    def clean(self, value):
        value = super().clean(value)
        columns = len(value["columns"])
        errors = []
        for number, row in enumerate(value["rows"], start=1):
            if len(row["cells"]) != columns:
                errors.append(
                    ValidationError(
                        cell_count_error(number, len(row["cells"]), columns)
                    )
                )
        if errors:
            raise StructBlockValidationError(block_errors={"rows": ErrorList(errors)})
        return value


class ComparisonTableChooserBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("content.ComparisonTable", **kwargs)

    class Meta:
        icon = "table"
        description = "A reusable comparison table from the snippets library"


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=250)
    publisher = blocks.CharBlock(required=False, max_length=200)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "doc-full"


def table_text(columns, rows, title="", intro="", footnotes="") -> list[str]:
    """A table's words in reading order, for plain text and reading time."""
    parts = [title, html_to_text(str(intro)), *columns]
    for row in rows:
        parts.append(row["criterion"])
        parts.extend(html_to_text(str(cell.source)) for cell in row["cells"])
    # The source, not str(): rendering a RichText looks up every page and
    # document it links to, and the text drops the links anyway.
    parts.append(html_to_text(str(getattr(footnotes, "source", footnotes))))
    return parts


# Migrations name blocks by dotted path: this one was content.blocks'.
DECONSTRUCT_ALIASES = {
    ComparisonTableChooserBlock: "content.blocks.ComparisonTableChooserBlock",
}

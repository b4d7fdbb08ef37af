"""Models, block validation and the demo loader."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Revision

from content.articles.blocks import CallToActionBlock
from content.models import ArticlePage, ComparisonTable
from content.tables.blocks import InlineComparisonTableBlock


def inline_table(cells_per_row):
    block = InlineComparisonTableBlock()
    return block, block.to_python(
        {
            "title": "PT vs trainer",
            "columns": ["Physical Therapists", "Personal Trainers"],
            "rows": [
                {"criterion": f"Row {n}", "cells": ["<p>x</p>"] * cells}
                for n, cells in enumerate(cells_per_row, start=1)
            ],
            "footnotes": "",
        }
    )


def test_inline_table_with_one_cell_per_column_is_valid():
    block, value = inline_table([2, 2])
    block.clean(value)


def test_inline_table_row_with_wrong_cell_count_is_a_block_error():
    block, value = inline_table([2, 1])
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "Row 2 has 1 cell(s) but the table has 2 column(s)" in str(
        error.value.block_errors["rows"]
    )


def test_call_to_action_needs_exactly_one_link():
    block = CallToActionBlock()
    neither = block.to_python(
        {"heading": "Go", "text": "", "button_label": "Book", "external_url": ""}
    )
    with pytest.raises(ValidationError):
        block.clean(neither)
    block.clean(
        block.to_python(
            {
                "heading": "Go",
                "text": "",
                "button_label": "Book",
                "external_url": "https://example.com/",
            }
        )
    )


def test_reading_time_is_computed_from_the_body_on_save(make_article):
    words = " ".join(["word"] * 450)
    article = make_article(body=[{"type": "paragraph", "value": f"<p>{words}</p>"}])
    assert article.reading_time_minutes == 3


def test_seed_reading_time_counts_the_comparison_table(demo):
    assert demo.reading_time_minutes == 6


def test_demo_loader_is_idempotent_down_to_revision_counts(demo):
    counts = (
        Revision.objects.count(),
        ArticlePage.objects.count(),
        ComparisonTable.objects.count(),
    )
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    assert (
        Revision.objects.count(),
        ArticlePage.objects.count(),
        ComparisonTable.objects.count(),
    ) == counts
    assert "created" not in out.getvalue()

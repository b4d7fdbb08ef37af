"""Batch loading for comparison tables: what their rich text links to."""

from content.richtext.selectors import prime_sources, raw_strings


def table_link_sources(table) -> list[str]:
    """The rich text of a comparison table (intro, cells, footnotes)."""
    return [
        table.intro or "",
        table.footnotes or "",
        *raw_strings(list(table.rows.raw_data)),
    ]


def prime_table_links(tables: list, info) -> None:
    """Look up every page and document the tables' rich text links to."""
    prime_sources(info, [text for t in tables for text in table_link_sources(t)])

"""``FormattedText``: rich text as HTML for rendering and as plain text."""

import graphene

from content.richtext.selectors import html_to_text, render_html


def rich(value) -> str:
    """The stored HTML of a rich-text value, never None: ``FormattedText``
    resolves from it. Block values are Wagtail ``RichText`` objects, which
    keep it in ``source``; fields hold the string itself."""
    return str(getattr(value, "source", value) or "")


class FormattedText(graphene.ObjectType):
    class Meta:
        description = "Rich text, as HTML for rendering and as plain text."

    html = graphene.String(
        required=True,
        description=(
            "HTML; internal links point at the frontend, links to unpublished or "
            "private pages are rendered as plain text."
        ),
    )
    text = graphene.String(
        required=True, description="Plain text, paragraphs separated by a blank line."
    )

    def resolve_html(value, info):
        return render_html(rich(value), info)

    def resolve_text(value, info):
        return html_to_text(rich(value))

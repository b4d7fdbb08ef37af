"""Comparison tables as the public may read them: live and not expired."""

from cms.selectors import public_snippets
from content.tables.models import ComparisonTable


def public_tables():
    """Live, unexpired tables (public_snippets, not live=True: a table past
    ``expire_at`` stays live until ``publish_scheduled`` runs)."""
    return public_snippets(ComparisonTable.objects)


def public_table(*, slug: str):
    """The public table with ``slug``, or None."""
    return public_tables().filter(slug=slug).first()

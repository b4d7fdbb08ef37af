"""Old dotted paths of two blocks, kept for the migrations that name them.

Migrations 0002 and 0003 build ``content.blocks.ParagraphBlock`` and
``content.blocks.ComparisonTableChooserBlock``; the blocks now live in their
domains, whose ``DECONSTRUCT_ALIASES`` keep serialising them under these paths
(so moving them needed no migration). Nothing else should import this module.
"""

from content.articles.blocks import ParagraphBlock
from content.tables.blocks import ComparisonTableChooserBlock

__all__ = ["ComparisonTableChooserBlock", "ParagraphBlock"]

"""GraphQL types of comparison tables: rows, sources and the two body blocks.

The ``ComparisonTable`` object type is grapple's (the model's
``graphql_fields``); its list fields point at the structures below.
"""

import graphene

from cms.graphql.blocks import BlockBase
from cms.graphql.registry import list_of, model_type
from content.richtext.graphql.types import FormattedText, rich


class ComparisonRow(graphene.ObjectType):
    class Meta:
        description = "A criterion and one cell per column."

    criterion = graphene.String(required=True, description="What is compared.")
    cells = graphene.List(
        graphene.NonNull(FormattedText),
        required=True,
        description="One cell per column, in column order.",
    )

    def resolve_criterion(self, info):
        return self["criterion"]

    def resolve_cells(self, info):
        return [rich(cell) for cell in self["cells"]]


class ComparisonSource(graphene.ObjectType):
    class Meta:
        description = "A source backing a comparison table."

    title = graphene.String(required=True, description="Source title.")
    publisher = graphene.String(required=True, description="Publisher (may be empty).")
    url = graphene.String(description="Link to the source.")

    def resolve_title(self, info):
        return self["title"]

    def resolve_publisher(self, info):
        return self["publisher"] or ""

    def resolve_url(self, info):
        return self["url"] or None


# The model's list fields (``ComparisonTable.graphql_fields``).
COLUMN_LIST = list_of(graphene.String)
ROW_LIST = list_of(ComparisonRow)
SOURCE_LIST = list_of(ComparisonSource)


class BodyComparisonTable(BlockBase):
    class Meta:
        description = "A reusable comparison table (live version only)."

    table = graphene.Field(
        lambda: graphene.NonNull(model_type("content.ComparisonTable")),
        description="The table.",
    )

    def resolve_table(self, info):
        return self.value


class BodyInlineComparisonTable(BlockBase):
    class Meta:
        description = "A comparison table written inside the article."

    title = graphene.String(required=True, description="Title (may be empty).")
    columns = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Column names."
    )
    rows = graphene.List(
        graphene.NonNull(ComparisonRow), required=True, description="Rows in order."
    )
    footnotes = graphene.Field(
        graphene.NonNull(FormattedText), description="Footnotes (may be empty)."
    )

    def resolve_title(self, info):
        return self.value["title"] or ""

    def resolve_columns(self, info):
        return list(self.value["columns"])

    def resolve_rows(self, info):
        return list(self.value["rows"])

    def resolve_footnotes(self, info):
        return rich(self.value["footnotes"])

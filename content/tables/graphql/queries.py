"""Root fields of comparison tables: ``comparisonTables``, ``comparisonTable``.

Resolvers only return live, unexpired tables, or a draft for a valid preview
token.
"""

import graphene

from cms.graphql.pagination import page_type, paginate, pagination_args
from cms.graphql.registry import model_type
from cms.preview import resolve_preview
from content.tables import selectors
from content.tables.graphql.loaders import prime_table_links
from content.tables.models import ComparisonTable

ComparisonTableList = page_type(
    "ComparisonTableList",
    lambda: model_type("content.ComparisonTable"),
    "A page of comparison tables.",
)


class TableQuery(graphene.ObjectType):
    comparison_tables = graphene.Field(
        graphene.NonNull(ComparisonTableList),
        description="Published comparison tables, by title.",
        **pagination_args(),
    )
    comparison_table = graphene.Field(
        lambda: model_type("content.ComparisonTable"),
        slug=graphene.String(required=True, description="The table's slug."),
        description="One published comparison table by slug; null if none is live.",
    )

    def resolve_comparison_tables(self, info, limit, offset):
        tables = selectors.public_tables().order_by("title", "id")
        page = paginate(tables, limit, offset)
        prime_table_links(page.items, info)
        return page

    def resolve_comparison_table(self, info, slug):
        draft = resolve_preview(info.context, ComparisonTable, slug)
        if draft is not None:
            return draft
        table = selectors.public_table(slug=slug)
        if table is not None:
            prime_table_links([table], info)
        return table

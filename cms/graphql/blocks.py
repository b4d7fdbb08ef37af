"""What every StreamField block type of the public schema has.

A block type resolves from one of Wagtail's ``StreamValue`` children, which
carries ``id``, ``block_type`` and ``value``.
"""

import graphene


class BlockBase(graphene.ObjectType):
    id = graphene.String(required=True, description="Stable block id.")
    block_type = graphene.String(
        required=True, description="Block type name, e.g. `paragraph`."
    )

"""The platform's own root field, ``apiVersion``.

The root Query is assembled in ``api.schema``: each domain contributes its
query mixin there, with safe resolvers (live, public, paginated, allowlisted
ordering); grapple's own root fields are never part of it.
"""

import graphene

CONTRACT_VERSION = "1.0.0"


class ServiceQuery(graphene.ObjectType):
    api_version = graphene.String(
        required=True,
        description="Version of the frontend contract this schema implements.",
    )

    def resolve_api_version(self, info):
        return CONTRACT_VERSION

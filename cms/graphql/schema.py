"""The root query of the public schema.

Grapple registers root fields (``pages``, ``page``, ``search``, ``snippets``,
``redirects``, ``images``, ``documents``, ``settings``, ``site(s)``, ``tags``,
``collections``) whose resolvers return drafts, private pages and private
collections, accept raw ``order`` strings and have no hard page-size limit.
The public schema drops every root field that grapple contributes; each
domain app adds its own query mixin through the ``register_schema_query``
hook with safe resolvers (live, public, paginated, allowlisted ordering).
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


def _from_grapple(mixin) -> bool:
    return getattr(mixin, "__module__", "").startswith("grapple.")


def keep_public_root_fields(query_mixins: list) -> None:
    """Drop grapple's root mixins in place; keep the project's own."""
    query_mixins[:] = [m for m in query_mixins if not _from_grapple(m)]
    # graphene.ObjectType must come after its subclasses in the bases list.
    if graphene.ObjectType in query_mixins:
        query_mixins.remove(graphene.ObjectType)
        query_mixins.append(graphene.ObjectType)
    if ServiceQuery not in query_mixins:
        query_mixins.insert(0, ServiceQuery)

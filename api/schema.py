"""The root Query of the public schema: every root field, in one place.

``root_queries`` lists the query mixins in the order clients see their
fields (introspection, GraphiQL). The ``register_schema_query`` hook
(api/wagtail_hooks.py) runs after grapple's own and replaces what grapple put
in the list: grapple's root fields (``pages``, ``search``, ``snippets``,
``images``, ``documents``, ``redirects``, ``settings``, ``site(s)``, ``tags``,
``collections``) return drafts, private pages and private collections, accept
raw ``order`` strings and have no hard page-size limit, so none of them is
ever part of the Query.
"""

import graphene

from cms.graphql.schema import ServiceQuery
from content.articles.graphql.queries import ArticleQuery
from content.catalogue.graphql.queries import CatalogueQuery
from content.engagement.graphql.mutations import EngagementMutation
from content.tables.graphql.queries import TableQuery
from content.trainers.graphql.queries import TrainerQuery
from home.graphql import HomeQuery
from search.graphql import build_search_query


def root_queries() -> tuple:
    """The query mixins, in the order their fields are listed."""
    return (
        ServiceQuery,
        ArticleQuery,
        TableQuery,
        CatalogueQuery,
        TrainerQuery,
        HomeQuery,
        build_search_query(),
    )


def assemble_root_query(query_mixins: list) -> None:
    """Make ``query_mixins`` the project's root queries and nothing else."""
    # graphene lists a class's fields base by base, from the last base of
    # the MRO to the first: reversed, the first mixin's fields come first.
    query_mixins[:] = [*reversed(root_queries()), graphene.ObjectType]


def root_mutations() -> tuple:
    """The mutation mixins: the one public write, ``submitComment``."""
    return (EngagementMutation,)


def assemble_root_mutation(mutation_mixins: list) -> None:
    """Make ``mutation_mixins`` the project's root mutations and nothing else."""
    mutation_mixins[:] = [*reversed(root_mutations()), graphene.ObjectType]

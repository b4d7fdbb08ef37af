"""The public GraphQL endpoint.

A ``GraphQLView`` subclass so that transport rules, limits, caching and error
masking live in one place (see ``cms.graphql.guards`` once hardened).
"""

from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import specified_rules


# The schema has no mutations: requests cannot change state, so the
# cookie-based CSRF check only gets in the way of non-browser clients.
@method_decorator(csrf_exempt, name="dispatch")
class PublicGraphQLView(GraphQLView):
    """GraphQL over HTTP for anonymous clients; GraphiQL only when DEBUG."""

    # Keep graphql-core's standard rules: passing only custom rules would
    # replace them and let invalid documents through.
    validation_rules = tuple(specified_rules)

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.GRAPHQL_EXPOSE_GRAPHIQL)
        super().__init__(**kwargs)

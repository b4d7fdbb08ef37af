from wagtail import hooks

from home.graphql import HomeQuery


@hooks.register("register_schema_query")
def add_home_queries(query_mixins):
    query_mixins.append(HomeQuery)

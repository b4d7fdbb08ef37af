from wagtail import hooks

from search.graphql import build_search_query


@hooks.register("register_schema_query")
def register_search_query(query_mixins):
    query_mixins.append(build_search_query())

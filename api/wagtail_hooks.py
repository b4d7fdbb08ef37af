from wagtail import hooks

from api.schema import assemble_root_mutation, assemble_root_query

# After grapple's own hook (order 0), which fills the list with its root
# mixins: the root Query is the project's list and nothing else.
hooks.register("register_schema_query", assemble_root_query, order=1000)
hooks.register("register_schema_mutation", assemble_root_mutation, order=1000)

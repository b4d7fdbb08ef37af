from wagtail import hooks

from cms.graphql.schema import keep_public_root_fields

# Runs after grapple's own hook (order 0) and every app's query mixins.
hooks.register("register_schema_query", keep_public_root_fields, order=1000)

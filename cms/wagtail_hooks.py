from wagtail import hooks

from cms.dashboard import add_dashboard_panels
from cms.graphql.schema import keep_public_root_fields

# Runs after grapple's own hook (order 0) and every app's query mixins.
hooks.register("register_schema_query", keep_public_root_fields, order=1000)

# Editors' dashboard: drafts awaiting review, credentials about to expire.
hooks.register("construct_homepage_panels", add_dashboard_panels)

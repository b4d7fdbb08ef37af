from wagtail import hooks

from cms.dashboard import add_dashboard_panels
from cms.graphql.schema import keep_public_root_fields
from cms.storage import serve_document_from_object_storage

# Runs after grapple's own hook (order 0) and every app's query mixins.
hooks.register("register_schema_query", keep_public_root_fields, order=1000)

# Editors' dashboard: drafts awaiting review, credentials about to expire.
hooks.register("construct_homepage_panels", add_dashboard_panels)

# Documents on object storage: a signed, expiring URL. Order 100: after
# Wagtail's collection privacy check (order 0).
hooks.register("before_serve_document", serve_document_from_object_storage, order=100)

from wagtail import hooks

from cms.dashboard import add_dashboard_panels
from cms.editorial import only_publishers_delete_pages
from cms.storage import serve_document_from_object_storage

# Editors' dashboard: drafts awaiting review (domains add their own panels).
hooks.register("construct_homepage_panels", add_dashboard_panels)

hooks.register("before_delete_page", only_publishers_delete_pages)

# Documents on object storage: a signed, expiring URL. Order 100: after
# Wagtail's collection privacy check (order 0).
hooks.register("before_serve_document", serve_document_from_object_storage, order=100)

from wagtail import hooks

from cms.dashboard import add_dashboard_panels
from cms.editorial import only_publishers_delete_pages

# Editors' dashboard: drafts awaiting review (domains add their own panels).
hooks.register("construct_homepage_panels", add_dashboard_panels)

hooks.register("before_delete_page", only_publishers_delete_pages)

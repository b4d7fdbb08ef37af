"""The page interface every page type implements in the public schema.

Grapple's default interface exposes revision columns (``draftTitle`` via the
base type, ``live``, ``locked``) and tree walks (``parent``, ``children``,
``ancestors``...) whose resolvers can return unpublished or private pages.
This interface keeps only what a frontend needs to render and link a page.
"""

import graphene
from grapple.registry import registry

from cms.selectors import frontend_url, url_parts


class PublicPageInterface(graphene.Interface):
    id = graphene.ID(description="Stable page id.")
    title = graphene.String(required=True, description="Page title.")
    slug = graphene.String(required=True, description="URL slug of the page.")
    content_type = graphene.String(
        required=True, description="Model label, e.g. `content.ArticlePage`."
    )
    url = graphene.String(description="Absolute URL of the page on the frontend.")
    url_path = graphene.String(
        required=True, description="Path of the page relative to its site root."
    )
    seo_title = graphene.String(
        required=True, description="Title for search engines; falls back to title."
    )
    search_description = graphene.String(
        required=True, description="Meta description for search engines."
    )
    first_published_at = graphene.DateTime(
        description="When the page was first published."
    )
    last_published_at = graphene.DateTime(
        description="When the page was last published."
    )

    @classmethod
    def resolve_type(cls, instance, info, **kwargs):
        from grapple.types.pages import Page

        return registry.pages.get(type(instance), Page)

    def resolve_content_type(self, info, **kwargs):
        meta = type(self)._meta
        return f"{meta.app_label}.{type(self).__name__}"

    def resolve_url(self, info, **kwargs):
        return frontend_url(self)

    def resolve_url_path(self, info, **kwargs):
        parts = url_parts(self)
        return parts[2] if parts else self.url_path

    def resolve_seo_title(self, info, **kwargs):
        return self.seo_title or self.title

    def resolve_search_description(self, info, **kwargs):
        return self.search_description or ""

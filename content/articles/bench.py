"""The REST baseline of ``make bench`` (``BENCH_ENDPOINTS`` only).

``cms.bench`` mounts Wagtail's REST API v2 next to GraphQL and calls every
``register_bench_api_fields`` hook first; this one gives ``ArticlePage`` the
fields the GraphQL article operations ask for. ``bench/operations.py`` reads
the field lists outside Django, so the models are imported in the function.
"""

# The REST baseline serves what the GraphQL contract operations ask for: the
# ArticleList card fields on the list (``API_V2_LIST_FIELDS`` in
# bench/operations.py) and the ArticleDetail fields on the detail. Wagtail's
# own serialisers do the work: renditions with ImageRenditionField, tags with
# TagsField, the body with each block's get_api_representation.
ARTICLE_LIST_API_FIELDS = [
    "subtitle",
    "summary",
    "published_date",
    "reading_time_minutes",
    "hero_image",
    "hero_image_alt",
    "hero_image_card",  # fill-800x450, as on the list
    "tags",
    "authors",
]
ARTICLE_API_FIELDS = [
    *ARTICLE_LIST_API_FIELDS,
    "hero_image_large",  # fill-1200x630, as on the detail
    "hero_image_srcset",  # width-400/800/1200, as on the detail
    "credentials",
    "body",
]


def article_api_fields():
    """Give ``ArticlePage`` the REST API fields above (idempotent)."""
    from rest_framework import serializers
    from wagtail.api import APIField
    from wagtail.images.api.fields import ImageRenditionField

    from content.articles.models import ArticlePage, Author
    from content.catalogue.models import Credential

    class AuthorSerializer(serializers.ModelSerializer):
        photo = ImageRenditionField("fill-1200x630")

        class Meta:
            model = Author
            fields = ["id", "name", "slug", "credentials", "role", "bio", "photo"]

    class CredentialSerializer(serializers.ModelSerializer):
        class Meta:
            model = Credential
            fields = ["slug", "abbreviation", "full_name", "kind"]

    class AuthorsField(serializers.Field):
        def to_representation(self, links):
            authors = [link.author for link in links.all()]
            return AuthorSerializer(authors, many=True).data

    class SrcsetField(serializers.Field):
        def to_representation(self, image):
            if image is None:
                return None
            return [
                ImageRenditionField(spec).to_representation(image)
                for spec in ("width-400", "width-800", "width-1200")
            ]

    fields = {
        "hero_image_card": ImageRenditionField("fill-800x450", source="hero_image"),
        "hero_image_large": ImageRenditionField("fill-1200x630", source="hero_image"),
        "hero_image_srcset": SrcsetField(source="hero_image"),
        "authors": AuthorsField(source="article_authors"),
        "credentials": CredentialSerializer(many=True),
    }
    ArticlePage.api_fields = [
        APIField(name, serializer=fields.get(name)) for name in ARTICLE_API_FIELDS
    ]

"""The clinic's blog: an index page and article pages."""

import math
import re

from django.db import models
from grapple.models import GraphQLField, GraphQLInt, GraphQLString
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.preview import HeadlessPreviewMixin
from content.blocks import RICH_TEXT_FEATURES, ArticleBodyBlock

WORDS_PER_MINUTE = 200


def _loaders():
    from content.graphql import loaders

    return loaders


def _types():
    # Imported lazily: the GraphQL types import the models.
    from content.graphql import types

    return types


class BlogIndexPage(Page):
    """Parent of every article; its URL is the blog's home on the frontend."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    graphql_fields = [
        GraphQLField(
            "intro",
            lambda: _types().FormattedText,
            source="graphql_intro",
            description="Introduction shown above the article list.",
        ),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["content.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = "blog index page"

    def graphql_intro(self, info, **kwargs):
        return _types().RichTextValue(self.intro)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePageAuthor(Orderable):
    """Ordered authorship: the first author is the byline's lead."""

    page = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        "content.Author", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("author")]


class ArticlePage(HeadlessPreviewMixin, Page):
    subtitle = models.CharField(
        max_length=200, blank=True, help_text="The dek under the title."
    )
    summary = models.TextField(
        max_length=500,
        blank=True,
        help_text="One or two sentences for lists, previews and search results.",
    )
    published_date = models.DateField(
        null=True,
        blank=True,
        help_text="Date shown on the article; defaults to the first publish date.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        max_length=250,
        blank=True,
        help_text="Describe the hero image for screen readers.",
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    credentials = ParentalManyToManyField(
        "content.Credential",
        blank=True,
        related_name="articles",
        help_text="Credentials the article discusses (from the catalogue).",
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    reading_time_minutes = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="Computed from the body on save."
    )

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")],
            heading="Hero image",
        ),
        FieldPanel("body"),
    ]
    meta_panels = [
        InlinePanel("article_authors", label="Authors", min_num=1),
        FieldPanel("published_date"),
        FieldPanel("tags"),
        FieldPanel("credentials"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(meta_panels, heading="Byline and tags"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("published_date"),
        # Public search filters out pages past their expiry (cms.selectors).
        index.FilterField("expire_at"),
    ]
    graphql_fields = [
        GraphQLString("subtitle", required=True, description="The dek."),
        GraphQLString("summary", required=True, description="Short summary."),
        GraphQLField(
            "published_date",
            lambda: _types().graphene.Date,
            source="graphql_published_date",
            description="Date shown on the article (first publish date by default).",
        ),
        GraphQLField(
            "authors",
            lambda: _types().graphene.List(
                _types().graphene.NonNull(_types().model_type("content.Author")),
                required=True,
            ),
            source="graphql_authors",
            description="Authors in byline order.",
        ),
        GraphQLField(
            "hero_image",
            lambda: _types().ResponsiveImage,
            source="graphql_hero_image",
            description="Hero image with alt text and renditions.",
        ),
        GraphQLField(
            "tags",
            lambda: _types().graphene.List(
                _types().graphene.NonNull(_types().TagType), required=True
            ),
            source="graphql_tags",
            description="Tags, alphabetical.",
        ),
        GraphQLField(
            "credentials",
            lambda: _types().graphene.List(
                _types().graphene.NonNull(_types().model_type("content.Credential")),
                required=True,
            ),
            source="graphql_credentials",
            description="Catalogue credentials the article discusses.",
        ),
        GraphQLInt(
            "reading_time_minutes",
            required=True,
            description="Estimated reading time in whole minutes (at least 1).",
        ),
        GraphQLField(
            "body",
            lambda: _types().graphene.List(
                _types().graphene.NonNull(_types().ArticleBodyBlockType),
                required=True,
            ),
            source="graphql_body",
            description="The article body as typed blocks, in order.",
        ),
        GraphQLString(
            "body_text",
            required=True,
            source="graphql_body_text",
            description="The body as plain text, paragraphs split by blank lines.",
        ),
    ]

    parent_page_types = ["content.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "article"

    def save(self, *args, **kwargs):
        self.reading_time_minutes = self.compute_reading_time()
        super().save(*args, **kwargs)

    def compute_reading_time(self) -> int:
        words = len(re.findall(r"\w+", self.plain_text_for_reading()))
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def plain_text_for_reading(self) -> str:
        return _types().stream_text(self.body)

    def graphql_published_date(self, info, **kwargs):
        if self.published_date:
            return self.published_date
        return self.first_published_at.date() if self.first_published_at else None

    # The list and detail resolvers batch-load relations (content.graphql.
    # loaders); an article reached another way falls back to the managers.

    def graphql_authors(self, info, **kwargs):
        authors = _loaders().loaded(self, "authors")
        if authors is not None:
            return authors
        return [link.author for link in self.article_authors.all()]

    def graphql_hero_image(self, info, **kwargs):
        # image_value withholds images in private collections.
        return _types().image_value(self.hero_image, self.hero_image_alt, info)

    def graphql_tags(self, info, **kwargs):
        tags = _loaders().loaded(self, "tags")
        if tags is not None:
            return tags
        return sorted(self.tags.all(), key=lambda tag: (tag.name.lower(), tag.slug))

    def graphql_credentials(self, info, **kwargs):
        credentials = _loaders().loaded(self, "credentials")
        if credentials is not None:
            return credentials
        return list(self.credentials.all())

    def graphql_body(self, info, **kwargs):
        return _types().resolve_stream(self.body, info)

    def graphql_body_text(self, info, **kwargs):
        return _types().stream_text(self.body)

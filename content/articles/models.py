"""The clinic's blog: an index page, article pages and their authors.

GraphQL field types are dotted paths (graphene imports them when the schema
is built): models never import a GraphQL module.
"""

import math
import re

from django.db import models
from django.utils.module_loading import import_string
from django.utils.text import slugify
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
from content.articles.blocks import ArticleBodyBlock, public_blocks, stream_text
from content.media.models import alt_text_field, image_field
from content.media.selectors import public_image
from content.richtext.blocks import RICH_TEXT_FEATURES

WORDS_PER_MINUTE = 200
TYPES = "content.articles.graphql.types"
FORMATTED_TEXT = "content.richtext.graphql.types.FormattedText"
RESPONSIVE_IMAGE = "content.media.graphql.types.ResponsiveImage"
ENGAGEMENT = "content.engagement.graphql.types"
# Where ``selectors.load_relations`` keeps what it loaded for a page of
# articles at once; the resolvers below read it before the managers.
PRELOADED = "_api_loaded"


def engagement_field(name: str, wrapper: str, description: str) -> tuple:
    """A grapple field whose graphene field (arguments, resolver) is built by
    ``content.engagement.graphql.types.<wrapper>``, imported when the schema
    is built: models import no GraphQL module."""
    declared = GraphQLField(name, f"{ENGAGEMENT}.{wrapper}", description=description)
    return (
        declared,
        lambda field_type: import_string(f"{ENGAGEMENT}.{wrapper}")(field_type),
    )


class Author(index.Indexed, models.Model):
    """Someone who writes the clinic's articles (a snippet)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    credentials = models.CharField(
        max_length=120, blank=True, help_text='Letters after the name, e.g. "PT, DPT".'
    )
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text="e.g. Clinic director, physical therapist.",
    )
    photo = image_field()
    photo_alt = alt_text_field("Describe the photo for screen readers.")
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("photo_alt"),
        FieldPanel("bio"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("role"),
    ]

    graphql_fields = [
        GraphQLString("name", required=True, description="Full name."),
        GraphQLString("slug", required=True, description="Stable identifier."),
        GraphQLString(
            "credentials",
            required=True,
            description='Letters after the name, e.g. "PT, DPT" (may be empty).',
        ),
        GraphQLString("role", required=True, description="Role (may be empty)."),
        GraphQLField(
            "photo",
            RESPONSIVE_IMAGE,
            source="graphql_photo",
            description="Portrait with alt text and renditions.",
        ),
        GraphQLField(
            "bio",
            FORMATTED_TEXT,
            required=True,
            source="graphql_bio",
            description="Short biography (may be empty).",
        ),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def graphql_photo(self, info, **kwargs):
        return public_image(image=self.photo, alt=self.photo_alt, request=info.context)

    def graphql_bio(self, info, **kwargs):
        return self.bio or ""


class BlogIndexPage(Page):
    """Parent of every article; its URL is the blog's home on the frontend."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    graphql_fields = [
        GraphQLField(
            "intro",
            FORMATTED_TEXT,
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
        return self.intro or ""


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
    hero_image = image_field()
    hero_image_alt = alt_text_field("Describe the hero image for screen readers.")
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    credentials = ParentalManyToManyField(
        "content.Credential",
        blank=True,
        related_name="articles",
        help_text="Credentials the article discusses (from the catalogue).",
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    comments_open = models.BooleanField(
        default=True,
        help_text="Readers may comment (comments may also close by age: "
        "Settings > Comments).",
    )
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
        FieldPanel("comments_open"),
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
            "graphene.Date",
            source="graphql_published_date",
            description="Date shown on the article (first publish date by default).",
        ),
        GraphQLField(
            "authors",
            f"{TYPES}.AUTHOR_LIST",
            source="graphql_authors",
            description="Authors in byline order.",
        ),
        GraphQLField(
            "hero_image",
            RESPONSIVE_IMAGE,
            source="graphql_hero_image",
            description="Hero image with alt text and renditions.",
        ),
        GraphQLField(
            "tags",
            f"{TYPES}.TAG_LIST",
            source="graphql_tags",
            description="Tags, alphabetical.",
        ),
        GraphQLField(
            "credentials",
            f"{TYPES}.CREDENTIAL_LIST",
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
            f"{TYPES}.BODY",
            source="graphql_body",
            description="The article body as typed blocks, in order.",
        ),
        GraphQLString(
            "body_text",
            required=True,
            source="graphql_body_text",
            description="The body as plain text, paragraphs split by blank lines.",
        ),
        engagement_field("comments", "comments_field", "Approved comments."),
        engagement_field("comment_count", "comment_count_field", "Comment count."),
        engagement_field("comment_policy", "comment_policy_field", "Comment policy."),
        engagement_field("view_count", "view_count_field", "Unique readers."),
        engagement_field("views", "views_field", "Readers per day."),
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
        return stream_text(self.body)

    def graphql_published_date(self, info, **kwargs):
        if self.published_date:
            return self.published_date
        return self.first_published_at.date() if self.first_published_at else None

    def preloaded(self, name: str):
        """What ``selectors.load_relations`` stored for ``name``, or None."""
        return getattr(self, PRELOADED, {}).get(name)

    # The list and detail resolvers batch-load relations (selectors.
    # load_relations); an article reached another way falls back to the
    # managers.

    def graphql_authors(self, info, **kwargs):
        authors = self.preloaded("authors")
        if authors is not None:
            return authors
        return [link.author for link in self.article_authors.all()]

    def graphql_hero_image(self, info, **kwargs):
        # public_image withholds images in private collections.
        return public_image(
            image=self.hero_image, alt=self.hero_image_alt, request=info.context
        )

    def graphql_tags(self, info, **kwargs):
        tags = self.preloaded("tags")
        if tags is not None:
            return tags
        return sorted(self.tags.all(), key=lambda tag: (tag.name.lower(), tag.slug))

    def graphql_credentials(self, info, **kwargs):
        credentials = self.preloaded("credentials")
        if credentials is not None:
            return credentials
        return list(self.credentials.all())

    def graphql_body(self, info, **kwargs):
        return public_blocks(self.body)

    def graphql_body_text(self, info, **kwargs):
        return stream_text(self.body)

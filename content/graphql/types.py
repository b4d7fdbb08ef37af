"""Hand-written GraphQL types: rich text, images and article body blocks.

Model types (pages, snippets) come from grapple through ``graphql_fields``;
their computed fields resolve to the types below. Blocks are typed here (not
through grapple) so that chooser blocks only ever return live content.
"""

import logging
from dataclasses import dataclass

import graphene
from django.apps import apps
from django.conf import settings
from grapple.registry import registry

from cms.graphql.errors import ApiError, ErrorCode
from cms.selectors import is_public_media, is_public_snippet
from content.graphql.richtext import html_to_text, link_resolver, render_html

__all__ = ["graphene"]

logger = logging.getLogger("content.graphql")


def model_type(label: str):
    """The grapple type of a model (snippet, page or plain Django model)."""
    model = apps.get_model(label)
    for group in (registry.snippets, registry.pages, registry.django_models):
        if model in group:
            return group[model]
    raise LookupError(f"grapple has no type for {label}")


# Rich text ---------------------------------------------------------------


@dataclass
class RichTextValue:
    source: str


class FormattedText(graphene.ObjectType):
    class Meta:
        description = "Rich text, as HTML for rendering and as plain text."

    html = graphene.String(
        required=True,
        description=(
            "HTML; internal links point at the frontend, links to unpublished or "
            "private pages are rendered as plain text."
        ),
    )
    text = graphene.String(
        required=True, description="Plain text, paragraphs separated by a blank line."
    )

    def resolve_html(self, info):
        return render_html(str(self.source or ""), info)

    def resolve_text(self, info):
        return html_to_text(str(self.source or ""))


def rich(value) -> RichTextValue:
    return RichTextValue(str(getattr(value, "source", value) or ""))


# Images --------------------------------------------------------------------


def allowed_filters() -> list[str]:
    return list(settings.GRAPPLE.get("ALLOWED_IMAGE_FILTERS", []))


def checked_filter(spec: str) -> str:
    if spec not in allowed_filters():
        raise ApiError(
            f"Image filter {spec!r} is not allowed.",
            code=ErrorCode.RENDITION_NOT_ALLOWED,
            allowedFilters=allowed_filters(),
        )
    return spec


@dataclass
class ImageValue:
    image: object
    alt: str = ""


class ResponsiveImageRendition(graphene.ObjectType):
    class Meta:
        description = "One resized version of an image."

    filter = graphene.String(required=True, description="Filter spec used.")
    url = graphene.String(required=True, description="URL of the rendition file.")
    width = graphene.Int(required=True, description="Width in pixels.")
    height = graphene.Int(required=True, description="Height in pixels.")


def make_rendition(image, spec: str) -> dict:
    from cms.renditions import existing_rendition

    rendition = existing_rendition(image, checked_filter(spec))
    if rendition is None:
        # Renditions are made on upload and by `manage.py make_renditions`,
        # never inside a request: serve the original until it exists.
        logger.warning("rendition %s of image %s missing", spec, image.pk)
        return {
            "filter": spec,
            "url": image.file.url,
            "width": image.width,
            "height": image.height,
        }
    return {
        "filter": spec,
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
    }


class ResponsiveImage(graphene.ObjectType):
    class Meta:
        description = "An image with alt text; renditions use allowlisted filters."

    id = graphene.ID(required=True, description="Image id.")
    title = graphene.String(required=True, description="Image title in the library.")
    alt = graphene.String(
        required=True, description="Alt text for screen readers (may be empty)."
    )
    width = graphene.Int(required=True, description="Original width in pixels.")
    height = graphene.Int(required=True, description="Original height in pixels.")
    rendition = graphene.Field(
        graphene.NonNull(ResponsiveImageRendition),
        filter=graphene.String(
            required=True,
            description="An allowlisted filter spec, e.g. fill-800x450.",
        ),
        description="A resized version; other filters are RENDITION_NOT_ALLOWED.",
    )
    srcset = graphene.String(
        required=True,
        filters=graphene.List(
            graphene.NonNull(graphene.String),
            required=True,
            description="Allowlisted width-based filters, e.g. [width-400, width-800].",
        ),
        description='A `srcset` attribute value ("url 400w, url 800w").',
    )

    def resolve_id(self, info):
        return self.image.pk

    def resolve_title(self, info):
        return self.image.title

    def resolve_alt(self, info):
        return self.alt or getattr(self.image, "description", "") or ""

    def resolve_width(self, info):
        return self.image.width

    def resolve_height(self, info):
        return self.image.height

    def resolve_rendition(self, info, filter):
        return make_rendition(self.image, filter)

    def resolve_srcset(self, info, filters):
        renditions = [make_rendition(self.image, spec) for spec in filters]
        return ", ".join(f"{r['url']} {r['width']}w" for r in renditions)


def image_value(image, alt="", info=None) -> ImageValue | None:
    """The image for the API, or None when missing or in a private collection.

    Images in a collection with a view restriction (or under one) are
    withheld entirely: their title, id and rendition URLs are not public.
    """
    context = info.context if info is not None else None
    if image is None or not is_public_media(image, context):
        return None
    return ImageValue(image, alt or "")


class TagType(graphene.ObjectType):
    class Meta:
        name = "ArticleTag"
        description = "A tag on articles."

    name = graphene.String(required=True, description="Tag as shown to readers.")
    slug = graphene.String(required=True, description="Tag slug used by filters.")


class CredentialKindEnum(graphene.Enum):
    class Meta:
        name = "CredentialKind"
        description = "Kind of credential in the catalogue."

    LICENCE = "licence"
    CERTIFICATION = "certification"
    DEGREE = "degree"


# Blocks --------------------------------------------------------------------


@dataclass
class BlockItem:
    id: str
    block_type: str
    value: object


class BlockBase(graphene.ObjectType):
    id = graphene.String(required=True, description="Stable block id.")
    block_type = graphene.String(
        required=True, description="Block type name, e.g. `paragraph`."
    )


class BodyHeading(BlockBase):
    class Meta:
        description = "A section heading."

    heading = graphene.String(required=True, description="Heading text.")
    level = graphene.Int(required=True, description="Heading level, 2 to 4.")

    def resolve_heading(self, info):
        return self.value["text"]

    def resolve_level(self, info):
        return int(str(self.value["level"]).lstrip("h") or 2)


class BodyParagraph(BlockBase):
    class Meta:
        description = "Rich text paragraphs."

    text = graphene.Field(
        graphene.NonNull(FormattedText), description="The paragraphs."
    )

    def resolve_text(self, info):
        return rich(self.value)


class CalloutKindEnum(graphene.Enum):
    class Meta:
        name = "CalloutKind"
        description = "How a callout is styled."

    QUOTE = "quote"
    ANALOGY = "analogy"
    NOTE = "note"
    TIP = "tip"


class BodyCallout(BlockBase):
    class Meta:
        description = "A quote or highlighted callout (e.g. an analogy)."

    kind = graphene.Field(
        graphene.NonNull(CalloutKindEnum), description="Callout style."
    )
    lead_in = graphene.String(
        required=True, description="Words before the quote (may be empty)."
    )
    text = graphene.Field(graphene.NonNull(FormattedText), description="The text.")
    attribution = graphene.String(
        required=True, description="Who said it (may be empty)."
    )

    def resolve_kind(self, info):
        return self.value["kind"]

    def resolve_lead_in(self, info):
        return self.value["lead_in"] or ""

    def resolve_text(self, info):
        return rich(self.value["text"])

    def resolve_attribution(self, info):
        return self.value["attribution"] or ""


class BodyImage(BlockBase):
    class Meta:
        description = "An image with caption."

    image = graphene.Field(ResponsiveImage, description="The image (null if deleted).")
    caption = graphene.String(required=True, description="Caption (may be empty).")

    def resolve_image(self, info):
        return image_value(self.value["image"], self.value["alt_text"], info)

    def resolve_caption(self, info):
        return self.value["caption"] or ""


class BodyVideo(BlockBase):
    class Meta:
        description = "An embedded video."

    url = graphene.String(required=True, description="The video's page URL.")
    title = graphene.String(required=True, description="Accessible title.")
    caption = graphene.String(required=True, description="Caption (may be empty).")

    def resolve_url(self, info):
        video = self.value["video"]
        return getattr(video, "url", "") or ""

    def resolve_title(self, info):
        return self.value["title"]

    def resolve_caption(self, info):
        return self.value["caption"] or ""


class SpectrumStage(graphene.ObjectType):
    class Meta:
        description = "One stage on the spectrum of care."

    name = graphene.String(required=True, description="Stage name.")
    led_by = graphene.String(required=True, description="Who leads care here.")
    description = graphene.String(required=True, description="What happens here.")

    def resolve_name(self, info):
        return self["name"]

    def resolve_led_by(self, info):
        return self["led_by"]

    def resolve_description(self, info):
        return self["description"] or ""


class BodySpectrum(BlockBase):
    class Meta:
        description = "The spectrum of care, stages in order."

    title = graphene.String(required=True, description="Title (may be empty).")
    stages = graphene.List(
        graphene.NonNull(SpectrumStage), required=True, description="Ordered stages."
    )

    def resolve_title(self, info):
        return self.value["title"] or ""

    def resolve_stages(self, info):
        return list(self.value["stages"])


class ComparisonRow(graphene.ObjectType):
    class Meta:
        description = "A criterion and one cell per column."

    criterion = graphene.String(required=True, description="What is compared.")
    cells = graphene.List(
        graphene.NonNull(FormattedText),
        required=True,
        description="One cell per column, in column order.",
    )

    def resolve_criterion(self, info):
        return self["criterion"]

    def resolve_cells(self, info):
        return [rich(cell) for cell in self["cells"]]


class ComparisonSource(graphene.ObjectType):
    class Meta:
        description = "A source backing a comparison table."

    title = graphene.String(required=True, description="Source title.")
    publisher = graphene.String(required=True, description="Publisher (may be empty).")
    url = graphene.String(description="Link to the source.")

    def resolve_title(self, info):
        return self["title"]

    def resolve_publisher(self, info):
        return self["publisher"] or ""

    def resolve_url(self, info):
        return self["url"] or None


class BodyComparisonTable(BlockBase):
    class Meta:
        description = "A reusable comparison table (live version only)."

    table = graphene.Field(
        lambda: graphene.NonNull(model_type("content.ComparisonTable")),
        description="The table.",
    )

    def resolve_table(self, info):
        return self.value


class BodyInlineComparisonTable(BlockBase):
    class Meta:
        description = "A comparison table written inside the article."

    title = graphene.String(required=True, description="Title (may be empty).")
    columns = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Column names."
    )
    rows = graphene.List(
        graphene.NonNull(ComparisonRow), required=True, description="Rows in order."
    )
    footnotes = graphene.Field(
        graphene.NonNull(FormattedText), description="Footnotes (may be empty)."
    )

    def resolve_title(self, info):
        return self.value["title"] or ""

    def resolve_columns(self, info):
        return list(self.value["columns"])

    def resolve_rows(self, info):
        return list(self.value["rows"])

    def resolve_footnotes(self, info):
        return rich(self.value["footnotes"])


def cta_url(value, info) -> str | None:
    page = value.get("page")
    if page is not None:
        return link_resolver(info).url(page.pk)
    return value.get("external_url") or None


class BodyCallToAction(BlockBase):
    class Meta:
        description = "A call to action: heading, text and one button."

    heading = graphene.String(required=True, description="Heading.")
    text = graphene.Field(
        graphene.NonNull(FormattedText), description="Text (may be empty)."
    )
    button_label = graphene.String(required=True, description="Button text.")
    url = graphene.String(
        description="Button target; null when it points at an unpublished page."
    )
    is_external = graphene.Boolean(
        required=True, description="Whether the button leaves the site."
    )

    def resolve_heading(self, info):
        return self.value["heading"]

    def resolve_text(self, info):
        return rich(self.value["text"])

    def resolve_button_label(self, info):
        return self.value["button_label"]

    def resolve_url(self, info):
        return cta_url(self.value, info)

    def resolve_is_external(self, info):
        return self.value.get("page") is None


class BodyFeaturedTrainers(BlockBase):
    class Meta:
        description = "Featured partner trainers (live, public profiles only)."

    heading = graphene.String(required=True, description="Heading; may be empty.")
    trainers = graphene.List(
        graphene.NonNull(lambda: _trainer_type()),
        required=True,
        description="The featured trainers in editor order; drafts drop out.",
    )

    def resolve_heading(self, info):
        return self.value.get("heading") or ""

    def resolve_trainers(self, info):
        from content.graphql.loaders import (
            FEATURED_TRAINERS,
            featured_trainer_ids,
            selected_fields,
        )
        from content.graphql.trainers import directory_queryset

        chosen = featured_trainer_ids(self.value)
        if not chosen:
            return []
        # Loaded once for every block of the article (prime_body_links); a
        # block resolved some other way (a preview) loads its own.
        primed = getattr(info.context, FEATURED_TRAINERS, None)
        by_pk = primed.get(chosen, info) if primed is not None else None
        if by_pk is None:
            by_pk = directory_queryset(selected_fields(info)).in_bulk(chosen)
        return [by_pk[pk] for pk in chosen if pk in by_pk]


def _trainer_type():
    from content.graphql.trainer_types import TrainerProfile

    return TrainerProfile


BLOCK_TYPES = {
    "featured_trainers": BodyFeaturedTrainers,
    "heading": BodyHeading,
    "paragraph": BodyParagraph,
    "callout": BodyCallout,
    "image": BodyImage,
    "video": BodyVideo,
    "spectrum": BodySpectrum,
    "comparison_table": BodyComparisonTable,
    "inline_comparison_table": BodyInlineComparisonTable,
    "call_to_action": BodyCallToAction,
}


class ArticleBodyBlockType(graphene.Union):
    class Meta:
        name = "ArticleBodyBlock"
        description = "A block in an article body; switch on __typename."
        types = tuple(BLOCK_TYPES.values())

    @classmethod
    def resolve_type(cls, instance, info):
        return BLOCK_TYPES[instance.block_type]


def visible(block) -> bool:
    """Chooser blocks whose target is a draft are dropped, not exposed."""
    if block.block_type == "comparison_table":
        # Live is not enough: a table past its expiry date stays live=True
        # until publish_scheduled runs.
        return is_public_snippet(block.value)
    return block.block_type in BLOCK_TYPES


def resolve_stream(stream, info) -> list[BlockItem]:
    return [
        BlockItem(block.id, block.block_type, block.value)
        for block in stream
        if visible(block)
    ]


def _table_text(columns, rows, title="", intro="", footnotes="") -> list[str]:
    parts = [title, html_to_text(str(intro)), *columns]
    for row in rows:
        parts.append(row["criterion"])
        parts.extend(html_to_text(str(cell.source)) for cell in row["cells"])
    # The source, not str(): rendering a RichText looks up every page and
    # document it links to, and the text drops the links anyway.
    parts.append(html_to_text(str(getattr(footnotes, "source", footnotes))))
    return parts


def block_text(block) -> list[str]:
    value = block.value
    kind = block.block_type
    if kind == "heading":
        return [value["text"]]
    if kind == "paragraph":
        return [html_to_text(value.source)]
    if kind == "callout":
        return [
            value["lead_in"],
            html_to_text(value["text"].source),
            value["attribution"],
        ]
    if kind == "image":
        return [value["caption"]]
    if kind == "video":
        return [value["title"], value["caption"]]
    if kind == "spectrum":
        parts = [value["title"]]
        for stage in value["stages"]:
            parts += [stage["name"], stage["led_by"], stage["description"]]
        return parts
    if kind == "comparison_table":
        table = value
        rows = [row.value for row in table.rows]
        return _table_text(
            table.column_names, rows, table.title, table.intro, table.footnotes
        )
    if kind == "inline_comparison_table":
        return _table_text(
            value["columns"], value["rows"], value["title"], "", value["footnotes"]
        )
    if kind == "call_to_action":
        return [
            value["heading"],
            html_to_text(value["text"].source),
            value["button_label"],
        ]
    return []


def stream_text(stream) -> str:
    parts = []
    for block in stream:
        if visible(block):
            parts.extend(block_text(block))
    return "\n\n".join(part for part in parts if part)

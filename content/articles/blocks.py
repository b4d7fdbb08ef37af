"""StreamField blocks of article bodies (the call to action also serves the
home page), and the body as the public reads it: its public blocks and text.

Block child names avoid ``label``, ``meta``, ``required``, ``clean`` and
``render``: they clash with Block attributes and break grapple's types.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.selectors import is_public_snippet
from content.richtext.blocks import RICH_TEXT_FEATURES
from content.richtext.selectors import html_to_text
from content.tables.blocks import (
    ComparisonTableChooserBlock,
    InlineComparisonTableBlock,
    table_text,
)
from content.trainers.blocks import FeaturedTrainersBlock, raw_featured_trainers


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200, help_text="Heading text as readers see it.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Level 2"), ("h3", "Level 3"), ("h4", "Level 4")],
        default="h2",
        help_text="Level 2 for sections, 3 and 4 for sub-sections.",
    )

    class Meta:
        icon = "title"
        description = "A section heading"
        preview_value = {"text": "A complicated question:", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        description = "One or more paragraphs of text with links and lists"
        preview_value = (
            "<p>Everyone is at a different point in their health journey.</p>"
        )


class CalloutKind(blocks.ChoiceBlock):
    choices = [
        ("quote", "Quote"),
        ("analogy", "Analogy"),
        ("note", "Note"),
        ("tip", "Tip"),
    ]


class CalloutBlock(blocks.StructBlock):
    kind = CalloutKind(default="quote", help_text="How the frontend styles it.")
    lead_in = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text="Optional words before the quote, e.g. 'A common question is:'.",
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text="Who said it, if anyone."
    )

    class Meta:
        icon = "openquote"
        description = "A quote or a highlighted callout such as an analogy"
        preview_value = {
            "kind": "analogy",
            "text": "<p>Physical therapy is much like your dentist.</p>",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe the image for screen readers."
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        description = "An image with alt text and an optional caption"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text="YouTube or Vimeo URL.")
    title = blocks.CharBlock(
        max_length=200, help_text="Accessible title for the video."
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "media"
        description = "An embedded video (YouTube, Vimeo...)"


class SpectrumStageBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=80, help_text="Stage name, e.g. Medical care.")
    led_by = blocks.CharBlock(
        max_length=120, help_text="Who leads care here, e.g. Primary care physician."
    )
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "arrow-right"


class SpectrumBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120)
    stages = blocks.ListBlock(SpectrumStageBlock(), min_num=2)

    class Meta:
        icon = "list-ol"
        description = "The spectrum of care: ordered stages and who leads each"
        preview_value = {
            "title": "The spectrum of care",
            "stages": [
                {"name": "Medical care", "led_by": "Physician", "description": ""},
                {"name": "Physical therapy", "led_by": "PT", "description": ""},
                {"name": "Fitness", "led_by": "Trainer", "description": ""},
            ],
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=200)
    text = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)
    button_label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False, help_text="Link to a page here...")
    external_url = blocks.URLBlock(required=False, help_text="...or to another site.")

    class Meta:
        icon = "pick"
        description = "A heading, text and one button"
        preview_value = {
            "heading": "Ready to get moving?",
            "text": "<p>Reach out to one of our physical therapists today.</p>",
            "button_label": "Book now",
            "external_url": "https://example.janeapp.com/",
        }

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            message = "Choose either a page or an external URL for the button."
            raise StructBlockValidationError(
                block_errors={
                    "page": ErrorList([ValidationError(message)]),
                    "external_url": ErrorList([ValidationError(message)]),
                }
            )
        return value


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    image = ImageBlock()
    video = VideoBlock()
    spectrum = SpectrumBlock()
    comparison_table = ComparisonTableChooserBlock()
    inline_comparison_table = InlineComparisonTableBlock()
    call_to_action = CallToActionBlock()
    featured_trainers = FeaturedTrainersBlock()


class UnreadBlock(NamedTuple):
    """A block resolved from its stored JSON, as StreamValue's children are."""

    id: str | None
    block_type: str
    value: dict


def public_blocks(stream) -> list:
    """The blocks of a body the public may see, in order: a chooser block
    whose table is a draft or past its expiry date is dropped, not exposed
    (a table stays live=True until publish_scheduled runs).

    Featured-trainers blocks are read from the stored JSON (chosen pages as
    ids, ``raw_featured_trainers``): their resolver loads the public
    profiles, so converting them would look the pages up for nothing."""
    found = []
    raw_data = stream.raw_data
    for index in range(len(stream)):
        raw = raw_data[index]
        kind = raw.get("type")
        if kind not in ArticleBodyBlock.base_blocks:
            continue
        if kind == "featured_trainers":
            value = raw_featured_trainers(raw.get("value"))
            found.append(UnreadBlock(raw.get("id"), kind, value))
            continue
        block = stream[index]
        if kind != "comparison_table" or is_public_snippet(block.value):
            found.append(block)
    return found


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
        return table_text(
            table.column_names, rows, table.title, table.intro, table.footnotes
        )
    if kind == "inline_comparison_table":
        return table_text(
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
    """The public blocks' words, paragraphs split by blank lines."""
    parts = []
    for block in public_blocks(stream):
        parts.extend(block_text(block))
    return "\n\n".join(part for part in parts if part)


# Migrations name blocks by dotted path: this one was content.blocks'.
DECONSTRUCT_ALIASES = {ParagraphBlock: "content.blocks.ParagraphBlock"}

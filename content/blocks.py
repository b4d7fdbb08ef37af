"""StreamField blocks for article bodies and the home page.

Block child names avoid ``label``, ``meta``, ``required``, ``clean`` and
``render``: they clash with Block attributes and break grapple's types.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from content.trainer_blocks import FeaturedTrainersBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
CELL_FEATURES = ["bold", "italic", "link", "ol", "ul"]


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


class ComparisonRowBlock(blocks.StructBlock):
    criterion = blocks.CharBlock(max_length=200, help_text="e.g. Ongoing Education")
    cells = blocks.ListBlock(
        blocks.RichTextBlock(features=CELL_FEATURES),
        help_text="One cell per column, in column order. A cell may hold paragraphs.",
    )

    class Meta:
        icon = "list-ul"


def cell_count_error(row_number: int, cells: int, columns: int) -> str:
    return (
        f"Row {row_number} has {cells} cell(s) but the table has {columns} "
        f"column(s): give every row exactly one cell per column."
    )


class InlineComparisonTableBlock(blocks.StructBlock):
    """A one-off table; for tables reused across articles use the snippet."""

    title = blocks.CharBlock(required=False, max_length=200)
    columns = blocks.ListBlock(
        blocks.CharBlock(max_length=120), min_num=1, help_text="Subject columns."
    )
    rows = blocks.ListBlock(ComparisonRowBlock(), min_num=1)
    footnotes = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "table"
        description = "A comparison table written in place"

    def clean(self, value):
        value = super().clean(value)
        columns = len(value["columns"])
        errors = []
        for number, row in enumerate(value["rows"], start=1):
            if len(row["cells"]) != columns:
                errors.append(
                    ValidationError(
                        cell_count_error(number, len(row["cells"]), columns)
                    )
                )
        if errors:
            raise StructBlockValidationError(block_errors={"rows": ErrorList(errors)})
        return value


class ComparisonTableChooserBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("content.ComparisonTable", **kwargs)

    class Meta:
        icon = "table"
        description = "A reusable comparison table from the snippets library"


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


class SocialPlatform(blocks.ChoiceBlock):
    choices = [
        ("facebook", "Facebook"),
        ("instagram", "Instagram"),
        ("youtube", "YouTube"),
        ("google", "Google"),
        ("jane_app", "Jane App"),
    ]


class SocialLinkBlock(blocks.StructBlock):
    platform = SocialPlatform()
    url = blocks.URLBlock()
    link_text = blocks.CharBlock(
        max_length=120, help_text="e.g. Check us out on Facebook!"
    )

    class Meta:
        icon = "link"


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=250)
    publisher = blocks.CharBlock(required=False, max_length=200)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "doc-full"

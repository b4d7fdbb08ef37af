"""GraphQL types of articles: tags, the body blocks and their union.

The ``ArticlePage`` and ``Author`` object types are grapple's (the models'
``graphql_fields``); their list fields point at the structures below. Body
blocks are typed here (not through grapple) so that chooser blocks only ever
return live content.
"""

import graphene

from cms.graphql.blocks import BlockBase
from cms.graphql.registry import list_of, model_type
from content.media.graphql.types import ResponsiveImage
from content.media.selectors import public_image
from content.richtext.graphql.types import FormattedText, rich
from content.richtext.selectors import link_resolver
from content.tables.graphql.types import (
    BodyComparisonTable,
    BodyInlineComparisonTable,
)
from content.trainers.graphql.types import BodyFeaturedTrainers


class TagType(graphene.ObjectType):
    class Meta:
        name = "ArticleTag"
        description = "A tag on articles."

    name = graphene.String(required=True, description="Tag as shown to readers.")
    slug = graphene.String(required=True, description="Tag slug used by filters.")


# The model's list fields (``ArticlePage.graphql_fields``).
AUTHOR_LIST = list_of(lambda: model_type("content.Author"))
TAG_LIST = list_of(TagType)
CREDENTIAL_LIST = list_of(lambda: model_type("content.Credential"))


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
        return public_image(
            image=self.value["image"],
            alt=self.value["alt_text"],
            request=info.context,
        )

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


# The model's body field: every block the public may see, in order
# (``content.articles.blocks.public_blocks``).
BODY = list_of(ArticleBodyBlockType)

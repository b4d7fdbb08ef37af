"""Trainer blocks: a profile's bio, and the block editors put into articles to
feature trainers (its GraphQL type is ``BodyFeaturedTrainers``)."""

from wagtail import blocks


class BioQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="The quotation, without quote marks.")
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"


class TrainerBioBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])
    quote = BioQuoteBlock()


class FeaturedTrainersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    trainers = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="content.TrainerProfilePage"),
        min_num=1,
        max_num=12,
    )

    class Meta:
        icon = "group"

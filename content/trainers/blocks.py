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


def raw_featured_trainers(raw) -> dict:
    """A featured-trainers block value read from its stored JSON, the chosen
    pages as ids: their profiles are loaded (public ones only) when resolved,
    so the chooser's own lookup of the pages would be a wasted query."""
    value = raw if isinstance(raw, dict) else {}
    items = value.get("trainers")
    ids = []
    for item in items if isinstance(items, list) else []:
        # ListBlock items: {"type": "item", "value": <id>, "id": ...}, or a
        # bare id (the older list format).
        pk = item.get("value") if isinstance(item, dict) else item
        if isinstance(pk, int) and not isinstance(pk, bool):
            ids.append(pk)
    heading = value.get("heading")
    return {"heading": heading if isinstance(heading, str) else "", "trainers": ids}

"""A block editors put into articles and the home page to feature trainers.

Its GraphQL type is ``BodyFeaturedTrainers`` in content/graphql/types.py,
which returns only live, public profiles (``directory_queryset``).
"""

from wagtail import blocks


class FeaturedTrainersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    trainers = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="content.TrainerProfilePage"),
        min_num=1,
        max_num=12,
    )

    class Meta:
        icon = "group"
        description = "A short list of featured partner trainers."

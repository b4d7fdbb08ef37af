"""A block editors put into articles and the home page to feature trainers."""

from grapple.helpers import register_streamfield_block
from grapple.models import GraphQLString
from wagtail import blocks


def _trainers_field():
    # Built lazily: the GraphQL type module imports the models, which may
    # import this module for their StreamFields.
    import graphene
    from grapple.models import GraphQLField

    from content.graphql.trainer_types import TrainerProfile

    return (
        GraphQLField(
            "trainers",
            TrainerProfile,
            source="live_trainers",
            description="Featured trainers that are live and public, in order.",
        ),
        lambda field_type: graphene.List(
            graphene.NonNull(field_type),
            required=True,
            description="Featured trainers that are live and public, in order.",
        ),
    )


@register_streamfield_block
class FeaturedTrainersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    trainers = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="content.TrainerProfilePage"),
        min_num=1,
        max_num=12,
    )

    graphql_fields = [
        GraphQLString("heading", required=True, description="Heading; may be empty."),
        _trainers_field,
    ]

    class Meta:
        icon = "group"
        graphql_description = "A short list of featured partner trainers."

    def live_trainers(self, info, values, **kwargs):
        """Only live, public profiles; drafts and private ones drop out."""
        from content.graphql.loaders import featured_trainer_ids
        from content.graphql.trainers import directory_queryset

        chosen = featured_trainer_ids(values)
        if not chosen:
            return []
        by_pk = directory_queryset().in_bulk(chosen)
        return [by_pk[pk] for pk in chosen if pk in by_pk]

"""Root fields of the partner-trainer directory, with their arguments and
result types.

``trainers``: filter, 'near me', allowlisted ordering, offset pages and facets.
``trainer``: one profile by id or slug. ``trainerSync``: incremental sync over
the ``TrainerChange`` log. ``trainerSpecialties``: the filter vocabulary.
"""

import graphene

from cms.db import parse_pk
from cms.graphql.errors import ApiError
from cms.graphql.pagination import paginate
from cms.preview import resolve_preview
from content.catalogue.selectors import specialties
from content.trainers import selectors
from content.trainers.graphql.loaders import prime_bio_links
from content.trainers.graphql.types import (
    TrainerProfile,
    TrainerServiceType,
    TrainerSpecialty,
)
from content.trainers.models import TrainerProfilePage
from content.trainers.selectors import compute_facets


class SpecialtyFacet(graphene.ObjectType):
    class Meta:
        description = "Number of matching trainers with a specialty."

    slug = graphene.String(required=True, description="Specialty slug.")
    name = graphene.String(required=True, description="Specialty name.")
    count = graphene.Int(required=True, description="Matching trainers.")


class CredentialFacet(graphene.ObjectType):
    class Meta:
        description = "Number of matching trainers holding a current credential."

    slug = graphene.String(required=True, description="Credential slug.")
    abbreviation = graphene.String(required=True, description="e.g. NSCA-CSCS.")
    count = graphene.Int(required=True, description="Matching trainers.")


class CityFacet(graphene.ObjectType):
    class Meta:
        description = "Number of matching trainers in a city."

    name = graphene.String(required=True, description="City name.")
    state = graphene.String(required=True, description="Two-letter state code.")
    count = graphene.Int(required=True, description="Matching trainers.")


class TrainerFacets(graphene.ObjectType):
    class Meta:
        description = "Counts for building a filter screen, for the current filter."

    specialties = graphene.List(
        graphene.NonNull(SpecialtyFacet),
        required=True,
        description="Per specialty, by count then name.",
    )
    credentials = graphene.List(
        graphene.NonNull(CredentialFacet),
        required=True,
        description="Per credential (current ones only), by count then name.",
    )
    cities = graphene.List(
        graphene.NonNull(CityFacet),
        required=True,
        description="Per city, by count then name.",
    )


class TrainerOrder(graphene.Enum):
    class Meta:
        description = "Allowlisted orderings for the trainer directory."

    NAME = "name"
    DISTANCE = "distance"
    RECENTLY_UPDATED = "recently_updated"


class TrainerFilter(graphene.InputObjectType):
    class Meta:
        description = "Directory filters; all given filters must match (AND)."

    specialties = graphene.List(
        graphene.NonNull(graphene.String),
        description="Specialty slugs; a trainer matches if they have any of them.",
    )
    credentials = graphene.List(
        graphene.NonNull(graphene.String),
        description="Credential slugs; matches trainers holding any, currently.",
    )
    city = graphene.String(description="City name, case-insensitive exact match.")
    state = graphene.String(description="Two-letter state code.")
    services = graphene.List(
        graphene.NonNull(TrainerServiceType),
        description="Service types; matches trainers offering any of them.",
    )
    accepting_new_clients = graphene.Boolean(
        description="Only trainers (not) accepting new clients."
    )
    query = graphene.String(description="Free text matched in name and headline.")


class TrainerNearInput(graphene.InputObjectType):
    class Meta:
        description = "A point and radius for 'near me' searches."

    latitude = graphene.Float(required=True, description="-90 to 90.")
    longitude = graphene.Float(required=True, description="-180 to 180.")
    radius_km = graphene.Float(
        default_value=25.0, description="Search radius in km, over 0 and at most 500."
    )


class TrainerSearchResult(graphene.ObjectType):
    class Meta:
        description = "A page of directory results with facets."

    items = graphene.List(
        graphene.NonNull(TrainerProfile),
        required=True,
        description="The trainers on this page.",
    )
    total_count = graphene.Int(
        required=True, description="Number of trainers matching, over all pages."
    )
    limit = graphene.Int(required=True, description="Page size used.")
    offset = graphene.Int(required=True, description="Offset used.")
    has_next_page = graphene.Boolean(
        required=True, description="Whether another page follows."
    )
    facets = graphene.Field(
        TrainerFacets,
        required=True,
        description="Counts per specialty, credential and city for this filter.",
    )

    def resolve_facets(result, info):
        return compute_facets(result.matching)


class TrainerSyncResult(graphene.ObjectType):
    class Meta:
        description = "One batch of incremental directory changes."

    changed = graphene.List(
        graphene.NonNull(TrainerProfile),
        required=True,
        description="Profiles added or changed since the cursor (current state).",
    )
    removed_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="Ids of profiles deleted, unpublished or made private.",
    )
    next_cursor = graphene.String(
        required=True, description="Pass this as `cursor` in the next sync call."
    )
    has_more = graphene.Boolean(
        required=True, description="Whether more changes are waiting right now."
    )


class TrainerSpecialtyPage(graphene.ObjectType):
    class Meta:
        description = "A page of specialties."

    items = graphene.List(
        graphene.NonNull(TrainerSpecialty),
        required=True,
        description="The specialties on this page.",
    )
    total_count = graphene.Int(required=True, description="Total specialties.")
    limit = graphene.Int(required=True, description="Page size used.")
    offset = graphene.Int(required=True, description="Offset used.")
    has_next_page = graphene.Boolean(
        required=True, description="Whether another page follows."
    )


class TrainerQuery(graphene.ObjectType):
    """Root fields of the partner-trainer directory."""

    trainers = graphene.Field(
        graphene.NonNull(TrainerSearchResult),
        filter=graphene.Argument(TrainerFilter, description="Filters (AND)."),
        near=graphene.Argument(
            TrainerNearInput, description="Only trainers within a radius."
        ),
        order=graphene.Argument(
            TrainerOrder,
            description="Ordering; default DISTANCE with `near`, else NAME.",
        ),
        limit=graphene.Int(
            default_value=10,
            description="Page size, 1 to 50. Larger is PAGE_SIZE_TOO_LARGE.",
        ),
        offset=graphene.Int(default_value=0, description="Items to skip."),
        description="Search the partner-trainer directory (live, public profiles).",
    )
    trainer = graphene.Field(
        TrainerProfile,
        id=graphene.ID(description="Profile id."),
        slug=graphene.String(description="Profile slug."),
        description="One live, public profile by `id` or `slug` (give exactly one).",
    )
    trainer_sync = graphene.Field(
        graphene.NonNull(TrainerSyncResult),
        cursor=graphene.String(
            description="`nextCursor` from the previous call; null to start over."
        ),
        limit=graphene.Int(
            default_value=selectors.DEFAULT_SYNC_LIMIT,
            description="Max profiles per batch, 1 to 50.",
        ),
        description="Incremental sync: changes and tombstones since a cursor.",
    )
    trainer_specialties = graphene.Field(
        graphene.NonNull(TrainerSpecialtyPage),
        limit=graphene.Int(default_value=50, description="Page size, 1 to 50."),
        offset=graphene.Int(default_value=0, description="Items to skip."),
        description="The specialty vocabulary, by name.",
    )

    def resolve_trainers(root, info, filter=None, near=None, order=None, **page):
        result = selectors.search_trainers(
            flt=filter,
            near=near,
            order=order,
            limit=page["limit"],
            offset=page["offset"],
        )
        prime_bio_links(result.items, info, "items")
        return result

    def resolve_trainer(root, info, id=None, slug=None):
        if (id is None) == (slug is None):
            raise ApiError("Give exactly one of `id` or `slug`.")
        qs = selectors.public_trainers()
        if id is not None:
            if not (isinstance(id, str) and id.isascii() and id.isdigit()):
                raise ApiError("id must be a number.")
            pk = parse_pk(id)
            trainer = None if pk is None else qs.filter(pk=pk).first()
        else:
            # A valid preview token (X-Preview-Token) shows that profile's draft.
            draft = resolve_preview(info.context, TrainerProfilePage, slug)
            if draft is not None:
                return draft
            trainer = qs.filter(slug=slug).order_by("pk").first()
        prime_bio_links([trainer] if trainer else [], info)
        return trainer

    def resolve_trainer_sync(
        root, info, cursor=None, limit=selectors.DEFAULT_SYNC_LIMIT
    ):
        result = selectors.sync_trainers(cursor=cursor, limit=limit)
        prime_bio_links(result["changed"], info, "changed")
        return result

    def resolve_trainer_specialties(root, info, limit, offset):
        return paginate(specialties(), limit, offset)

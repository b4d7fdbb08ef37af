"""``ResponsiveImage``: the API's one image type, and its rendition policy.

Renditions are looked up, never made, while answering: they are made on
upload and by ``manage.py make_renditions`` (``cms.renditions``). A missing
one is served as the original file and logged. Only allowlisted filter specs
(``GRAPPLE["ALLOWED_IMAGE_FILTERS"]``) may be asked for.

``TrainerPhoto`` is the older trainer-only image type, still served through
the deprecated ``TrainerProfile.photo`` with the same policy.
"""

import logging

import graphene
from graphql import ListValueNode, StringValueNode, VariableNode

from cms.graphql.errors import ApiError, ErrorCode
from cms.graphql.registry import enum_name
from cms.graphql.selection import selection_sets, walk
from cms.renditions import allowed_filters, existing_rendition

logger = logging.getLogger("content.graphql")


def checked_filter(spec: str) -> str:
    if spec not in allowed_filters():
        raise ApiError(
            f"Image filter {spec!r} is not allowed.",
            code=ErrorCode.RENDITION_NOT_ALLOWED,
            allowedFilters=allowed_filters(),
        )
    return spec


def make_rendition(image, spec: str) -> dict:
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


class ResponsiveImageRendition(graphene.ObjectType):
    class Meta:
        description = "One resized version of an image."

    filter = graphene.String(required=True, description="Filter spec used.")
    url = graphene.String(required=True, description="URL of the rendition file.")
    width = graphene.Int(required=True, description="Width in pixels.")
    height = graphene.Int(required=True, description="Height in pixels.")


class ResponsiveImage(graphene.ObjectType):
    """Resolves from ``content.media.selectors.ImageValue``."""

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


def _string_values(node, variables):
    if isinstance(node, VariableNode):
        value = variables.get(node.name.value)
        values = value if isinstance(value, list) else [value]
    elif isinstance(node, ListValueNode):
        values = [
            v.value if isinstance(v, StringValueNode) else None for v in node.values
        ]
    elif isinstance(node, StringValueNode):
        values = [node.value]
    else:
        values = [None]
    return values


def requested_renditions(info, *path: str) -> set[str] | None:
    """Filter specs of every ``rendition``/``srcset`` under the resolved
    field (then under ``path``), or None when one cannot be known before
    resolving it."""
    specs = set()
    for selection_set in selection_sets(info, *path):
        for field in walk(selection_set, info):
            if field.name.value not in ("rendition", "srcset"):
                continue
            for argument in field.arguments:
                if argument.name.value in ("filter", "filters"):
                    values = _string_values(argument.value, info.variable_values)
                    if any(not isinstance(v, str) for v in values):
                        return None
                    specs.update(values)
    return specs


# Deprecated: the trainer-only image type -----------------------------------


TrainerImageFilter = graphene.Enum(
    "TrainerImageFilter",
    [(enum_name(spec), spec) for spec in allowed_filters()],
    description="Allowlisted rendition filter specs for trainer photos.",
)


class TrainerPhotoRendition(graphene.ObjectType):
    class Meta:
        description = "A resized copy of a trainer photo."

    url = graphene.String(required=True, description="Absolute URL of the file.")
    width = graphene.Int(required=True, description="Width in pixels.")
    height = graphene.Int(required=True, description="Height in pixels.")

    def resolve_url(rendition, info):
        return info.context.build_absolute_uri(rendition["url"])


class TrainerPhoto(graphene.ObjectType):
    """Resolves from the image itself; see ``TrainerProfile.portrait``."""

    class Meta:
        description = "A trainer's portrait photo."

    id = graphene.ID(required=True, description="Image id.")
    alt_text = graphene.String(required=True, description="Alternative text.")
    width = graphene.Int(required=True, description="Original width in pixels.")
    height = graphene.Int(required=True, description="Original height in pixels.")
    rendition = graphene.Field(
        TrainerPhotoRendition,
        filter=graphene.Argument(
            TrainerImageFilter,
            required=True,
            description="One of the allowlisted filter specs.",
        ),
        required=True,
        description="The photo resized with an allowlisted filter.",
    )

    def resolve_alt_text(image, info):
        return image.default_alt_text or image.title

    def resolve_rendition(image, info, filter):
        return make_rendition(image, getattr(filter, "value", filter))

"""Root field of the catalogue: ``credentials``."""

import graphene

from cms.graphql.pagination import page_type, paginate, pagination_args
from cms.graphql.registry import model_type
from content.catalogue import selectors
from content.catalogue.graphql.types import CredentialKindEnum

CredentialList = page_type(
    "CredentialList",
    lambda: model_type("content.Credential"),
    "A page of catalogue credentials.",
)


class CatalogueQuery(graphene.ObjectType):
    credentials = graphene.Field(
        graphene.NonNull(CredentialList),
        kind=graphene.Argument(CredentialKindEnum, description="Only this kind."),
        description="The credential catalogue, by abbreviation.",
        **pagination_args(),
    )

    def resolve_credentials(self, info, limit, offset, kind=None):
        kind = getattr(kind, "value", kind)
        return paginate(selectors.credentials(kind=kind), limit, offset)

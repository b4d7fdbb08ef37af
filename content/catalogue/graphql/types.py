"""GraphQL types of the catalogue.

The ``Credential`` and ``Specialty`` object types are grapple's (from the
models' ``graphql_fields``); reach them with ``cms.graphql.registry.model_type``.
"""

import graphene


class CredentialKindEnum(graphene.Enum):
    class Meta:
        name = "CredentialKind"
        description = "Kind of credential in the catalogue."

    LICENCE = "licence"
    CERTIFICATION = "certification"
    DEGREE = "degree"

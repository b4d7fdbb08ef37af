from .credentials import Credential, CredentialKind, Specialty
from .trainers import *  # noqa: F403

__all__ = ["Credential", "CredentialKind", "Specialty"]

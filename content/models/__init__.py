from .credentials import Credential, CredentialKind, Specialty

__all__ = ["Credential", "CredentialKind", "Specialty"]

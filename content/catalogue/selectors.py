"""The credential catalogue and the specialty vocabulary, as the public reads them.

Both are public in full: they hold no drafts and no private entries.
"""

from content.catalogue.models import Credential, Specialty


def credentials(*, kind: str | None = None):
    """Catalogue entries by abbreviation, optionally of one kind."""
    found = Credential.objects.order_by("abbreviation")
    if kind:
        found = found.filter(kind=kind)
    return found


def specialties():
    """The specialty vocabulary, by name."""
    return Specialty.objects.order_by("name", "pk")

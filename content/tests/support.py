"""Test helpers that need the whole site (the home page is another app's)."""

from io import StringIO

from content.trainers.factories import TrainerDirectoryPageFactory
from content.trainers.models import TrainerDirectoryPage
from home.demo import load_site


def make_directory() -> TrainerDirectoryPage:
    """The directory page under the demo home page (the site root)."""
    home = load_site(StringIO())
    existing = TrainerDirectoryPage.objects.first()
    if existing:
        return existing
    return TrainerDirectoryPageFactory(parent=home)

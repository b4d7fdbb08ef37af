"""Editors manage the credential catalogue and the specialty vocabulary."""

from wagtail.snippets.views.snippets import SnippetViewSet

from content.catalogue.models import Credential, Specialty

# No ``search_fields`` on these viewsets: the admin search then uses each
# model's own index (autocomplete fields). Naming fields here restricts an
# autocomplete query to them, which SQLite's full-text backend rejects with a
# 500 for any field that is not an AutocompleteField.


class CredentialViewSet(SnippetViewSet):
    model = Credential
    icon = "tick-inverse"
    menu_label = "Credentials"
    list_display = ["abbreviation", "full_name", "kind", "issuing_body"]
    list_filter = ["kind"]


class SpecialtyViewSet(SnippetViewSet):
    model = Specialty
    icon = "tag"
    menu_label = "Specialties"
    list_display = ["name", "slug"]
    search_fields = ["name"]

"""Admin and schema wiring for the partner-trainer directory."""

import django_filters
from django import forms
from wagtail import hooks
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.graphql.trainers import TrainerQuery
from content.models import Credential, Specialty
from content.models.trainers import TrainerProfilePage

__all__ = ["register_trainer_query", "register_trainer_listing"]


def _city_choices():
    cities = (
        TrainerProfilePage.objects.order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
    return [(c, c) for c in cities]


class TrainerProfileFilterSet(PageFilterSet):
    specialty = django_filters.ModelMultipleChoiceFilter(
        field_name="specialties",
        queryset=Specialty.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    credential = django_filters.ModelMultipleChoiceFilter(
        field_name="credentials__credential",
        queryset=Credential.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    city = django_filters.MultipleChoiceFilter(
        choices=_city_choices, widget=forms.CheckboxSelectMultiple
    )
    accepting_new_clients = django_filters.BooleanFilter()

    class Meta:
        model = TrainerProfilePage
        fields = []


class TrainerProfileListingViewSet(PageListingViewSet):
    model = TrainerProfilePage
    icon = "group"
    menu_label = "Trainers"
    add_to_admin_menu = True
    name = "trainer_profiles"
    filterset_class = TrainerProfileFilterSet
    list_display = ["title", "city", "accepting_new_clients", "status_string"]


class SpecialtyViewSet(SnippetViewSet):
    model = Specialty
    icon = "tag"
    menu_label = "Specialties"
    list_display = ["name", "slug"]
    search_fields = ["name"]


@hooks.register("register_admin_viewset")
def register_trainer_listing():
    return TrainerProfileListingViewSet()


def _already_registered(model) -> bool:
    # Registrations made while hooks load are deferred, so look in both places.
    from wagtail.snippets import models as snippet_models

    deferred = [
        getattr(registerable, "model", registerable)
        for registerable, _viewset in snippet_models.DEFERRED_REGISTRATIONS
    ]
    return model in deferred or model in snippet_models.get_snippet_models()


# Editors manage the specialty vocabulary as a snippet. Another app may
# register it (or the credential catalogue) too; register it only once.
if not _already_registered(Specialty):
    register_snippet(SpecialtyViewSet)


@hooks.register("register_schema_query")
def register_trainer_query(query_mixins):
    # In front: grapple's hook adds graphene.ObjectType itself, and a subclass
    # listed after its base breaks the MRO of the Query class.
    if TrainerQuery not in query_mixins:
        query_mixins.insert(0, TrainerQuery)

"""Admin of the partner-trainer directory: the trainer listing with its filters,
and the dashboard panel of credentials about to lapse."""

import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet

from cms.dashboard import PANEL_LIMIT
from content.catalogue.models import Credential, Specialty
from content.trainers.models import TrainerCredential, TrainerProfilePage

EXPIRY_WINDOW_DAYS = 30


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


@hooks.register("register_admin_viewset")
def register_trainer_listing():
    return TrainerProfileListingViewSet()


@dataclass
class ExpiringCredential:
    trainer: str
    credential: str
    number: str
    expires_on: datetime.date
    days_left: int
    edit_url: str


class ExpiringCredentialsPanel(Component):
    """Trainer credentials that expire within 30 days, or have just expired."""

    name = "credentials_expiring"
    template_name = "content/dashboard/credentials_expiring.html"
    order = 206

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "rows": self.rows(AdminURLFinder(request.user)),
            "heading": f"Credentials expiring in the next {EXPIRY_WINDOW_DAYS} days",
            "request": request,
        }

    def rows(self, finder):
        today = timezone.localdate()
        window = datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
        # Recently lapsed ones stay listed: a profile may still claim them.
        rows = (
            TrainerCredential.objects.filter(
                expires_on__gte=today - window, expires_on__lte=today + window
            )
            .select_related("credential", "page")
            .order_by("expires_on", "pk")
        )
        result = []
        for row in rows:
            edit_url = finder.get_edit_url(row.page)
            if not edit_url:
                continue
            result.append(
                ExpiringCredential(
                    trainer=row.page.title,
                    credential=row.credential.abbreviation,
                    number=row.number,
                    expires_on=row.expires_on,
                    days_left=(row.expires_on - today).days,
                    edit_url=edit_url,
                )
            )
            if len(result) >= PANEL_LIMIT * 2:
                break
        return result


@hooks.register("construct_homepage_panels")
def add_expiring_credentials_panel(request, panels):
    panels.append(ExpiringCredentialsPanel())

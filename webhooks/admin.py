"""Settings > Webhooks: admins only.

Endpoints are created, edited, tested and rotated here; a secret is shown
once, right after it is made (create or rotate), and never again. The
delivery log is in ``webhooks.delivery_admin``. Only superusers reach any
of it (``SuperusersOnly``), since it holds secrets and receivers' logs.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy

from webhooks import delivery as deliveries
from webhooks.guard import TargetRefused, check_address, split_target
from webhooks.models import (
    CONTENT_TYPES,
    EVENT_TYPES,
    WebhookEndpoint,
)
from webhooks.signing import generate_secret

REVEAL_KEY = "webhooks.reveal"


class SuperusersOnly(BasePermissionPolicy):
    """Every action is for active superusers; ``view`` only where a model's
    rows are a log (``actions``)."""

    def __init__(self, model, actions=None):
        super().__init__(model)
        self.actions = actions

    def user_has_permission(self, user, action):
        allowed = self.actions is None or action in self.actions
        return allowed and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def require_superuser(request):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied


# Endpoints ----------------------------------------------------------------------


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        choices=EVENT_TYPES, widget=forms.CheckboxSelectMultiple
    )
    content_types = forms.MultipleChoiceField(
        choices=CONTENT_TYPES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only events about these; none selected means all.",
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            _scheme, host, _port, _path = split_target(url)
            import ipaddress
            import socket

            try:
                ipaddress.ip_address(host)
                addresses = [host]
            except ValueError:
                infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
                addresses = sorted({info[4][0] for info in infos})
            for address in addresses:
                check_address(address)
        except TargetRefused as exc:
            raise ValidationError(f"This target is refused: {exc}.") from None
        except (OSError, UnicodeError):
            raise ValidationError("This host name does not resolve.") from None
        return url


class EndpointCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.secret = generate_secret()
        instance.save()
        self.request.session[REVEAL_KEY] = {str(instance.pk): instance.secret}
        return instance

    def get_success_url(self):
        return reverse("webhooks_endpoint:reveal", args=(self.object.pk,))

    def get_success_buttons(self):
        return []


class EndpointEditView(generic.EditView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        if instance.active and "active" in self.form.changed_data:
            # Switched on again: start counting failures afresh.
            instance.consecutive_failures = 0
            instance.disabled_at = None
            instance.disabled_reason = ""
        instance.save()
        return instance

    def get_header_more_buttons(self):
        buttons = list(super().get_header_more_buttons())
        pk = self.object.pk
        for label, name, icon, priority in (
            ("Send test event", "send_test", "resubmit", 1),
            ("Rotate secret", "rotate", "key", 2),
            ("Deliveries", "deliveries", "list-ul", 3),
        ):
            buttons.append(
                HeaderButton(
                    label,
                    url=reverse(f"webhooks_endpoint:{name}", args=(pk,)),
                    icon_name=icon,
                    priority=priority,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.disabled_reason and not self.object.active:
            messages.warning(
                self.request,
                f"This webhook was disabled: {self.object.disabled_reason}",
            )
        return context


def _endpoint(request, pk):
    require_superuser(request)
    return get_object_or_404(WebhookEndpoint, pk=pk)


def _render(request, template, title, **context):
    return TemplateResponse(
        request,
        template,
        {
            "page_title": title,
            "header_icon": "link",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "Home"},
                {"url": reverse("webhooks_endpoint:index"), "label": "Webhooks"},
                {"url": "", "label": title},
            ],
            "header_title": title,
            **context,
        },
    )


@require_http_methods(["GET"])
def reveal(request, pk):
    """The secret, once: it leaves the session as it is shown."""
    endpoint = _endpoint(request, pk)
    pending = request.session.get(REVEAL_KEY) or {}
    secret = pending.pop(str(endpoint.pk), None)
    request.session[REVEAL_KEY] = pending
    return _render(
        request,
        "webhooks/reveal.html",
        f"Secret of {endpoint}",
        endpoint=endpoint,
        secret=secret,
        edit_url=reverse("webhooks_endpoint:edit", args=(endpoint.pk,)),
    )


@require_http_methods(["GET", "POST"])
def rotate(request, pk):
    endpoint = _endpoint(request, pk)
    if request.method == "POST":
        endpoint.rotate_secret()
        request.session[REVEAL_KEY] = {str(endpoint.pk): endpoint.secret}
        messages.success(request, "A new secret was made; the old one still signs.")
        return redirect("webhooks_endpoint:reveal", endpoint.pk)
    return _render(
        request,
        "webhooks/confirm.html",
        f"Rotate the secret of {endpoint}",
        message=(
            "A new secret signs every delivery from now on. The current one "
            "keeps signing beside it for the grace period "
            f"({deliveries.settings.WEBHOOK_SECRET_GRACE_HOURS} hours), so "
            "receivers can switch without losing a message."
        ),
        button="Rotate secret",
        cancel_url=reverse("webhooks_endpoint:edit", args=(endpoint.pk,)),
    )


@require_http_methods(["GET", "POST"])
def send_test(request, pk):
    endpoint = _endpoint(request, pk)
    if request.method == "POST":
        deliveries.send_test(endpoint)
        messages.success(request, f"A test event is on its way to {endpoint.url}.")
        return redirect(deliveries_of(endpoint))
    return _render(
        request,
        "webhooks/confirm.html",
        f"Send a test event to {endpoint}",
        message=f"A signed webhook.test event goes to {endpoint.url}.",
        button="Send test event",
        cancel_url=reverse("webhooks_endpoint:edit", args=(endpoint.pk,)),
    )


def deliveries_of(endpoint) -> str:
    return reverse("webhooks_delivery:index") + f"?endpoint={endpoint.pk}"


@require_http_methods(["GET"])
def endpoint_deliveries(request, pk):
    return redirect(deliveries_of(_endpoint(request, pk)))


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link"
    menu_label = "Webhooks"
    add_to_settings_menu = True
    url_prefix = "webhooks/endpoints"
    url_namespace = "webhooks_endpoint"
    copy_view_enabled = False
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    list_display = [
        "name",
        "url",
        "active",
        Column("consecutive_failures", label="Failures in a row"),
        "disabled_reason",
    ]
    list_filter = ["active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("content_types"),
            FieldPanel("active"),
        ],
        base_form_class=WebhookEndpointForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("secret/<int:pk>/", reveal, name="reveal"),
            path("rotate/<int:pk>/", rotate, name="rotate"),
            path("test/<int:pk>/", send_test, name="send_test"),
            path("deliveries/<int:pk>/", endpoint_deliveries, name="deliveries"),
        ]


def warning_html(count: int) -> str:
    return format_html(
        "{} webhook(s) disabled. <a href='{}'>Review them</a>.",
        count,
        reverse("webhooks_endpoint:index") + "?active=false",
    )

"""Settings > Webhook deliveries: the delivery log, admins only.

Every delivery with its status, response code, duration, attempts and a body
excerpt; each can be inspected (its attempts and payload) and replayed.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from webhooks import delivery as deliveries
from webhooks.admin import deliveries_of, require_superuser
from webhooks.models import WebhookDelivery


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "endpoint")

    def get_list_more_buttons(self, instance):
        return []

    def get_list_buttons(self, instance):
        return [
            ListingButton(
                "Replay",
                url=reverse("webhooks_delivery:replay", args=(instance.pk,)),
                icon_name="resubmit",
                priority=10,
            ),
            ListingButton(
                "Attempts",
                url=reverse("webhooks_delivery:inspect", args=(instance.pk,)),
                icon_name="info-circle",
                priority=20,
            ),
        ]


class DeliveryInspectView(generic.InspectView):
    template_name = "webhooks/delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attempts"] = self.object.attempt_log.order_by("number")
        context["payload"] = deliveries.payload(self.object.event).decode()
        context["replay_url"] = reverse(
            "webhooks_delivery:replay", args=(self.object.pk,)
        )
        return context


@require_http_methods(["GET", "POST"])
def replay(request, pk):
    require_superuser(request)
    original = get_object_or_404(
        WebhookDelivery.objects.select_related("event", "endpoint"), pk=pk
    )
    if request.method == "POST":
        if not original.endpoint.active:
            messages.error(request, "The webhook is disabled: switch it on first.")
            return redirect("webhooks_delivery:index")
        deliveries.replay(original)
        messages.success(request, f"{original.event.type} is sent again.")
        return redirect(deliveries_of(original.endpoint))
    return TemplateResponse(
        request,
        "webhooks/confirm.html",
        {
            "page_title": "Replay delivery",
            "header_title": "Replay delivery",
            "header_icon": "resubmit",
            "message": (
                f"Send {original.event.type} (sequence {original.event.pk}) to "
                f"{original.endpoint.url} again, with the same webhook-id."
            ),
            "button": "Replay",
            "cancel_url": reverse("webhooks_delivery:index"),
        },
    )


def _excerpt(delivery) -> str:
    text = delivery.response_excerpt or delivery.error
    return text if len(text) <= 80 else text[:79] + "…"


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = "Webhook deliveries"
    add_to_settings_menu = True
    url_prefix = "webhooks/deliveries"
    url_namespace = "webhooks_delivery"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    form_fields = ["status"]
    list_display = [
        Column("event", label="Event", accessor=lambda d: d.event.type),
        Column("endpoint", label="Webhook", accessor="endpoint"),
        "status",
        Column("response_code", label="Response"),
        Column("duration_ms", label="ms"),
        Column("attempts", label="Attempts"),
        Column("created_at", label="Created"),
        Column("excerpt", label="Body excerpt", accessor=_excerpt),
    ]
    list_filter = ["status", "endpoint"]
    inspect_view_fields = [
        "status",
        "endpoint",
        "attempts",
        "response_code",
        "duration_ms",
        "next_attempt_at",
        "delivered_at",
        "error",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("replay/<int:pk>/", replay, name="replay"),
        ]

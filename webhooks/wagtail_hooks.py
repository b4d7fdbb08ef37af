from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from webhooks.admin import SuperusersOnly, WebhookEndpointViewSet, warning_html
from webhooks.delivery_admin import WebhookDeliveryViewSet
from webhooks.models import WebhookDelivery, WebhookEndpoint

register_permission_policy(WebhookEndpoint, SuperusersOnly(WebhookEndpoint))
register_permission_policy(
    WebhookDelivery, SuperusersOnly(WebhookDelivery, actions={"view"})
)


@hooks.register("register_admin_viewset")
def register_webhook_endpoints():
    return WebhookEndpointViewSet("webhooks_endpoint")


@hooks.register("register_admin_viewset")
def register_webhook_deliveries():
    return WebhookDeliveryViewSet("webhooks_delivery")


class DisabledWebhooksPanel(Component):
    """A warning on the dashboard, for admins, while a webhook is disabled."""

    name = "disabled_webhooks"
    order = 50

    def __init__(self, count: int):
        self.count = count

    def render_html(self, parent_context=None):
        return mark_safe(
            '<section class="w-panel help-block help-warning" '
            "data-disabled-webhooks>"
            f"<p>{warning_html(self.count)}</p></section>"
        )


@hooks.register("construct_homepage_panels")
def warn_about_disabled_webhooks(request, panels):
    if not (request.user.is_active and request.user.is_superuser):
        return
    count = (
        WebhookEndpoint.objects.filter(active=False).exclude(disabled_reason="").count()
    )
    if count:
        panels.append(DisabledWebhooksPanel(count))

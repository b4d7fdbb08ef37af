"""Headless draft preview with signed, expiring, single-object tokens.

When an editor opens the preview panel, Wagtail calls ``serve_preview`` on the
unsaved object built from the edit form. We store that state as a
``PreviewSnapshot`` and send the editor to the frontend with a token signed by
``SECRET_KEY`` (``TimestampSigner``). The frontend runs its usual queries with
the token in the ``X-Preview-Token`` header; the resolvers then return the
snapshot instead of the live object.

A token is scoped to one object (content type + lookup value) and expires
after ``PREVIEW_TOKEN_TTL_SECONDS``. Forged, altered, expired or mismatched
tokens all get the same error, decided before any content lookup, so a token
cannot be used to probe which pages exist.
"""

import json
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone

from cms.graphql.errors import ApiError, ErrorCode

PREVIEW_HEADER = "HTTP_X_PREVIEW_TOKEN"
_SALT = "cms.preview.token"
INVALID_TOKEN_MESSAGE = "The preview token is invalid or has expired."


def token_ttl() -> int:
    return int(getattr(settings, "PREVIEW_TOKEN_TTL_SECONDS", 3600))


class PreviewSnapshot(models.Model):
    """The state of an object as shown in one preview, kept for the token TTL."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64, blank=True)
    lookup = models.CharField(
        max_length=255, help_text="Value the frontend queries by (usually the slug)."
    )
    content_json = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "preview snapshot"

    def __str__(self):
        return f"Preview of {self.content_type} {self.lookup!r}"

    def as_object(self):
        model = self.content_type.model_class()
        obj = model.from_serializable_data(self.content_json, check_fks=False)
        if self.object_id and obj.pk is None:
            obj.pk = self.object_id
        return obj


def preview_lookup(obj) -> str:
    return str(getattr(obj, "slug", "") or obj.pk or "")


def create_preview_token(obj) -> str:
    """Snapshot ``obj`` (saved or not) and return a signed token for it."""
    cutoff = timezone.now() - timedelta(seconds=token_ttl())
    PreviewSnapshot.objects.filter(created_at__lt=cutoff).delete()
    snapshot = PreviewSnapshot.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk or ""),
        lookup=preview_lookup(obj),
        # Same encoding as Wagtail's revisions (dates, decimals, lazy text).
        content_json=json.loads(
            json.dumps(obj.serializable_data(), cls=DjangoJSONEncoder)
        ),
    )
    payload = {"s": snapshot.pk, "ct": snapshot.content_type_id}
    return signing.TimestampSigner(salt=_SALT).sign_object(payload)


def _invalid() -> ApiError:
    return ApiError(INVALID_TOKEN_MESSAGE, code=ErrorCode.INVALID_PREVIEW_TOKEN)


def request_preview_token(request) -> str | None:
    if request is None:
        return None
    return request.META.get(PREVIEW_HEADER) or None


def resolve_preview(request, model, lookup: str | None = None, *, object_id=None):
    """The previewed object for this request, or None when there is no token.

    Raises ``INVALID_PREVIEW_TOKEN`` for a bad token, or a good token issued
    for another object (other type, other lookup value or, when ``object_id``
    is given, another primary key).
    """
    token = request_preview_token(request)
    if token is None:
        return None
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=token_ttl()
        )
        snapshot_id, content_type_id = int(payload["s"]), int(payload["ct"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise _invalid() from None
    expected_ct = ContentType.objects.get_for_model(model)
    if content_type_id != expected_ct.pk:
        raise _invalid()
    snapshot = PreviewSnapshot.objects.filter(
        pk=snapshot_id, content_type_id=content_type_id
    ).first()
    if snapshot is None or (lookup is not None and snapshot.lookup != str(lookup)):
        raise _invalid()
    if object_id is not None and snapshot.object_id != str(object_id):
        raise _invalid()
    return snapshot.as_object()


def frontend_preview_url(obj, token: str) -> str:
    meta = type(obj)._meta
    query = urlencode(
        {
            "contentType": f"{meta.app_label}.{type(obj).__name__}",
            "lookup": preview_lookup(obj),
            "token": token,
        }
    )
    return f"{settings.FRONTEND_BASE_URL}/preview?{query}"


class HeadlessPreviewMixin:
    """Preview on the real frontend instead of a Django template."""

    def serve_preview(self, request, mode_name):
        token = create_preview_token(self)
        return TemplateResponse(
            request,
            "cms/headless_preview.html",
            {
                "object": self,
                "preview_url": frontend_preview_url(self, token),
                "token": token,
                "ttl_minutes": token_ttl() // 60,
            },
        )

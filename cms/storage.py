"""Media on S3-compatible object storage (django-storages), when configured.

``AWS_STORAGE_BUCKET_NAME`` switches the default storage to
``storages.backends.s3.S3Storage`` (``cms/settings/base.py``): original
images, renditions and documents are objects in that bucket. Images and
renditions are public and linked by their plain object URL (the bucket, or
``AWS_S3_CUSTOM_DOMAIN``, must let anyone read ``original_images/`` and
``images/``). Documents are not: ``documents/`` stays private in the bucket,
and ``/documents/<id>/<name>`` answers, after Wagtail's own collection
privacy check (login or password), with a redirect to a URL signed for
``DOCUMENT_URL_TTL_SECONDS`` (60 s by default), so a link to a document in a
private collection stops working soon after it was handed out. The object is
never streamed through the application.
"""

import sys

from django.conf import settings
from django.shortcuts import redirect


def on_object_storage(storage) -> bool:
    # Without an S3 storage configured, boto3 (tens of MB per worker) is
    # never imported: a storage cannot be an S3Storage until its module is.
    s3 = sys.modules.get("storages.backends.s3")
    return s3 is not None and isinstance(storage, s3.S3Storage)


def signed_document_url(document, ttl: int) -> str:
    """A GET URL for ``document``'s object, valid for ``ttl`` seconds, that
    downloads it the way Wagtail's serve view would (type, disposition)."""
    from storages.utils import clean_name

    storage = document.file.storage
    params = {
        "Bucket": storage.bucket_name,
        "Key": storage._normalize_name(clean_name(document.file.name)),
        "ResponseContentDisposition": document.content_disposition,
        "ResponseContentType": document.content_type,
    }
    client = storage.connection.meta.client
    return client.generate_presigned_url("get_object", Params=params, ExpiresIn=ttl)


def serve_document_from_object_storage(document, request):
    """``before_serve_document`` hook, run after Wagtail's privacy check."""
    if not on_object_storage(document.file.storage):
        return None
    response = redirect(
        signed_document_url(document, settings.DOCUMENT_URL_TTL_SECONDS)
    )
    # The signed URL expires: neither the browser nor a proxy may keep it.
    response["Cache-Control"] = "private, no-store"
    return response

"""Refuse malformed Wagtail admin form posts with a 400 instead of a 500.

Wagtail reads StreamField and ListBlock data with bare lookups such as
``int(data["body-count"])`` (``wagtail.blocks.stream_block`` and
``list_block``, ``value_from_datadict``). The admin's JavaScript always sends
those keys, but a hand-crafted POST that omits ``body-count``,
``body-0-type``, ``body-0-deleted`` or ``rows-0-value-cells-count`` raises
``MultiValueDictKeyError``, and a non-numeric ``body-count`` or
``body-0-order`` raises ``ValueError("invalid literal for int() ...")``. Both
happen inside ``form.is_valid()``, before anything is saved.

Inline panel management fields (``article_authors-TOTAL_FORMS`` ...) need no
help: Django 5.2 reports a missing or invalid management form as a form error
("ManagementForm data is missing or has been tampered with") instead of
raising ``ValidationError``, so the editor gets the form back.

Only those exceptions, raised while Wagtail reads the POST body of an admin
request, become a short plain-text 400 and a warning in the ``cms.admin`` log.
Everything else propagates unchanged, so a genuine bug is still a 500 and
still reaches ``django.request`` and error reporting.
"""

import logging
import traceback

from django.http import HttpResponseBadRequest
from django.urls import NoReverseMatch, reverse
from django.utils.datastructures import MultiValueDict, MultiValueDictKeyError

logger = logging.getLogger("cms.admin")

MESSAGE = (
    "Bad request: this form submission is incomplete or malformed, so nothing "
    "was saved. Reload the editor and try again.\n"
)

_MULTIVALUEDICT_GETITEM = MultiValueDict.__getitem__.__code__
_COMPREHENSIONS = {"<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"}


def _admin_prefix() -> str | None:
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


def _raised_by_wagtail_form_reading(exc: BaseException) -> bool:
    """The innermost frame is Wagtail's ``value_from_datadict`` (or the
    ``MultiValueDict`` lookup it made), not any deeper code."""
    frames = [frame for frame, _ in traceback.walk_tb(exc.__traceback__)]
    if frames and frames[-1].f_code is _MULTIVALUEDICT_GETITEM:
        frames.pop()
    while frames and frames[-1].f_code.co_name in _COMPREHENSIONS:
        frames.pop()
    if not frames:
        return False
    frame = frames[-1]
    module = frame.f_globals.get("__name__", "")
    return frame.f_code.co_name == "value_from_datadict" and module.startswith(
        "wagtail."
    )


def _is_malformed_form_data(request, exc: BaseException) -> bool:
    if isinstance(exc, MultiValueDictKeyError):
        # The key Wagtail asked for must really be absent from the post.
        if not exc.args or exc.args[0] in request.POST:
            return False
    elif isinstance(exc, ValueError):
        if not str(exc).startswith("invalid literal for int()"):
            return False
    else:
        return False
    return _raised_by_wagtail_form_reading(exc)


class MalformedAdminPostMiddleware:
    """Turn Wagtail's crashes on hand-crafted admin form posts into a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST":
            return None
        prefix = _admin_prefix()
        if prefix is None or not request.path.startswith(prefix):
            return None
        if not _is_malformed_form_data(request, exception):
            return None
        user = getattr(request, "user", None)
        # Field names only: submitted values stay out of the log.
        detail = (
            f"missing field {exception.args[0]!r}"
            if isinstance(exception, KeyError)
            else "a count or order field is not a whole number"
        )
        logger.warning(
            "Refused a malformed admin form post to %s (user %s): %s",
            request.path,
            getattr(user, "pk", None),
            detail,
        )
        return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")

"""The article page with its engagement: view and comment counts, approved
comments, and the comment form, which posts here and is sent on to the API
as ``submitComment`` (docs/engagement.md, "The reference site")."""

import functools
import logging

from web import api
from web.responses import NotFound, checked, message, page, site_page, typed
from web.views import article_context

logger = logging.getLogger("web")

VIEW_BEACON_PATH = "/api/views/"
# The form's fields are cut here; the API applies its own limits and codes.
COMMENT_FIELD_MAX = 200_000
# API answers that mean "the comment service failed", not "your comment".
COMMENT_SERVICE_CODES = frozenset(
    {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "PERSISTED_QUERY_NOT_ALLOWED"}
)


def _article(request, slug) -> dict:
    data = checked(api.run(request, "ArticleDetail", {"slug": slug}))
    if not data.get("article"):
        raise NotFound("We could not find that article.")
    return data


def _engagement(request, slug) -> dict:
    """Counts, approved comments and the comment policy (ArticleEngagement)."""
    result = api.run(request, "ArticleEngagement", {"slug": slug})
    if result.errors and not result.data.get("article"):
        logger.warning("article engagement unavailable: %s", result.codes)
        return {}
    return typed(result.data.get("article") or {})


def _comment_form(request, engagement) -> dict:
    """A fresh single-use form token from the API's form URL, if comments are
    open: ``{"token": ...}``, or ``{"unavailable": True}`` when the API does
    not give one."""
    policy = engagement.get("commentPolicy") or {}
    if not policy.get("open") or not policy.get("formTokenUrl"):
        return {}
    try:
        result = api.get_json(request, policy["formTokenUrl"])
    except api.ApiUnavailable:
        return {"unavailable": True}
    token = result.data.get("formToken") if result.status == 200 else None
    if not token or not result.data.get("open"):
        return {"unavailable": True}
    return {"token": token}


def _article_response(request, data, engagement, *, outcome=None, values=None):
    context = article_context(data)
    form = {}
    # After a comment was accepted the page says so and offers no new form.
    if not (outcome and outcome["accepted"]):
        form = _comment_form(request, engagement)
    context.update(
        engagement=engagement,
        comment_form=form,
        comment_outcome=outcome,
        comment_values=values or {},
        beacon_url=api.api_url(request, VIEW_BEACON_PATH) if engagement else "",
    )
    status = outcome["status"] if outcome else 200
    personal = bool(form.get("token")) or request.method == "POST"
    return page(request, "web/article.html", context, status=status, personal=personal)


@functools.partial(site_page, methods=["GET", "HEAD", "POST"])
def article(request, slug):
    if request.method == "POST":
        return comment(request, slug)
    data = _article(request, slug)
    return _article_response(request, data, _engagement(request, slug))


def _same_origin(request) -> bool:
    """A browser names the posting page's origin; another site's form fails."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in {
        "same-origin",
        "none",
    }:
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.get_host()}"


def _refusal(result: api.Result) -> dict:
    """What to tell the reader when the API did not accept the comment."""
    error = result.errors[0] if result.errors else {}
    code = (error.get("extensions") or {}).get("code", "")
    if code in COMMENT_SERVICE_CODES or not error:
        return {
            "accepted": False,
            "status": 503,
            "code": code or f"HTTP_{result.status}",
            "text": "Comments cannot be sent right now. Please try again later.",
        }
    return {
        "accepted": False,
        "status": 429 if code == "RATE_LIMITED" else 400,
        "code": code,
        "text": error.get("message") or "Your comment was not accepted.",
    }


def comment(request, slug):
    """The comment form's POST: sent on to the API as ``submitComment``."""
    if not _same_origin(request):
        return message(
            request,
            403,
            "Comment not sent",
            "Comments can only be sent from this site's own article pages.",
            private=True,
        )
    data = _article(request, slug)
    engagement = _engagement(request, slug)
    values = {
        key: request.POST.get(key, "")[:COMMENT_FIELD_MAX]
        for key in ("name", "email", "body", "website", "formToken")
    }
    if not engagement.get("id"):
        raise api.ApiUnavailable("The article's comments are unavailable.")
    variables = {
        "article": engagement["id"],
        "name": values["name"],
        "email": values["email"] or None,
        "body": values["body"],
        "website": values["website"] or None,
        "formToken": values["formToken"],
    }
    try:
        result = api.submit_comment(request, variables)
    except api.ApiUnavailable as error:
        status = 429 if "429" in str(error) else 503
        outcome = {
            "accepted": False,
            "status": status,
            "code": f"HTTP_{status}",
            "text": "Comments cannot be sent right now. Please try again in a minute.",
        }
        return _article_response(request, data, engagement, outcome=outcome)
    payload = result.data.get("submitComment") or {}
    if payload.get("accepted") and not result.errors:
        outcome = {"accepted": True, "status": 200, "text": payload["message"]}
        return _article_response(request, data, engagement, outcome=outcome)
    values.pop("formToken")
    return _article_response(
        request, data, engagement, outcome=_refusal(result), values=values
    )

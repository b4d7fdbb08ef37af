"""HTTP endpoints: the view beacon, the comment form token, the delete link.

The beacon is ``POST /api/views/`` rather than a GraphQL mutation: browsers
send it with ``navigator.sendBeacon`` as the reader leaves or reads, which
can neither set the ``X-Requested-With`` header mutations need nor wait for
an answer; it costs no GraphQL parse, validation or cost walk; and it never
touches the response cache, so article responses stay cacheable. A view is
counted later (the worker flushes the counters), so it answers 204 at once.

The form token cannot ride on a GraphQL response: those are cached and
shared, and a token is good for one comment. ``GET /api/comments/form/``
issues one per reader, never cached, with the form's settings.
"""

import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.template import engines
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cms.db import parse_pk
from cms.graphql import ratelimit
from content.engagement import counting, selectors, services, tokens
from content.engagement.models import Comment

logger = logging.getLogger("content.engagement")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status=status,
    )


@never_cache
@require_GET
def comment_form(request):
    article = services.public_article(request.GET.get("article"))
    if article is None:
        return _error(404, "NOT_FOUND", "No such article.")
    policy = selectors.comment_settings()
    is_open = services.comments_open(article, policy)
    return JsonResponse(
        {
            "article": str(article.pk),
            "open": is_open,
            "formToken": tokens.issue_form_token(article.pk) if is_open else None,
            "minimumFillSeconds": settings.COMMENT_MIN_FILL_SECONDS,
            "expiresInSeconds": settings.COMMENT_TOKEN_MAX_AGE_SECONDS,
            "healthDisclaimer": policy.health_disclaimer,
        }
    )


PAGE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="robots" content="noindex"><title>Delete your comment</title></head>
<body><main>{% if done %}<h1>Your comment was deleted.</h1>{% else %}
<h1>Delete your comment?</h1><blockquote>{{ comment.body|linebreaksbr }}</blockquote>
<form method="post">{% csrf_token %}<button type="submit">Delete it</button></form>
{% endif %}</main></body></html>"""
)


@never_cache
@require_http_methods(["GET", "POST"])
def delete_comment(request, token):
    """GET shows the comment and a button (link scanners only GET); POST
    deletes it. The signed link names the comment and its author's email."""
    found = tokens.read_delete_token(token)
    if found is None:
        raise Http404("Not a valid link.")
    comment_id, email = found
    comment = Comment.objects.filter(pk=comment_id, is_staff_reply=False).first()
    if comment is None or comment.email.lower() != email:
        raise Http404("No such comment.")
    done = request.method == "POST"
    if done:
        services.delete_comment(comment)
    return HttpResponse(PAGE.render({"comment": comment, "done": done}, request))


MAX_BEACON_BYTES = 1024


@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def record_view(request):
    """Count one view of an article: ``{"article": "<id>"}`` as JSON, or as
    text (``sendBeacon`` sends strings as text/plain). 204 whether or not
    the view counted (a bot, a prefetch or a repeat reader is not)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0  # as Django reads it; the read below is bounded anyway
    if declared > MAX_BEACON_BYTES:
        return _error(413, "REQUEST_TOO_LARGE", "The beacon body is too large.")
    try:
        data = json.loads(request.read(MAX_BEACON_BYTES + 1).decode("utf-8"))
        article_id = parse_pk(data["article"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        article_id = None
    if article_id is None:
        return _error(400, "BAD_REQUEST", 'Send {"article": "<id>"}.')
    retry = ratelimit.over_limit(
        "view", request, limit=settings.VIEW_RATE_LIMIT, window=60
    )
    if retry is not None:
        response = _error(429, "RATE_LIMITED", "Too many requests; retry later.")
        response["Retry-After"] = str(retry)
        return response
    user_agent = request.headers.get("User-Agent", "")
    if counting.is_bot(user_agent) or counting.is_prefetch(request):
        return HttpResponse(status=204)
    if services.public_article(article_id) is None:
        return _error(404, "NOT_FOUND", "No such article.")
    address = ratelimit.client_id(request)
    try:
        counting.record(article_id, address, user_agent[:512])
    except counting.CounterUnavailable:
        logger.warning("view counters unavailable", exc_info=True)
        response = _error(503, "SERVICE_UNAVAILABLE", "Try again later.")
        response["Retry-After"] = "5"
        return response
    return HttpResponse(status=204)

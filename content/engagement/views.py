"""HTTP endpoints: the comment form token and the author's delete link.

The form token cannot ride on a GraphQL response: those are cached and
shared, and a token is good for one comment. ``GET /api/comments/form/``
issues one per reader, never cached, with the form's settings.
"""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.template import engines
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from content.engagement import services, tokens
from content.engagement.models import Comment, CommentSettings


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
    policy = CommentSettings.load(request_or_site=request)
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

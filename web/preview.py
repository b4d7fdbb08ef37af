"""The admin's preview panel: a draft rendered by the live page's template."""

import re

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from web import api
from web.responses import (
    finish,
    message,
    site_layout,
    typed,
)
from web.views import (
    article_context,
    home_context,
    table_context,
    trainer_context,
)

INVALID_PREVIEW = (
    "This preview link is invalid or has expired. Reopen the preview from the "
    "admin to get a fresh link."
)
# What the admin's preview panel can open here: model name -> the live page's
# operation, the root field it answers and the template that renders it.
PREVIEWS = {
    "ArticlePage": ("ArticleDetail", "article", "web/article.html"),
    "ComparisonTable": ("ComparisonTable", "comparisonTable", "web/table.html"),
    "TrainerProfilePage": ("TrainerProfile", "trainer", "web/trainer.html"),
    "HomePage": ("HomePage", "homePage", "web/home.html"),
}

CONTEXTS = {
    "article": article_context,
    "comparisonTable": table_context,
    "trainer": trainer_context,
    "homePage": home_context,
}
TOKEN = re.compile(r"^[A-Za-z0-9_:\-.=]{1,2000}$")


def expired_preview(request):
    return message(request, 403, "Preview link expired", INVALID_PREVIEW, private=True)


@csrf_exempt
@require_safe
def preview(request):
    """The admin's preview panel: the live page's operation, with the token."""
    content_type = request.GET.get("contentType", "")
    lookup = request.GET.get("lookup", "")
    token = request.GET.get("token", "")
    model = content_type.rsplit(".", 1)[-1]
    if model not in PREVIEWS:
        return message(
            request,
            400,
            "No preview for this content",
            "This site has no page for that kind of content.",
            private=True,
        )
    if not TOKEN.match(token):
        return expired_preview(request)
    operation, field, template = PREVIEWS[model]
    variables = {} if model == "HomePage" else {"slug": lookup}
    try:
        result = api.run_preview(request, operation, variables, token)
        layout = site_layout(request)
    except api.ApiUnavailable:
        return message(
            request,
            503,
            "Preview unavailable",
            "The content service is not answering right now. Reload the preview "
            "in a minute.",
            private=True,
            layout=False,
        )
    if "INVALID_PREVIEW_TOKEN" in result.codes:
        return expired_preview(request)
    if not result.data.get(field):
        return message(
            request,
            404,
            "Nothing to preview",
            "The content for this preview was not found.",
            private=True,
        )
    context = {**layout, **CONTEXTS[field](typed(result.data)), "preview": True}
    response = render(request, template, context)
    return finish(response, private=True)

"""The site's pages, each rendered from one API operation (or a few)."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from web import api
from web.responses import (
    BadRequest,
    NotFound,
    checked,
    finish,
    page,
    page_number,
    pagination,
    site_page,
    slug_param,
)

ARTICLES_PER_PAGE = 6
RESULTS_PER_PAGE = 10
SEARCH_TYPES = {
    "article": ("ARTICLE", "Articles"),
    "table": ("COMPARISON_TABLE", "Comparison tables"),
    "trainer": ("TRAINER", "Trainers"),
}


# --- pages ------------------------------------------------------------------------


@site_page
def home(request):
    data = checked(api.run(request, "HomePage"))
    if not data.get("homePage"):
        raise NotFound("The home page has not been published yet.")
    return page(request, "web/home.html", home_context(data))


def home_context(data) -> dict:
    return {"home": data["homePage"]}


@site_page
def article_list(request):
    number = page_number(request)
    tag = slug_param(request, "tag")
    data = checked(
        api.run(
            request,
            "ArticleList",
            {
                "limit": ARTICLES_PER_PAGE,
                "offset": (number - 1) * ARTICLES_PER_PAGE,
                "tag": tag,
                "order": "NEWEST",
            },
        )
    )
    articles = data["articles"]
    tags = data["articleTags"]["items"]
    current = next((t for t in tags if t["slug"] == tag), None)
    if tag and current is None:
        raise NotFound(f"No published article is tagged “{tag}”.")
    if number > 1 and not articles["items"]:
        raise NotFound(f"There is no page {number} of articles.")
    return page(
        request,
        "web/article_list.html",
        {
            "nav": "articles",
            "articles": articles,
            "tags": tags,
            "current_tag": current,
            "pagination": pagination(
                request, number, articles["totalCount"], ARTICLES_PER_PAGE
            ),
        },
    )


def article_context(data) -> dict:
    return {"article": data["article"], "nav": "articles"}


@site_page
def comparison_table(request, slug):
    data = checked(api.run(request, "ComparisonTable", {"slug": slug}))
    if not data.get("comparisonTable"):
        raise NotFound("We could not find that comparison table.")
    return page(request, "web/table.html", table_context(data))


def table_context(data) -> dict:
    return {"table": data["comparisonTable"]}


@site_page
def trainer(request, slug):
    data = checked(api.run(request, "TrainerProfile", {"slug": slug}))
    if not data.get("trainer"):
        raise NotFound("We could not find that trainer.")
    return page(request, "web/trainer.html", trainer_context(data))


def trainer_context(data) -> dict:
    return {"trainer": data["trainer"], "nav": "trainers"}


@site_page
def search(request):
    query = request.GET.get("q", "").strip()
    if len(query) > 200:
        raise BadRequest("Search for at most 200 characters.")
    kind = request.GET.get("type", "")
    if kind and kind not in SEARCH_TYPES:
        raise BadRequest("Choose what to search from the list.")
    number = page_number(request)
    context = {
        "nav": "search",
        "query": query,
        "kind": kind,
        "types": [(key, label) for key, (_, label) in SEARCH_TYPES.items()],
    }
    if query:
        variables = {
            "query": query,
            "limit": RESULTS_PER_PAGE,
            "offset": (number - 1) * RESULTS_PER_PAGE,
        }
        if kind:
            variables["types"] = [SEARCH_TYPES[kind][0]]
        results = checked(api.run(request, "Search", variables))["search"]
        suggestions = checked(
            api.run(request, "SearchSuggestions", {"prefix": query[:50], "limit": 5})
        )["searchSuggestions"]
        context.update(
            results=results,
            suggestions=suggestions,
            pagination=pagination(
                request, number, results["totalCount"], RESULTS_PER_PAGE
            ),
        )
    return page(request, "web/search.html", context)


@csrf_exempt
@require_safe
def search_suggestions(request):
    """Type-ahead for the search box (site.js): titles starting with ``prefix``."""
    prefix = request.GET.get("prefix", "").strip()
    if not 1 <= len(prefix) <= 50:
        response = JsonResponse({"error": "prefix: 1 to 50 characters"}, status=400)
        return finish(response)
    try:
        result = api.run(request, "SearchSuggestions", {"prefix": prefix, "limit": 5})
    except api.ApiUnavailable:
        return finish(JsonResponse({"error": "unavailable"}, status=503))
    if result.client_error():
        return finish(JsonResponse({"error": result.client_error()}, status=400))
    from web.templatetags.site import local_url

    items = [
        {"title": s["title"], "type": s["type"], "url": local_url(s["url"])}
        for s in result.data.get("searchSuggestions") or []
    ]
    return finish(JsonResponse({"suggestions": items}))

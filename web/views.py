"""Pages of the reference site. Every byte of content comes from ``web.api``."""

import contextlib
import functools
import math
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from web import api

ARTICLES_PER_PAGE = 6
TRAINERS_PER_PAGE = 10
RESULTS_PER_PAGE = 10
MAX_PAGE = 10_000
SLUG = re.compile(r"^[-\w]{1,255}$")
RADII_KM = (10, 25, 50, 100, 200)
DEFAULT_RADIUS_KM = 50
SERVICES = (
    ("IN_PERSON", "In person"),
    ("VIRTUAL", "Virtual"),
    ("GROUP", "Group"),
)
ORDERS = (
    ("NAME", "Name"),
    ("DISTANCE", "Distance"),
    ("RECENTLY_UPDATED", "Recently updated"),
)
SEARCH_TYPES = {
    "article": ("ARTICLE", "Articles"),
    "table": ("COMPARISON_TABLE", "Comparison tables"),
    "trainer": ("TRAINER", "Trainers"),
}
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


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


# --- response plumbing ------------------------------------------------------------


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def frame_ancestors() -> str:
    """The admin (same origin, or WAGTAILADMIN_BASE_URL's) may frame the site."""
    sources = ["'self'"]
    admin = _origin(getattr(settings, "WAGTAILADMIN_BASE_URL", ""))
    if admin:
        sources.append(admin)
    if settings.DEBUG:
        # make run: the admin may be open as localhost or 127.0.0.1, any port.
        sources += ["http://localhost:*", "http://127.0.0.1:*"]
    return " ".join(dict.fromkeys(sources))


def _finish(response, *, private=False):
    # The preview panel frames these pages; nobody else may.
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = (
        f"frame-ancestors {frame_ancestors()}; object-src 'none'; base-uri 'self'"
    )
    if private:
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    elif response.status_code == 200:
        max_age = int(getattr(settings, "GRAPHQL_CACHE_MAX_AGE", 60))
        response["Cache-Control"] = f"public, max-age={max_age}"
    else:
        response["Cache-Control"] = "no-store"
    return response


def _layout(request) -> dict:
    result = api.run(request, "OrganisationSettings")
    return {"org": result.data.get("organisationSettings") or {}}


def page(request, template, context, *, status=200, private=False):
    context = {**_layout(request), **context}
    response = render(request, template, context, status=status)
    return _finish(response, private=private)


def message(request, status, title, text, *, private=False, layout=True):
    context = {"title": title, "text": text, "status": status}
    if layout:
        with contextlib.suppress(api.ApiUnavailable):
            context.update(_layout(request))
    response = render(request, "web/message.html", context, status=status)
    return _finish(response, private=private)


def site_page(view):
    """GET/HEAD only; API failures and bad input become clear 503/400/404 pages."""

    @csrf_exempt  # no form here posts: a POST gets 405, not a CSRF 403
    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return message(request, 400, "That request did not work", str(error))
        except NotFound as error:
            return message(request, 404, "Page not found", str(error))
        except api.ApiUnavailable:
            response = message(
                request,
                503,
                "Content is unavailable",
                "The content service is not answering right now. "
                "Please try again in a minute.",
                layout=False,
            )
            response["Retry-After"] = "30"
            return response

    return wrapper


def typed(value):
    """``__typename`` also as ``typename``: templates cannot read underscores."""
    if isinstance(value, dict):
        if "__typename" in value:
            value["typename"] = value["__typename"]
        for item in value.values():
            typed(item)
    elif isinstance(value, list):
        for item in value:
            typed(item)
    return value


def _checked(result: api.Result) -> dict:
    problem = result.client_error()
    if problem:
        raise BadRequest(problem)
    return typed(result.data)


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"“{raw[:20]}” is not a page number.")
    return int(raw)


def _slug_param(request, name) -> str | None:
    value = request.GET.get(name) or None
    if value is not None and not SLUG.match(value):
        raise BadRequest(f"“{value[:40]}” is not a valid {name}.")
    return value


def _pagination(request, number, total, per_page) -> dict:
    pages = max(math.ceil(total / per_page), 1)

    def link(n):
        query = request.GET.copy()
        query["page"] = str(n)
        return "?" + query.urlencode()

    return {
        "number": number,
        "pages": pages,
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < pages else None,
    }


# --- pages ------------------------------------------------------------------------


@site_page
def home(request):
    data = _checked(api.run(request, "HomePage"))
    if not data.get("homePage"):
        raise NotFound("The home page has not been published yet.")
    return page(request, "web/home.html", home_context(data))


def home_context(data) -> dict:
    return {"home": data["homePage"]}


@site_page
def article_list(request):
    number = _page_number(request)
    tag = _slug_param(request, "tag")
    data = _checked(
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
            "pagination": _pagination(
                request, number, articles["totalCount"], ARTICLES_PER_PAGE
            ),
        },
    )


@site_page
def article(request, slug):
    data = _checked(api.run(request, "ArticleDetail", {"slug": slug}))
    if not data.get("article"):
        raise NotFound("We could not find that article.")
    return page(request, "web/article.html", article_context(data))


def article_context(data) -> dict:
    return {"article": data["article"], "nav": "articles"}


@site_page
def comparison_table(request, slug):
    data = _checked(api.run(request, "ComparisonTable", {"slug": slug}))
    if not data.get("comparisonTable"):
        raise NotFound("We could not find that comparison table.")
    return page(request, "web/table.html", table_context(data))


def table_context(data) -> dict:
    return {"table": data["comparisonTable"]}


@site_page
def trainer(request, slug):
    data = _checked(api.run(request, "TrainerProfile", {"slug": slug}))
    if not data.get("trainer"):
        raise NotFound("We could not find that trainer.")
    return page(request, "web/trainer.html", trainer_context(data))


def trainer_context(data) -> dict:
    return {"trainer": data["trainer"], "nav": "trainers"}


def _float_param(request, name, low, high) -> float | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"“{raw[:20]}” is not a number ({name}).") from None
    if not (low <= value <= high) or math.isnan(value):
        raise BadRequest(f"{name} must be between {low} and {high}.")
    return value


def _directory_request(request) -> dict:
    """The directory form, read and checked: what the API will be asked."""
    get = request.GET
    specialties = [s for s in get.getlist("specialty") if s]
    credentials = [c for c in get.getlist("credential") if c]
    for value in specialties + credentials:
        if not SLUG.match(value):
            raise BadRequest(f"“{value[:40]}” is not a valid filter value.")
    services = [s for s in get.getlist("service") if s]
    if any(s not in dict(SERVICES) for s in services):
        raise BadRequest("Choose services from the list.")
    query = get.get("q", "").strip()[:100] or None
    latitude = _float_param(request, "lat", -90, 90)
    longitude = _float_param(request, "lng", -180, 180)
    if (latitude is None) != (longitude is None):
        raise BadRequest("Give both a latitude and a longitude.")
    near_city = get.get("near", "").strip()
    if near_city and ", " not in near_city:
        raise BadRequest("Choose a city from the list.")
    radius = get.get("radius", str(DEFAULT_RADIUS_KM))
    if radius not in {str(r) for r in RADII_KM}:
        raise BadRequest("Choose a distance from the list.")
    order = get.get("order") or None
    if order is not None and order not in dict(ORDERS):
        raise BadRequest("Choose an order from the list.")
    filters = {
        "specialties": specialties or None,
        "credentials": credentials or None,
        "services": services or None,
        "query": query,
        "acceptingNewClients": True if get.get("accepting") == "1" else None,
    }
    return {
        "filter": {k: v for k, v in filters.items() if v is not None},
        "latitude": latitude,
        "longitude": longitude,
        "near_city": near_city,
        "radius": int(radius),
        "order": order,
        "chosen": {
            "specialties": specialties,
            "credentials": credentials,
            "services": services,
            "q": query or "",
            "accepting": get.get("accepting") == "1",
        },
    }


def _city_point(request, near_city) -> tuple[float, float]:
    """A city from the picker, placed where the directory's trainers there are."""
    city, state = near_city.rsplit(", ", 1)
    data = _checked(
        api.run(
            request,
            "TrainerDirectory",
            {"filter": {"city": city, "state": state}, "limit": 1, "order": "NAME"},
        )
    )
    items = data["trainers"]["items"]
    location = items[0]["location"] if items else {}
    if location.get("latitude") is None or location.get("longitude") is None:
        raise BadRequest(f"We do not know where {near_city} is.")
    return location["latitude"], location["longitude"]


@site_page
def trainer_directory(request):
    number = _page_number(request)
    asked = _directory_request(request)
    # Every option the form offers: the whole directory's facets. The same
    # GET for every visitor, so the API's caches answer it.
    everyone = _checked(
        api.run(request, "TrainerDirectory", {"limit": 1, "order": "NAME"})
    )["trainers"]["facets"]
    near = None
    if asked["latitude"] is not None:
        near = (asked["latitude"], asked["longitude"])
    elif asked["near_city"]:
        near = _city_point(request, asked["near_city"])
    order = asked["order"] or ("DISTANCE" if near else "NAME")
    if order == "DISTANCE" and near is None:
        order = "NAME"
    variables = {
        "filter": asked["filter"] or None,
        "order": order,
        "limit": TRAINERS_PER_PAGE,
        "offset": (number - 1) * TRAINERS_PER_PAGE,
    }
    if near:
        variables["near"] = {
            "latitude": near[0],
            "longitude": near[1],
            "radiusKm": asked["radius"],
        }
    trainers = _checked(api.run(request, "TrainerDirectory", variables))["trainers"]
    if number > 1 and not trainers["items"]:
        raise NotFound(f"There is no page {number} of trainers.")
    counts = trainers["facets"]
    return page(
        request,
        "web/directory.html",
        {
            "nav": "trainers",
            "trainers": trainers,
            "specialties": _options(
                everyone["specialties"], counts["specialties"], "slug", "name"
            ),
            "credentials": _options(
                everyone["credentials"], counts["credentials"], "slug", "abbreviation"
            ),
            "cities": sorted(
                f"{c['name']}, {c['state']}" for c in everyone["cities"] if c["name"]
            ),
            "services": SERVICES,
            "orders": ORDERS,
            "radii": RADII_KM,
            "chosen": asked["chosen"],
            "near_city": asked["near_city"],
            "near_point": asked["latitude"] is not None,
            "latitude": asked["latitude"],
            "longitude": asked["longitude"],
            "radius": asked["radius"],
            "order": order,
            "pagination": _pagination(
                request, number, trainers["totalCount"], TRAINERS_PER_PAGE
            ),
        },
    )


def _options(every, matching, key, label) -> list[dict]:
    """Each option of the whole directory with its count in the current result."""
    counts = {item[key]: item["count"] for item in matching}
    options = (
        {"value": item[key], "label": item[label], "count": counts.get(item[key], 0)}
        for item in every
    )
    return sorted(options, key=lambda option: option["label"].lower())


@site_page
def search(request):
    query = request.GET.get("q", "").strip()
    if len(query) > 200:
        raise BadRequest("Search for at most 200 characters.")
    kind = request.GET.get("type", "")
    if kind and kind not in SEARCH_TYPES:
        raise BadRequest("Choose what to search from the list.")
    number = _page_number(request)
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
        results = _checked(api.run(request, "Search", variables))["search"]
        suggestions = _checked(
            api.run(request, "SearchSuggestions", {"prefix": query[:50], "limit": 5})
        )["searchSuggestions"]
        context.update(
            results=results,
            suggestions=suggestions,
            pagination=_pagination(
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
        return _finish(response)
    try:
        result = api.run(request, "SearchSuggestions", {"prefix": prefix, "limit": 5})
    except api.ApiUnavailable:
        return _finish(JsonResponse({"error": "unavailable"}, status=503))
    if result.client_error():
        return _finish(JsonResponse({"error": result.client_error()}, status=400))
    from web.templatetags.site import local_url

    items = [
        {"title": s["title"], "type": s["type"], "url": local_url(s["url"])}
        for s in result.data.get("searchSuggestions") or []
    ]
    return _finish(JsonResponse({"suggestions": items}))


# --- preview ----------------------------------------------------------------------

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
        layout = _layout(request)
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
    return _finish(response, private=True)

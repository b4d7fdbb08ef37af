"""What ``make bench`` sends: the GraphQL operations and the REST baseline.

This is the one file to edit when the schema changes. Each operation has a
name (used as ``queries_per_request.<name>`` in the results), the query text,
a variables generator and its weight in the uncached mix (percent). Every
operation of the frontend contract is here: the ones with a weight make up the
mix, and all of them are measured for SQL queries and bytes per request.

``run.py`` checks every operation against the real schema before the load
starts. One that fails (an unknown field, a GraphQL error) is replaced by
``PLACEHOLDER_QUERY`` and listed under ``meta.placeholders`` in the results,
so the plumbing still runs end to end while the API is being built, and
nobody mistakes those numbers for the real thing. ``BENCH_STRICT=1`` makes
that a hard failure instead.

``collect_fixtures`` runs inside Django (production settings, the bench
database) and gathers the slugs and terms that the generators pick from.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random

from bench.config import SEED_ARTICLE_SLUG
from content.articles.bench import ARTICLE_LIST_API_FIELDS

# --- GraphQL -----------------------------------------------------------------

PLACEHOLDER_QUERY = "query Placeholder { __typename apiVersion }"


@dataclass(frozen=True)
class Operation:
    name: str
    query: str
    variables: Callable[[dict, Random], dict]
    weight: int  # share of the uncached mix, in percent (0: measured only)
    group: str  # "list", "detail", "trainers", "search" or "page"


# The real client operations from the frontend contract, so the benchmark
# measures exactly what the web frontend and the app send.
_OPERATIONS_DIR = (
    Path(__file__).resolve().parent.parent / "frontend_contract" / ("operations")
)


def _contract(name: str) -> str:
    return (_OPERATIONS_DIR / f"{name}.graphql").read_text()


ARTICLE_LIST_QUERY = _contract("ArticleList")
ARTICLE_DETAIL_QUERY = _contract("ArticleDetail")
TRAINER_FILTERED_QUERY = _contract("TrainerDirectory")
TRAINER_NEAR_QUERY = TRAINER_FILTERED_QUERY
SEARCH_QUERY = _contract("Search")
# Not in the load mix; measured for SQL and bytes per request.
MEASURED_ONLY = {
    "articleEngagement": "ArticleEngagement",
    "comparisonTable": "ComparisonTable",
    "credentialCatalogue": "CredentialCatalogue",
    "homePage": "HomePage",
    "organisationSettings": "OrganisationSettings",
    "searchSuggestions": "SearchSuggestions",
    "trainerProfile": "TrainerProfile",
    "trainerSync": "TrainerSync",
}


def _article_list_vars(fx: dict, rng: Random) -> dict:
    pages = max(1, min(fx.get("article_count", 0), 200) // 10)
    return {"limit": 10, "offset": 10 * rng.randrange(pages)}


def _article_detail_vars(fx: dict, rng: Random) -> dict:
    slugs = fx.get("article_slugs") or ["physical-therapy-or-personal-training"]
    return {"slug": rng.choice(slugs)}


SPECIALTIES = [
    "strength-and-conditioning",
    "post-rehab",
    "sports-performance",
    "older-adults",
    "youth-athletes",
]


def _trainer_filtered_vars(fx: dict, rng: Random) -> dict:
    return {
        "filter": {"specialties": [rng.choice(SPECIALTIES)], "state": "WI"},
        "order": "NAME",
        "limit": 20,
        "offset": 20 * rng.randrange(5),
    }


def _trainer_near_vars(fx: dict, rng: Random) -> dict:
    # Around Madison, Wisconsin; jitter so the cache cannot help.
    lat = 43.07 + rng.uniform(-0.3, 0.3)
    lng = -89.40 + rng.uniform(-0.3, 0.3)
    return {
        "near": {"latitude": round(lat, 4), "longitude": round(lng, 4), "radiusKm": 50},
        "order": "DISTANCE",
        "limit": 20,
    }


def _search_vars(fx: dict, rng: Random) -> dict:
    terms = fx.get("search_terms") or ["physical therapy", "trainer", "knee"]
    return {"query": rng.choice(terms), "limit": 10}


def _comparison_table_vars(fx: dict, rng: Random) -> dict:
    slugs = fx.get("table_slugs") or ["physical-therapists-vs-personal-trainers"]
    return {"slug": rng.choice(slugs)}


def _trainer_profile_vars(fx: dict, rng: Random) -> dict:
    slugs = fx.get("trainer_slugs") or ["maya-lindqvist"]
    return {"slug": rng.choice(slugs)}


def _search_suggestions_vars(fx: dict, rng: Random) -> dict:
    terms = fx.get("search_terms") or ["physical"]
    return {"prefix": rng.choice(terms)[:4], "limit": 5}


def _fixed(variables: dict) -> Callable[[dict, Random], dict]:
    return lambda fx, rng: dict(variables)


_MEASURED_ONLY_VARS = {
    "articleEngagement": _article_detail_vars,
    "comparisonTable": _comparison_table_vars,
    "credentialCatalogue": _fixed({"limit": 50, "offset": 0}),
    "homePage": _fixed({}),
    "organisationSettings": _fixed({}),
    "searchSuggestions": _search_suggestions_vars,
    "trainerProfile": _trainer_profile_vars,
    # The first page of a full sync: the largest batch the app asks for.
    "trainerSync": _fixed({"cursor": None, "limit": 50}),
}

OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in [
        Operation("articleList", ARTICLE_LIST_QUERY, _article_list_vars, 35, "list"),
        Operation(
            "articleDetail", ARTICLE_DETAIL_QUERY, _article_detail_vars, 35, "detail"
        ),
        Operation(
            "trainerDirectory",
            TRAINER_FILTERED_QUERY,
            _trainer_filtered_vars,
            10,
            "trainers",
        ),
        Operation(
            "trainersNearMe", TRAINER_NEAR_QUERY, _trainer_near_vars, 10, "trainers"
        ),
        Operation("search", SEARCH_QUERY, _search_vars, 10, "search"),
        *(
            Operation(name, _contract(file), _MEASURED_ONLY_VARS[name], 0, "page")
            for name, file in MEASURED_ONLY.items()
        ),
    ]
}
# The uncached mix: list 35%, detail 35%, trainers 20%, search 10%.
MIX = {name: op for name, op in OPERATIONS.items() if op.weight}

# The operations the single-operation scenarios use.
LIST_OPERATION = "articleList"
DETAIL_OPERATION = "articleDetail"
# The cached scenario repeats this many distinct requests per operation, so
# after the first round nearly every request is a response-cache hit.
CACHED_DISTINCT_REQUESTS = 8
# How GraphQL requests travel: "POST" (JSON body) or "GET" (query string).
TRANSPORT = "POST"
# Header that makes the response cache step aside (honoured only when
# settings.BENCH_ENDPOINTS is true).
BYPASS_CACHE_HEADER = "X-Bench-Bypass-Cache"

# --- Wagtail REST API v2 baseline ---------------------------------------------

ARTICLE_PAGE_TYPE = "content.ArticlePage"
FALLBACK_PAGE_TYPE = "home.HomePage"  # until articles exist on this branch
# Asked for in the list: the page metadata plus the fields that match the
# GraphQL ArticleList items (content/articles/bench.py); names the model does
# not expose are dropped (and noted) by the probe.
API_V2_LIST_FIELDS = ["slug", "first_published_at", *ARTICLE_LIST_API_FIELDS]
API_V2_LIST_LIMIT = 10


def collect_fixtures() -> dict:
    """Slugs, ids and search terms from the bench database (live, public)."""
    from django.apps import apps
    from wagtail.models import Page

    fixtures: dict = {"notes": []}
    page_type = ARTICLE_PAGE_TYPE
    try:
        model = apps.get_model(*ARTICLE_PAGE_TYPE.split("."))
    except LookupError:
        page_type = FALLBACK_PAGE_TYPE
        model = apps.get_model(*FALLBACK_PAGE_TYPE.split("."))
        fixtures["notes"].append(
            f"{ARTICLE_PAGE_TYPE} does not exist: the REST baseline serves "
            f"{FALLBACK_PAGE_TYPE} pages instead"
        )
    pages = model.objects.live().public().order_by("-first_published_at", "pk")
    rows = list(pages.values_list("pk", "slug", "title")[:500])
    fixtures["page_type"] = page_type
    fixtures["article_count"] = pages.count()
    fixtures["article_ids"] = [pk for pk, _, _ in rows]
    fixtures["article_slugs"] = [slug for _, slug, _ in rows]
    # The clinic's own article (table, spectrum, call to action, featured
    # trainers): a detail scenario of its own, GraphQL and REST side by side.
    seed = pages.filter(slug=SEED_ARTICLE_SLUG).values_list("pk", flat=True).first()
    fixtures["seed_article_id"] = seed
    fixtures["seed_article_slug"] = SEED_ARTICLE_SLUG if seed else None
    if seed is None:
        fixtures["notes"].append(f"the seed article {SEED_ARTICLE_SLUG} is not live")
    words = sorted(
        {w.lower() for _, _, title in rows for w in title.split() if len(w) > 4}
    )
    fixtures["search_terms"] = words[:50] or ["therapy"]
    fixtures["all_page_count"] = Page.objects.live().public().count()
    try:
        trainers = apps.get_model("content", "TrainerProfilePage")
        fixtures["trainer_slugs"] = list(
            trainers.objects.live()
            .public()
            .order_by("pk")
            .values_list("slug", flat=True)[:500]
        )
        tables = apps.get_model("content", "ComparisonTable")
        fixtures["table_slugs"] = list(
            tables.objects.filter(live=True).values_list("slug", flat=True)[:50]
        )
    except LookupError:
        fixtures["notes"].append("no trainer or table models: default slugs used")

    if page_type == ARTICLE_PAGE_TYPE:
        from content.articles.bench import article_api_fields

        article_api_fields()  # what the server's REST API serves
    exposed = {f.name for f in getattr(model, "api_fields", [])} | {
        "slug",
        "first_published_at",
        "seo_title",
        "search_description",
        "show_in_menus",
    }
    fields = [f for f in API_V2_LIST_FIELDS if f in exposed]
    dropped = sorted(set(API_V2_LIST_FIELDS) - set(fields))
    if dropped:
        fixtures["notes"].append(f"REST list fields not exposed: {dropped}")
    fixtures["api_v2_list_fields"] = fields
    return fixtures

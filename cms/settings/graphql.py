"""The GraphQL endpoint's settings: limits, persisted queries, caching, rate
limits, grapple and CORS (README: "GraphQL endpoint: limits, errors,
caching"). ``cms.graphql.config.graphql_settings`` reads them; ``base.py``
pulls them in, so ``dev``, ``test`` and ``production`` override them there.
"""

from cms.env import env_bool, env_int, env_list
from cms.settings.paths import BASE_DIR

# Guards checked before execution (README: "GraphQL endpoint: limits, errors,
# caching"). Tests override single keys; missing keys fall back to defaults.
GRAPHQL_LIMITS = {
    "MAX_BODY_BYTES": env_int("GRAPHQL_MAX_BODY_BYTES", 128 * 1024),
    "MAX_QUERY_BYTES": env_int("GRAPHQL_MAX_QUERY_BYTES", 32 * 1024),
    "MAX_TOKENS": env_int("GRAPHQL_MAX_TOKENS", 5000),
    "MAX_DEPTH": env_int("GRAPHQL_MAX_DEPTH", 15),
    "MAX_ALIASES": env_int("GRAPHQL_MAX_ALIASES", 50),
    "MAX_FIELDS": env_int("GRAPHQL_MAX_FIELDS", 2000),
    "MAX_DIRECTIVES": env_int("GRAPHQL_MAX_DIRECTIVES", 50),
    "MAX_COST": env_int("GRAPHQL_MAX_COST", 25000),
}
GRAPHQL_REQUEST_TIMEOUT_MS = env_int("GRAPHQL_REQUEST_TIMEOUT_MS", 10000)
GRAPHQL_DOCUMENT_CACHE_SIZE = env_int("GRAPHQL_DOCUMENT_CACHE_SIZE", 512)
# Persisted queries: operation files, Apollo APQ registrations, safelist mode.
GRAPHQL_OPERATIONS_DIR = BASE_DIR / "frontend_contract" / "operations"
GRAPHQL_SAFELIST = env_bool("GRAPHQL_SAFELIST", False)
GRAPHQL_APQ_TIMEOUT = env_int("GRAPHQL_APQ_TIMEOUT", 7 * 24 * 3600)
# HTTP caching of anonymous GET queries and the shared response cache.
GRAPHQL_CACHE_MAX_AGE = env_int("GRAPHQL_CACHE_MAX_AGE", 60)
GRAPHQL_RESPONSE_CACHE = env_bool("GRAPHQL_RESPONSE_CACHE", True)
GRAPHQL_RESPONSE_CACHE_TIMEOUT = env_int("GRAPHQL_RESPONSE_CACHE_TIMEOUT", 300)
# Pages kept completed per live revision (cms.graphql.materialise), unless
# the selection has a field that changes without a content change.
GRAPHQL_MATERIALISE = env_bool("GRAPHQL_MATERIALISE", True)
GRAPHQL_MATERIALISED_TYPES = ["ArticlePage"]
GRAPHQL_MATERIALISE_VOLATILE_FIELDS = ["viewCount", "views"]
# While the database is down, a cached response is still served (marked
# stale) for up to this long past its freshness; 0 turns that off.
GRAPHQL_STALE_IF_ERROR_SECONDS = env_int("GRAPHQL_STALE_IF_ERROR_SECONDS", 600)
# View restrictions, hidden branches and private collections, kept per process
# for one content generation (cms.selectors.visibility).
PUBLIC_VISIBILITY_CACHE = env_bool("PUBLIC_VISIBILITY_CACHE", True)
# Saves and deletes of these apps' models bump the response cache generation,
# except the listed models, which change while content does not.
GRAPHQL_CACHE_INVALIDATING_APPS = [
    "home",
    "content",
    "search",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailsearchpromotions",
    "taggit",
]
GRAPHQL_CACHE_IGNORED_MODELS = [
    # The search query log is written by searches themselves.
    "wagtailsearchpromotions.query",
    "wagtailsearchpromotions.querydailyhits",
    "wagtailcore.referenceindex",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.revision",
    "wagtailcore.taskstate",
    "wagtailcore.workflowstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.uploadedfile",
    "wagtailimages.rendition",
]
# Rate limits per client (X-Api-Key from GRAPHQL_API_KEYS, else the IP).
GRAPHQL_RATE_LIMIT_ENABLED = env_bool("GRAPHQL_RATE_LIMIT_ENABLED", True)
GRAPHQL_RATE_LIMIT_WINDOW = env_int("GRAPHQL_RATE_LIMIT_WINDOW", 60)
GRAPHQL_RATE_LIMIT_REQUESTS = env_int("GRAPHQL_RATE_LIMIT_REQUESTS", 600)
GRAPHQL_RATE_LIMIT_COST = env_int("GRAPHQL_RATE_LIMIT_COST", 1_000_000)
GRAPHQL_API_KEYS = env_list("GRAPHQL_API_KEYS", [])
GRAPHQL_TRUST_X_FORWARDED_FOR = env_bool("GRAPHQL_TRUST_X_FORWARDED_FOR", False)
GRAPHQL_TRUSTED_PROXY_COUNT = env_int("GRAPHQL_TRUSTED_PROXY_COUNT", 1)
GRAPPLE = {
    "APPS": ["home", "content", "search"],
    "AUTO_CAMELCASE": True,
    "ADD_SEARCH_HIT": False,
    "EXPOSE_GRAPHIQL": False,
    "PAGE_SIZE": 10,
    "MAX_PAGE_SIZE": 50,
    "PAGE_INTERFACE": "cms.graphql.interfaces.PublicPageInterface",
    # Renditions may only be requested with these filter specs.
    "ALLOWED_IMAGE_FILTERS": [
        "fill-1200x630",
        "fill-800x450",
        "fill-400x400",
        "fill-200x200",
        "width-400",
        "width-800",
        "width-1200",
        "width-1600",
        "max-800x800",
        "format-webp",
    ],
}

# CORS: only the listed frontend origins may call the API from a browser.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/graphql/?$"
CORS_ALLOW_HEADERS = [
    "accept",
    "content-type",
    "if-none-match",
    "x-api-key",
    "x-csrftoken",
    "x-requested-with",
    "x-preview-token",
]
# Response headers a browser client may read beyond the CORS-safelisted ones
# (Cache-Control, Content-Type, ...): the ETag to revalidate with, how long to
# wait after a 429 or 503, the methods a 405 allows.
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Allow"]

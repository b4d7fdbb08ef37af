"""Edge caching (docs/edge-caching.md): cache tags on GraphQL responses and
the purges that follow content changes, sent by the worker."""

from cms.env import env_float, env_int, env_list, env_str, env_url

# CDN TTL (Surrogate-Control), and how long a stale copy may be served while
# it is refetched or while the backend fails. Browsers keep
# GRAPHQL_CACHE_MAX_AGE.
EDGE_TTL = env_int("EDGE_TTL", 86400)
EDGE_STALE_WHILE_REVALIDATE = env_int("EDGE_STALE_WHILE_REVALIDATE", 30)
EDGE_STALE_IF_ERROR = env_int("EDGE_STALE_IF_ERROR", 86400)
# Past this many tags a response carries "overflow" instead of object tags.
EDGE_MAX_TAGS = env_int("EDGE_MAX_TAGS", 128)

# Where purges go: "" (none), "varnish", "fastly" or "cloudflare".
EDGE_PURGE_BACKEND = env_str("EDGE_PURGE_BACKEND", "")
# Varnish: every URL receives a PURGE with an xkey-purge header of tags.
EDGE_VARNISH_URLS = env_list("EDGE_VARNISH_URLS", [])
# Fastly: purge by surrogate key (POST /service/{id}/purge).
EDGE_FASTLY_API_URL = env_url("EDGE_FASTLY_API_URL", "https://api.fastly.com")
EDGE_FASTLY_SERVICE_ID = env_str("EDGE_FASTLY_SERVICE_ID", "")
EDGE_FASTLY_API_TOKEN = env_str("EDGE_FASTLY_API_TOKEN", "")
EDGE_FASTLY_SOFT_PURGE = True
# Cloudflare: purge by tag (POST /client/v4/zones/{zone}/purge_cache).
EDGE_CLOUDFLARE_API_URL = env_url(
    "EDGE_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
)
EDGE_CLOUDFLARE_ZONE_ID = env_str("EDGE_CLOUDFLARE_ZONE_ID", "")
EDGE_CLOUDFLARE_API_TOKEN = env_str("EDGE_CLOUDFLARE_API_TOKEN", "")
EDGE_PURGE_TIMEOUT_SECONDS = env_float("EDGE_PURGE_TIMEOUT_SECONDS", 5.0)
# Changes within this window are purged together, in one batch.
EDGE_PURGE_DEBOUNCE_MS = env_int("EDGE_PURGE_DEBOUNCE_MS", 100)

# Tag prefixes by model label; other models use their model name. The same
# names as the webhooks' contentType (webhooks.events.CONTENT_TYPES).
EDGE_TAG_PREFIXES = {
    "content.articlepage": "article",
    "content.comparisontable": "table",
    "content.trainerprofilepage": "trainer",
    "content.trainerdirectorypage": "trainerDirectory",
    "home.organisationsettings": "settings",
    "wagtailcore.page": "page",
}
# List tags of root fields: their answer changes when an object is added,
# removed or reordered, not only when one they hold changes.
EDGE_LIST_TAGS_BY_ROOT_FIELD = {
    "articles": ("article:list",),
    "articleTags": ("article:list",),
    "comparisonTables": ("table:list",),
    "credentials": ("credential:list",),
    "trainers": ("trainerDirectory",),
    "trainerSpecialties": ("trainerDirectory",),
    "trainerSync": ("trainerDirectory",),
    "search": ("search",),
    "searchSuggestions": ("search",),
    "organisationSettings": ("settings",),
    "homePage": ("home",),
}
# Single-object root fields: a miss (null) is purged with this list tag.
EDGE_MISS_TAGS_BY_ROOT_FIELD = {
    "article": ("article:list",),
    "comparisonTable": ("table:list",),
    "trainer": ("trainerDirectory",),
}
# Root fields whose answer no content change alters. Any other root field
# not named above is tagged "overflow" (dropped on every change).
EDGE_STATIC_ROOT_FIELDS = ("apiVersion",)
# The list tags a publish, unpublish, move or delete of a model purges.
EDGE_LIST_TAGS_BY_MODEL = {
    "content.articlepage": ("article:list", "search"),
    "content.trainerprofilepage": ("trainerDirectory", "search"),
    "content.trainerdirectorypage": ("trainerDirectory",),
    "content.comparisontable": ("table:list", "search"),
    "content.credential": ("credential:list",),
    "home.organisationsettings": ("settings",),
    "home.homepage": ("home",),
}

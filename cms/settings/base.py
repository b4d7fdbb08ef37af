"""Settings shared by every environment.

Every environment variable is read here, through ``cms.env``, or in the
modules pulled in here (``cms/settings/graphql.py``: the GraphQL endpoint and
CORS); the dev, test and production modules only change defaults and switch
features on or off.
"""

from cms.env import (
    EnvError,
    env_bool,
    env_cidrs,
    env_database,
    env_float,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    env_url,
)
from cms.settings.email import email_settings
from cms.settings.logs import LOG_FORMATS, logging_config
from cms.settings.paths import BASE_DIR

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where the headless frontend lives: preview links and page URLs point there.
# The default is the reference site (web/) that `make run` serves under /site.
FRONTEND_BASE_URL = env_url("FRONTEND_BASE_URL", "http://127.0.0.1:8000/site")
# The reference site reads the API at WEB_API_URL; empty: the server that
# answered the page (one process in development; see web/api.py).
WEB_API_URL = env_url("WEB_API_URL", "")
WEB_API_TIMEOUT_SECONDS = env_int("WEB_API_TIMEOUT_SECONDS", 10)
WEB_API_KEY = env_str("WEB_API_KEY")

INSTALLED_APPS = [
    "cms",
    "home",
    "content",
    "search",
    "worker",
    "webhooks",
    "edge",
    "web",
    "api",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # grapple builds its types from every app above: it must come last.
    "grapple",
    "graphene_django",
]

MIDDLEWARE = [
    # Outermost: request id, one log line and the metrics of every request.
    "cms.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # The public GraphQL endpoint needs nothing below: it goes straight to
    # its view (cms/graphql/shortcut.py).
    "cms.graphql.shortcut.GraphQLShortcutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Hand-crafted admin posts missing StreamField keys: 400, not 500.
    "cms.middleware.MalformedAdminPostMiddleware",
    # Admin writes are atomic: a publish and its outbox rows commit together.
    "worker.middleware.AtomicAdminWritesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", str(BASE_DIR / "db.sqlite3"))}
# Bound every SQL statement on PostgreSQL so one slow query cannot pin a worker.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 5000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
    )
# manage.py migrate waits at most this long for a lock, with no statement
# timeout (cms/management/commands/migrate.py).
DB_MIGRATION_LOCK_TIMEOUT_MS = env_int("DB_MIGRATION_LOCK_TIMEOUT_MS", 10000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
# After a Redis failure, calls fail at once (a miss) for this long before one
# tries again (cms/redis_cache.py): an outage costs one timeout, not many.
REDIS_RETRY_SECONDS = env_int("REDIS_RETRY_SECONDS", 2)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clinic",
            "OPTIONS": {
                # A Redis outage degrades to "no cache", never to a 500.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    # Logged once per outage by the breaker, not once per call.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "clinic",
        }
    }

_PASSWORD_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_PASSWORD_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_PASSWORD_VALIDATION}.MinimumLengthValidator"},
    {"NAME": f"{_PASSWORD_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_PASSWORD_VALIDATION}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = env_str("STATIC_URL", "/static/")
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Object storage (S3-compatible) is switched on by its bucket variable alone.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_S3_ADDRESSING_STYLE = env_str("AWS_S3_ADDRESSING_STYLE") or None
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_DEFAULT_ACL = None
    # Image and rendition URLs are plain; documents are signed (cms/storage.py).
    AWS_QUERYSTRING_AUTH = False
    # Two uploads with one file name must not overwrite each other.
    AWS_S3_FILE_OVERWRITE = False
# Seconds a signed document URL stays valid (object storage only).
DOCUMENT_URL_TTL_SECONDS = env_int("DOCUMENT_URL_TTL_SECONDS", 60)

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Dynamic Physical Therapy")
WAGTAILADMIN_BASE_URL = env_url("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No third-party avatar requests from the admin (privacy; offline tests).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int(
    "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024
)
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# Search: Wagtail's database backend (PostgreSQL full text or SQLite FTS) unless
# an Elasticsearch / OpenSearch URL is configured.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
SEARCH_ENGINE_URL = env_str("SEARCH_ENGINE_URL")
if SEARCH_ENGINE_URL:
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": env_str(
            "SEARCH_ENGINE_BACKEND", "wagtail.search.backends.elasticsearch8"
        ),
        "URLS": [SEARCH_ENGINE_URL],
        "INDEX": env_str("SEARCH_ENGINE_INDEX", "clinic"),
        "TIMEOUT": 5,
    }

# GraphQL
GRAPHENE = {"SCHEMA": "cms.graphql.public_schema.schema"}
GRAPHQL_MAX_PAGE_SIZE = 50
GRAPHQL_EXPOSE_GRAPHIQL = DEBUG
# Introspection, GraphiQL, "Did you mean" suggestions and unmasked internal
# errors need DEBUG and this flag; either off means production mode.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG)
from cms.settings.graphql import *  # noqa: E402, F403

# Plain text lines, or with LOG_FORMAT=json one JSON object per line
# (cms/settings/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in LOG_FORMATS:
    raise EnvError(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))

# Email: moderation notices (submitted, approved, rejected) and error mails.
# EMAIL_URL (smtp://user:password@host:587?tls=true) or the EMAIL_HOST group.
_email = email_settings(
    env_str("EMAIL_URL"),
    host=env_str("EMAIL_HOST"),
    port=env_int("EMAIL_PORT", 0),
    user=env_str("EMAIL_HOST_USER"),
    password=env_str("EMAIL_HOST_PASSWORD"),
    use_tls=env_bool("EMAIL_USE_TLS", False),
    use_ssl=env_bool("EMAIL_USE_SSL", False),
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cms@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = env_str(
    "MODERATION_FROM_EMAIL", DEFAULT_FROM_EMAIL
)
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = env_bool(
    "MODERATION_NOTIFY_SUPERUSERS", True
)
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

# Observability: Prometheus at /metrics for a scraper sending METRICS_TOKEN
# (off when empty; cms/metrics.py); Sentry when SENTRY_DSN is set
# (cms/sentry.py: no personal data, tokens or bodies leave the process).
METRICS_TOKEN = env_str("METRICS_TOKEN")
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from cms.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )

# Draft preview on the headless frontend (cms/preview.py).
PREVIEW_TOKEN_TTL_SECONDS = env_int("PREVIEW_TOKEN_TTL_SECONDS", 3600)

# Benchmark-only endpoints (make bench): a hello-world view, Wagtail's REST API
# v2 as a baseline, and an X-SQL-Queries header on every response. Off unless
# BENCH_ENDPOINTS is true; never enable it on a public deployment.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)
if BENCH_ENDPOINTS:
    # Neither app has models, so migrations are unaffected; grapple stays last.
    INSTALLED_APPS[
        INSTALLED_APPS.index("grapple") : INSTALLED_APPS.index("grapple")
    ] = [
        "rest_framework",
        "wagtail.api.v2",
    ]
    MIDDLEWARE = ["cms.bench.QueryCountMiddleware", *MIDDLEWARE]

# Background work (worker/, webhooks/): a Django Tasks backend. The database
# backend (django-tasks-db) keeps jobs in this database, so a job enqueued
# inside a transaction commits or rolls back with it; Wagtail's own tasks
# (search index, reference index) run there too. `manage.py run_worker`
# (`make worker`) processes them; `make run` starts one beside the server.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# How often an idle worker polls for jobs, and how often the periodic jobs
# (scheduled publishing, the webhook sweeper, recovery) are due.
WORKER_POLL_INTERVAL_MS = env_int("WORKER_POLL_INTERVAL_MS", 200)
WORKER_SCHEDULED_PUBLISHING_SECONDS = env_int("WORKER_SCHEDULED_PUBLISHING_SECONDS", 15)
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 5)
# A job claimed by a worker silent for this long is run again (kill -9).
WORKER_ORPHAN_SECONDS = env_int("WORKER_ORPHAN_SECONDS", 60)
WORKER_TASK_MAX_ATTEMPTS = env_int("WORKER_TASK_MAX_ATTEMPTS", 5)
# Commands the workers run on a timer (seconds), so no cron is needed.
WORKER_PERIODIC_COMMANDS = {
    "sync_credential_expiry": env_int("WORKER_CREDENTIAL_EXPIRY_SECONDS", 3600),
    "analyze_database": env_int("WORKER_ANALYZE_SECONDS", 86400),
}

# Outgoing webhooks (Standard Webhooks signatures), managed under
# Settings > Webhooks.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 20)
WEBHOOK_SECRET_GRACE_HOURS = env_int("WEBHOOK_SECRET_GRACE_HOURS", 24)
WEBHOOK_LOG_RETENTION_DAYS = env_int("WEBHOOK_LOG_RETENTION_DAYS", 30)
# Targets resolving to loopback, private, link-local or reserved addresses
# are refused unless inside one of these networks (local testing only);
# cloud metadata addresses are refused always.
WEBHOOK_ALLOWED_PRIVATE_NETWORKS = env_cidrs("WEBHOOK_ALLOWED_PRIVATE_NETWORKS", [])

from cms.settings.edge import *  # noqa: E402,F403
from cms.settings.engagement import *  # noqa: E402, F403  (comments, view counts)

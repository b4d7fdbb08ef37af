"""Production: refuse to start without a real secret key and host list."""

from cms.env import EnvError, env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403
from .base import REDIS_URL

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50:
    raise EnvError("SECRET_KEY must be at least 50 characters in production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise EnvError("ALLOWED_HOSTS must be set in production (comma-separated)")
# Rate limits, persisted queries and the response cache live in the default
# cache: several processes must share it, or each counts and caches alone.
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", 1)
MULTI_HOST = env_bool("MULTI_HOST", False)
if (WEB_CONCURRENCY > 1 or MULTI_HOST) and not REDIS_URL:
    raise EnvError(
        "REDIS_URL must be set in production when WEB_CONCURRENCY > 1 or "
        "MULTI_HOST is true (rate limits, persisted queries and the response "
        "cache must be shared)"
    )
GRAPHQL_EXPOSE_GRAPHIQL = False
GRAPHQL_INTROSPECTION = False

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# TLS is terminated by the load balancer, which sets X-Forwarded-Proto.
if env_bool("TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's admin previews pages in a same-origin iframe, which needs
# SAMEORIGIN rather than DENY; the API itself is never framed.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

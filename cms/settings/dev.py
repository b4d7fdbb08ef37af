"""Local development: debug on, GraphiQL on, a throwaway secret key."""

from cms.env import env_bool, env_cidrs, env_str, with_origin_of

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, CORS_ALLOWED_ORIGINS, FRONTEND_BASE_URL, GRAPPLE

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
GRAPHQL_EXPOSE_GRAPHIQL = DEBUG
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG)
GRAPPLE = {**GRAPPLE, "EXPOSE_GRAPHIQL": False}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The frontend at FRONTEND_BASE_URL (http://localhost:3000 by default) may call
# the API from the browser; production allows the listed origins only.
CORS_ALLOWED_ORIGINS = with_origin_of(CORS_ALLOWED_ORIGINS, FRONTEND_BASE_URL)
# Webhook receivers on this machine (a frontend's dev server) are allowed.
WEBHOOK_ALLOWED_PRIVATE_NETWORKS = env_cidrs(
    "WEBHOOK_ALLOWED_PRIVATE_NETWORKS", ["127.0.0.0/8", "::1/128"]
)

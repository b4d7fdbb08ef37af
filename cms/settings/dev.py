"""Local development: debug on, GraphiQL on, a throwaway secret key."""

from cms.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, GRAPPLE

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
GRAPHQL_EXPOSE_GRAPHIQL = DEBUG
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG)
GRAPPLE = {**GRAPPLE, "EXPOSE_GRAPHIQL": False}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

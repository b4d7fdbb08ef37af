"""Tests: fast hashing, local memory cache, no debug, deterministic keys."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "clinic-test",
    }
}
# One media folder per xdist worker: workers clean up their own at exit.
MEDIA_ROOT = str(
    BASE_DIR / ".pytest-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
)
GRAPHQL_EXPOSE_GRAPHIQL = False
GRAPHQL_INTROSPECTION = False
# Rate limiting stays on in tests, high enough that only tests lowering it trip.
GRAPHQL_RATE_LIMIT_ENABLED = True
GRAPHQL_RATE_LIMIT_REQUESTS = 100_000
GRAPHQL_RATE_LIMIT_COST = 100_000_000
GRAPHQL_SAFELIST = False
# Other apps' tests change rows with queryset.update() (no signals) and query
# again; the response cache tests switch it on themselves.
GRAPHQL_RESPONSE_CACHE = False
PUBLIC_VISIBILITY_CACHE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Page URLs in test assertions keep one fixed frontend (the development
# default is the reference site on 127.0.0.1:8000/site).
FRONTEND_BASE_URL = "http://localhost:3000"
# Tasks run inline in most tests; the worker tests switch to the database
# backend and run the real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Test receivers listen on loopback.
WEBHOOK_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.0/8", "::1/128"]
# View counters stay in the test database; Redis tests opt in with their own db.
VIEW_COUNTER_REDIS_URL = ""

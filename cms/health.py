"""Liveness and readiness probes for load balancers and orchestrators."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """The process is up and answering; touches nothing else."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        connections["default"].close_if_unusable_or_obsolete()
        return type(exc).__name__
    return None


def _check_redis() -> str | None:
    if not settings.REDIS_URL:
        return None
    try:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception as exc:
        return type(exc).__name__
    return None


@never_cache
@require_GET
def readyz(request):
    """Ready when the database answers. Redis, when configured, is checked
    too, but the service keeps serving without it (README, "When Redis or
    PostgreSQL fail"): its failure is reported as ``degraded``, still 200, so
    a load balancer does not take every host out at once."""
    checks = {"database": _check_database()}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    ready = checks["database"] is None
    degraded = ready and any(error is not None for error in checks.values())
    body = {
        "status": "degraded" if degraded else "ready" if ready else "unavailable",
        "checks": {
            name: "ok" if error is None else f"error: {error}"
            for name, error in checks.items()
        },
    }
    return JsonResponse(body, status=200 if ready else 503)


def server_error(request):
    """``handler500``: a database that cannot be reached is a 503 with
    ``Retry-After``, for the admin and every other page (the GraphQL view
    answers its own); any other error stays a plain 500."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(
            "Service unavailable: the database cannot be reached. Reload in a "
            "few seconds to see whether your change was saved, then try again.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "5"
        return response
    return HttpResponseServerError(
        "Server error.\n", content_type="text/plain; charset=utf-8"
    )

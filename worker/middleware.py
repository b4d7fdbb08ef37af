"""Admin writes run in one transaction.

Wagtail publishes a page from its edit view without a transaction of its
own, so the live row, the search and reference index jobs and the webhook
outbox rows could otherwise commit separately. Wrapping every admin POST
makes them one unit: a failure anywhere in the request (a 5xx) rolls all of
it back, and jobs enqueued during it are never seen half-done. On SQLite the
transaction takes the write lock up front (``worker.db``), so a request
waits for a worker's write instead of failing with "database is locked".
"""

from django.db import transaction

from worker.db import write_transaction


class AtomicAdminWritesMiddleware:
    prefix = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS") or not request.path.startswith(
            self.prefix
        ):
            return self.get_response(request)
        with write_transaction():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response

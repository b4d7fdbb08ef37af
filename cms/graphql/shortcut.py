"""The public GraphQL endpoint, past the middleware of the admin and the site.

``MIDDLEWARE`` serves three audiences: the Wagtail admin, the reference site
and the public API. The API uses nothing the inner half of that list gives
the other two: it reads no session and no user (``PublicGraphQLView.dispatch``
detaches the session), it is exempt from the CSRF check (a mutation needs a
header a cross-site form cannot send), it never redirects a missing page and
it has no admin form to guard. Going through them cost about 60 µs per
request: a fifth of a response-cache hit.

``GraphQLShortcutMiddleware`` sits after what every response needs (the
request log and metrics, the security headers, static files, CORS). A
request for the endpoint's exact path goes straight to the view, with the
resolver match URL routing would have given it (the request log labels its
metrics with it); every other request goes on down the chain, ``/graphql``
without its slash included (CommonMiddleware redirects it as before). The
view sets the headers the skipped middleware would have added to its
responses (``responses.secure``: ``X-Frame-Options`` among them), and this
middleware what CommonMiddleware did: the ``Host`` check and the
``Content-Length``.
"""

from django.conf import settings
from django.urls import NoReverseMatch, resolve, reverse

ENDPOINT_NAME = "graphql"


class GraphQLShortcutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # (ROOT_URLCONF, path, resolver match): resolved on first use, again
        # when the URLconf changes (tests override it).
        self._route = None

    def _endpoint(self):
        route = self._route
        if route is None or route[0] != settings.ROOT_URLCONF:
            try:
                path = reverse(ENDPOINT_NAME)
            except NoReverseMatch:  # a URLconf without the endpoint
                route = (settings.ROOT_URLCONF, None, None)
            else:
                route = (settings.ROOT_URLCONF, path, resolve(path))
            self._route = route
        return route

    def __call__(self, request):
        _urlconf, path, match = self._endpoint()
        if request.path_info != path or getattr(request, "urlconf", None):
            return self.get_response(request)
        # As CommonMiddleware does first: a Host outside ALLOWED_HOSTS is
        # Django's 400 (DisallowedHost), not an error inside the view.
        request.get_host()
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)):  # as Django's handler
            response = response.render()
        # As CommonMiddleware does: without it, gunicorn sends the body
        # chunked (one more write, and framing every client must parse).
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response

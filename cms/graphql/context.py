"""``info.context``: one typed object per GraphQL request.

What one request's resolvers share lives here, not in attributes set on the
request: the deadline (checked before each object's fields resolve), the
visibility snapshot (``cms.selectors``), the batch loaders, the rich-text
link resolver and the private collection ids. The execute step makes one
(``RequestContext(request, deadline=...)``) and passes it to graphene as
``context_value``.

Resolvers also use ``info.context`` as the request: ``headers``,
``build_absolute_uri``, ``Site.find_for_request``, ``get_url_parts(request=)``.
So any other attribute is the request's: reading it reads the request's,
setting it sets the request's (Wagtail caches the site there), and
``isinstance(context, HttpRequest)`` holds, as for Django's ``LazyObject``.
"""

from dataclasses import dataclass, field, fields
from typing import Any

from django.http import HttpRequest


@dataclass(eq=False, repr=False)
class RequestContext:
    request: HttpRequest
    # time.monotonic() value after which execution stops; None: no deadline.
    deadline: float | None = None
    # The cms.selectors.Visibility the request reads (one per request).
    visibility: Any = None
    # Batch loaders primed for this request, by name (the domains' names).
    loaders: dict[str, Any] = field(default_factory=dict)
    # Looks up the pages and documents rich text links to, in batches.
    link_resolver: Any = None
    # Collections with a view restriction, read once per request.
    private_collection_ids: frozenset[int] | None = None
    # The response's cache tags, gathered while it executes (cms.graphql.tags).
    cache_tags: Any = None
    # The content generation materialised objects are read and kept at
    # (cms.graphql.materialise); None: this request does neither.
    materialise_at: int | None = None
    # Batch loads for materialised types, by type name: run before the
    # first object of the type is completed, never for one read from a row.
    deferred_loads: dict[str, Any] = field(default_factory=dict)

    # --- the request ----------------------------------------------------------

    @property
    def __class__(self):
        # isinstance(context, HttpRequest) holds; type(context) stays this class.
        return type(self.request)

    def __getattr__(self, name: str):
        if name == "request":  # not set yet: no request to ask
            raise AttributeError(name)
        return getattr(self.request, name)

    def __setattr__(self, name: str, value) -> None:
        if name in _OWN:
            object.__setattr__(self, name, value)
        else:
            setattr(self.request, name, value)

    def __delattr__(self, name: str) -> None:
        if name in _OWN:
            object.__delattr__(self, name)
        else:
            delattr(self.request, name)

    def __repr__(self) -> str:
        return f"<RequestContext {self.request!r}>"


_OWN = frozenset(f.name for f in fields(RequestContext))

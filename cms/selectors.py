"""Selectors for what the public may see. Every public resolver goes through these.

What makes a page or a media file private changes only when content changes:
view restrictions, drafts and scheduled or expiring pages with children, and
restricted collections. ``visibility()`` keeps those facts in a per-process
snapshot keyed on the content generation (``cms.graphql.cache``), which every
publish, unpublish, move, delete and restriction change bumps, so a public
query spends no queries on them. Expiry is compared with the clock on every
call, never cached. ``PUBLIC_VISIBILITY_CACHE = False`` (the test settings:
tests change rows with ``QuerySet.update()``, which sends no signal) loads
them from the database on every call instead.
"""

import contextlib
import contextvars
import threading
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http.request import split_domain_port
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from cms.graphql import cache as response_cache
from cms.graphql.context import RequestContext


def not_expired(now=None) -> Q:
    # Wagtail only flips ``live`` on expiry when ``publish_scheduled`` runs,
    # so a page past its expiry date can still be live: filter it here.
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def _under_any(paths) -> Q:
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    # Match no page when the list is empty.
    return q if q else Q(pk__in=[])


# Visibility snapshot ---------------------------------------------------------


class Visibility:
    """What hides pages and media, as of one content generation.

    Each part is loaded on first use (one or two small queries), then kept
    for as long as this object is. ``shared`` is true for the per-process
    snapshot of a known generation (not for a one-off object made inside a
    transaction or with the cache off): only then is it worth keeping
    derived structures on it (``content.trainers.facet_index``).
    """

    shared = False

    @cached_property
    def restricted_paths(self) -> tuple[str, ...]:
        """Paths of pages with a view restriction (hiding their subtrees)."""
        paths = PageViewRestriction.objects.values_list("page__path", flat=True)
        return tuple(sorted(set(paths)))

    @cached_property
    def branch_heads(self) -> tuple[tuple[str, bool, datetime | None], ...]:
        """(path, live, expire_at) of each page with children that is not
        live or has an expiry date: the candidates for hidden branches."""
        heads = (
            Page.objects.filter(Q(live=False) | Q(expire_at__isnull=False))
            .filter(numchild__gt=0)
            .order_by("path")
            .values_list("path", "live", "expire_at")
        )
        return tuple(heads)

    @cached_property
    def private_collection_ids(self) -> frozenset[int]:
        return _load_private_collection_ids()

    def hidden_paths(self, now=None) -> list[str]:
        """Heads of branches hidden at ``now``: drafts, scheduled, expired."""
        now = now or timezone.now()
        return [
            path
            for path, live, expire_at in self.branch_heads
            if not live or (expire_at is not None and expire_at <= now)
        ]

    def restricted_q(self) -> Q:
        return _under_any(self.restricted_paths)

    def hidden_q(self, now=None) -> Q:
        return _under_any(self.hidden_paths(now))

    def hides_path(self, path: str, now=None) -> bool:
        heads = (*self.restricted_paths, *self.hidden_paths(now))
        return any(path.startswith(head) for head in heads)

    def remembered(self, key, load):
        """``load()``, called once per ``key`` for as long as this snapshot
        is current: for rows whose every change bumps the generation (sites,
        site settings). At most ``MAX_REMEMBERED`` keys (the host of a
        request is one): past that, ``load()`` runs on every call."""
        memo = self.__dict__.setdefault("_remembered", {})
        try:
            return memo[key]
        except KeyError:
            pass
        value = load()
        if len(memo) < MAX_REMEMBERED:
            memo[key] = value
        return value

    def remembered_until_change(self, key, load, *, bounded=True):
        """``remembered``, for answers that also change with the clock (a
        scheduled go-live, an expiry): kept only until the next such change
        (``cms.graphql.horizon``), and only in a generation's snapshot.
        ``bounded=False`` for the few keys a request cannot choose: always
        kept, however many keys requests filled the memo with."""
        generation = getattr(self, "generation", None)
        if generation is None:
            return load()
        from cms.graphql import horizon

        now = timezone.now()
        memo = self.__dict__.setdefault("_until_change", {})
        found = memo.get(key)
        if found is not None and (found[1] is None or now < found[1]):
            return found[0]
        until = horizon.next_change(generation, now)
        value = load()
        if not bounded or len(memo) < MAX_REMEMBERED:
            memo[key] = (value, until)
        return value


MAX_REMEMBERED = 64


_lock = threading.Lock()
_snapshot: tuple[int, Visibility] | None = None
# Set by the GraphQL view for one request, so that the generation is read
# once per request however many resolvers ask.
_scoped: contextvars.ContextVar[Visibility | None] = contextvars.ContextVar(
    "cms_request_visibility", default=None
)


def visibility(generation: int | None = None) -> Visibility:
    """The current ``Visibility``: the snapshot when its generation is
    current, else a new one, kept as the snapshot. Pass ``generation`` when
    the caller has just read it."""
    global _snapshot
    scoped = _scoped.get()
    if scoped is not None:
        return scoped
    if not getattr(settings, "PUBLIC_VISIBILITY_CACHE", True) or _in_transaction():
        # Inside a transaction the rows read may never commit (and its bumps
        # be reused): never keep them, never serve the shared snapshot.
        return Visibility()
    if generation is None:
        generation = response_cache.current_generation()
    if generation is None:  # the generation is unknown: never guess
        return Visibility()
    snapshot = _snapshot
    if snapshot is not None and snapshot[0] == generation:
        return snapshot[1]
    fresh = Visibility()
    fresh.generation = generation
    fresh.shared = True
    with _lock:
        _snapshot = (generation, fresh)
    return fresh


# How many atomic blocks of the default connection count as autocommit
# (``outer_transaction_ignored``).
_ignored_depth = 0


def _in_transaction() -> bool:
    connection = transaction.get_connection()
    return len(connection.atomic_blocks) > _ignored_depth


@contextlib.contextmanager
def outer_transaction_ignored():
    """Treat the transactions open now as autocommit while the block runs.

    For test fixtures: a test runs inside a transaction it never commits, and
    should see the snapshot an autocommit request sees in production.
    Transactions opened inside the block still count.
    """
    global _ignored_depth
    previous = _ignored_depth
    _ignored_depth = len(transaction.get_connection().atomic_blocks)
    try:
        yield
    finally:
        _ignored_depth = previous


@contextlib.contextmanager
def request_scope(generation: int | None = None):
    """Within the block, ``visibility()`` returns one value, read once."""
    token = _scoped.set(visibility(generation))
    try:
        yield
    finally:
        _scoped.reset(token)


def forget_snapshot() -> None:
    global _snapshot
    with _lock:
        _snapshot = None


# Pages and snippets ----------------------------------------------------------


def hidden_branches_q(now=None) -> Q:
    """Pages under (or at) a draft, scheduled or expired page with children.

    Wagtail keeps a child ``live`` when its parent is unpublished, and
    ``live()`` / ``public()`` never look at ancestors' publish state, so a
    live article under an unpublished blog index would otherwise be served.
    Built like Wagtail's ``private_q`` (path prefixes) rather than with
    ``Exists()``: search backends only understand plain lookups.
    """
    return visibility().hidden_q(now)


def public_pages(queryset):
    """Live, public (no view restriction on it or an ancestor), not expired,
    and no ancestor is a draft, scheduled or expired.

    ``live().public()`` plus the expiry and ancestor rules, with the view
    restrictions taken from ``visibility()`` rather than queried again.
    """
    seen = visibility()
    now = timezone.now()
    return (
        queryset.live()
        .filter(not_expired(now))
        .exclude(seen.restricted_q())
        .exclude(seen.hidden_q(now))
    )


def public_snippets(queryset):
    """Published, not expired rows of a DraftStateMixin snippet model."""
    return queryset.filter(live=True).filter(not_expired())


def is_public_snippet(obj) -> bool:
    if obj is None or not getattr(obj, "live", True):
        return False
    expire_at = getattr(obj, "expire_at", None)
    return expire_at is None or expire_at > timezone.now()


def request_site(request):
    """``Site.find_for_request``, the lookup kept in the visibility snapshot
    for each host and port: a Site change bumps the generation, as does a
    change of its root page."""
    if request is None:
        return None
    try:
        return request._wagtail_site
    except AttributeError:
        pass
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    site = visibility().remembered(
        ("site", hostname, port), lambda: Site._find_for_request(request)
    )
    request._wagtail_site = site
    return site


def url_parts(page):
    """``page.get_url_parts()``, with the sites' root paths read once per
    content generation: Wagtail keeps them on the object it is given, here
    the visibility snapshot (not a request, so the answer is the same as
    with none). Without it each page's URL reads them from the cache."""
    return page.get_url_parts(request=visibility())


def frontend_url(page) -> str | None:
    """Absolute URL of a page on the headless frontend, or None if unrouted."""
    parts = url_parts(page)
    if parts is None:
        return None
    _site_id, _root_url, page_path = parts
    return f"{settings.FRONTEND_BASE_URL}{page_path}"


def is_public_page(page) -> bool:
    """``public_pages``' rules for one loaded page, without a query."""
    if page is None or not page.live:
        return False
    now = timezone.now()
    if page.expire_at is not None and page.expire_at <= now:
        return False
    return not visibility().hides_path(page.path, now)


# Images and documents ------------------------------------------------------


def private_collection_ids() -> frozenset[int]:
    """Ids of collections with a view restriction on them or an ancestor.

    Images and documents in these collections are never served publicly.
    """
    return visibility().private_collection_ids


def _load_private_collection_ids() -> frozenset[int]:
    # One query when nothing is restricted (the usual case), two otherwise.
    paths = list(
        CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    )
    if not paths:
        return frozenset()
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return frozenset(Collection.objects.filter(under).values_list("id", flat=True))


def request_private_collection_ids(context=None) -> frozenset[int]:
    """``private_collection_ids`` computed once per GraphQL request (kept on
    its ``RequestContext``)."""
    if not isinstance(context, RequestContext):
        return private_collection_ids()
    if context.private_collection_ids is None:
        context.private_collection_ids = private_collection_ids()
    return context.private_collection_ids


def is_public_media(obj, context=None) -> bool:
    """An image or document outside every restricted collection."""
    if obj is None:
        return False
    return obj.collection_id not in request_private_collection_ids(context)

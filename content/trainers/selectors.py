"""The partner-trainer directory as the public may read it.

``search_trainers``: filter, 'near me', allowlisted ordering, offset pages;
``compute_facets``: counts for the filter screen; ``sync_trainers``:
incremental sync over the ``TrainerChange`` log.

Query cost is constant in the page size: one COUNT, one SELECT of the page,
and one query per prefetched relation (credentials, education, specialties,
photo renditions).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from cms.db import ids_subquery
from cms.graphql.errors import ApiError, ErrorCode
from cms.graphql.pagination import check_pagination, paginate
from cms.selectors import public_pages
from content.catalogue.models import Credential, Specialty
from content.trainers import facet_index
from content.trainers.models import (
    SERVICE_FIELDS,
    TrainerChange,
    TrainerCredential,
    TrainerProfilePage,
)
from content.trainers.near import Near, within
from content.trainers.services import decode_cursor, encode_cursor

DEFAULT_SYNC_LIMIT = 50


def public_profiles():
    """Live, public profiles, nothing joined (the search index's queryset).

    public_pages, not live().public(): also drops expired profiles and
    profiles under an unpublished, scheduled or expired parent.
    """
    return public_pages(TrainerProfilePage.objects.all())


def trainer_prefetches(fields: set[str] | None = None) -> list:
    """What the profile type needs prefetched: every relation, or only
    those of the GraphQL ``fields`` given."""
    photo = "photo__renditions"
    prefetches = {
        "credentials": Prefetch(
            "credentials",
            queryset=TrainerCredential.objects.select_related("credential").order_by(
                "sort_order", "pk"
            ),
        ),
        "education": "education",
        "specialties": "specialties",
        "photo": photo,
        "portrait": photo,
    }
    chosen = []
    for field, prefetch in prefetches.items():
        if (fields is None or field in fields) and prefetch not in chosen:
            chosen.append(prefetch)
    return chosen


def public_trainers(*, fields: set[str] | None = None):
    """Live, public profiles with what the profile type needs prefetched:
    every relation, or only those of the GraphQL ``fields`` given."""
    profiles = public_pages(TrainerProfilePage.objects)
    if needs_photo(fields):
        profiles = profiles.select_related("photo")
    return profiles.prefetch_related(*trainer_prefetches(fields))


def needs_photo(fields: set[str] | None) -> bool:
    """Whether the GraphQL ``fields`` read the photo (joined when they do)."""
    return fields is None or bool(fields & {"photo", "portrait"})


def chosen_trainers(links, *, fields: set[str] | None = None) -> list:
    """The public profiles that ``links`` (rows of an orderable with a
    ``trainer`` foreign key) choose, in the links' order: read with the links
    in one query, then what ``fields`` needs prefetched."""
    links = links.filter(trainer__in=public_profiles().values("pk"))
    joined = "trainer__photo" if needs_photo(fields) else "trainer"
    links = links.select_related(joined).order_by("sort_order", "pk")
    trainers = [link.trainer for link in links]
    prefetch_related_objects(trainers, *trainer_prefetches(fields))
    return trainers


def trainers_by_id(*, ids: list[int]) -> dict:
    """The public profiles among ``ids``, by id, every relation prefetched."""
    return public_trainers().in_bulk(ids) if ids else {}


def _known_slugs(model, slugs, label) -> list[str]:
    slugs = sorted(set(slugs))
    found = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise facet_index.unknown_values(label, unknown)
    return slugs


def current_credential_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}expires_on__isnull": True}) | Q(
        **{f"{prefix}expires_on__gte": today}
    )


def apply_filter(qs, flt):
    if not flt:
        return qs
    if flt.get("specialties"):
        slugs = _known_slugs(Specialty, flt["specialties"], "specialty")
        holders = TrainerProfilePage.specialties.through.objects.filter(
            specialty__slug__in=slugs
        ).values("trainerprofilepage_id")
        qs = qs.filter(pk__in=holders)
    if flt.get("credentials"):
        slugs = _known_slugs(Credential, flt["credentials"], "credential")
        holders = (
            TrainerCredential.objects.filter(credential__slug__in=slugs)
            .filter(current_credential_q())
            .values("page_id")
        )
        qs = qs.filter(pk__in=holders)
    if flt.get("city"):
        qs = qs.filter(city__iexact=flt["city"].strip())
    if flt.get("state"):
        qs = qs.filter(state__iexact=flt["state"].strip())
    if flt.get("services"):
        q = Q()
        for service in flt["services"]:
            q |= Q(**{SERVICE_FIELDS[getattr(service, "value", service)]: True})
        qs = qs.filter(q)
    if flt.get("accepting_new_clients") is not None:
        qs = qs.filter(accepting_new_clients=flt["accepting_new_clients"])
    text = (flt.get("query") or "").strip()
    if text:
        if len(text) > 100:
            raise ApiError("query is limited to 100 characters.")
        qs = qs.filter(Q(title__icontains=text) | Q(headline__icontains=text))
    return qs


@dataclass
class SearchResult:
    items: list[Any]
    total_count: int
    limit: int
    offset: int
    matching: Any  # queryset (or pk list) of every match, for facets

    @property
    def has_next_page(self) -> bool:
        return self.offset + len(self.items) < self.total_count


def search_trainers(*, flt=None, near=None, order=None, limit=None, offset=None):
    """A page of the directory for a filter (``TrainerFilter``), an optional
    'near me' point (``TrainerNearInput``) and an allowlisted order.

    From the in-memory index (``facet_index``) when there is one: the
    matches, their count and order cost no SQL, only the page's rows do.
    """
    limit, offset = check_pagination(limit, offset)
    near = Near.from_input(near)
    order = getattr(order, "value", order) or ("distance" if near else "name")
    if order == "distance" and near is None:
        raise ApiError("order DISTANCE needs `near`.", code=ErrorCode.BAD_USER_INPUT)
    index = facet_index.current()
    matches = index.match(flt) if index is not None else None
    if matches is not None:
        return _search_index(matches, near, order, limit, offset)
    base = apply_filter(public_pages(TrainerProfilePage.objects), flt)

    if near is None:
        ordering = {
            "name": ("title", "pk"),
            # NULLS LAST explicitly: PostgreSQL and SQLite disagree by default.
            "recently_updated": (F("last_published_at").desc(nulls_last=True), "-pk"),
        }[order]
        page = paginate(
            apply_filter(public_trainers(), flt).order_by(*ordering), limit, offset
        )
        return SearchResult(page.items, page.total_count, limit, offset, base)

    # Near me: bounding box in SQL, exact distance in Python, then one fetch
    # of just this page's rows with their prefetches.
    # Only the sort key the order needs comes back with each candidate: a
    # radius can hold thousands, and converting an unused column costs more
    # than the distance check.
    sort_column = {"name": "title", "recently_updated": "last_published_at"}
    columns = ["pk", "latitude", "longitude"]
    if order in sort_column:
        columns.append(sort_column[order])
    # No ORDER BY (the rows are sorted here): with the page tree's path order
    # the planner walks every page instead of the latitude/longitude index.
    candidates = base.filter(near.bounding_box()).order_by().values_list(*columns)
    rows = within(near, order, candidates)
    window = rows[offset : offset + limit]
    items = _fetch([pk for pk, _, _ in window], {pk: d for pk, d, _ in window})
    matching = [pk for pk, _, _ in rows]
    return SearchResult(items, len(rows), limit, offset, matching)


def _fetch(pks: list[int], distances: dict | None = None) -> list:
    """The public profiles ``pks``, in that order, in one query (plus the
    prefetches), each with its ``distance_km`` when ``distances`` has it."""
    by_pk = public_trainers().in_bulk(pks) if pks else {}
    items = []
    for pk in pks:
        page = by_pk.get(pk)
        if page is not None:
            if distances:
                page.distance_km = distances[pk]
            items.append(page)
    return items


def _search_index(matches, near, order, limit, offset) -> SearchResult:
    """``search_trainers`` over the index's ``matches``: the same orders,
    ties and distances as the SQL path."""
    if near is not None:
        key = {"name": "title", "recently_updated": "last_published_at"}.get(order)
        candidates = [
            (r.pk, r.latitude, r.longitude, getattr(r, key) if key else None)
            for r in near.in_box(matches)
        ]
        rows = within(near, order, candidates)
        window = rows[offset : offset + limit]
        items = _fetch([pk for pk, _, _ in window], {pk: d for pk, d, _ in window})
        matching = matches.subset(pk for pk, _, _ in rows)
        return SearchResult(items, len(rows), limit, offset, matching)
    if order == "name":  # the index's own order
        window = matches.rows(offset, offset + limit)
    else:  # recently updated: DESC NULLS LAST, then -pk
        rows = list(matches)
        dated = [r for r in rows if r.last_published_at is not None]
        dated.sort(key=lambda r: (r.last_published_at, r.pk), reverse=True)
        undated = [r for r in reversed(rows) if r.last_published_at is None]
        undated.sort(key=lambda r: r.pk, reverse=True)
        window = (dated + undated)[offset : offset + limit]
    items = _fetch([r.pk for r in window])
    return SearchResult(items, len(matches), limit, offset, matches)


def compute_facets(matching) -> dict:
    """Counted in memory for the index's matches (no SQL); otherwise three
    aggregate queries, whatever the number of matches."""
    if isinstance(matching, facet_index.Matches):
        return matching.index.facets(matching)
    # 'Near me' matches arrive as a pk list: bound as one parameter, however
    # many trainers the radius holds.
    pks = (
        ids_subquery(matching) if isinstance(matching, list) else matching.values("pk")
    )
    through = TrainerProfilePage.specialties.through.objects
    specialties = (
        through.filter(trainerprofilepage_id__in=pks)
        .values("specialty__slug", "specialty__name")
        .annotate(count=Count("trainerprofilepage_id", distinct=True))
        .order_by("-count", "specialty__name", "specialty__slug")
    )
    credentials = (
        TrainerCredential.objects.filter(page_id__in=pks)
        .filter(current_credential_q())
        .values("credential__slug", "credential__abbreviation")
        .annotate(count=Count("page_id", distinct=True))
        .order_by("-count", "credential__abbreviation", "credential__slug")
    )
    cities = (
        TrainerProfilePage.objects.filter(pk__in=pks)
        .values("city", "state")
        .annotate(count=Count("pk"))
        .order_by("-count", "city", "state")
    )
    return {
        "specialties": [
            {
                "slug": r["specialty__slug"],
                "name": r["specialty__name"],
                "count": r["count"],
            }
            for r in specialties
        ],
        "credentials": [
            {
                "slug": r["credential__slug"],
                "abbreviation": r["credential__abbreviation"],
                "count": r["count"],
            }
            for r in credentials
        ],
        "cities": [
            {"name": r["city"], "state": r["state"], "count": r["count"]}
            for r in cities
        ],
    }


def sync_trainers(*, cursor=None, limit=DEFAULT_SYNC_LIMIT) -> dict:
    """Changes after ``cursor``: at most ``limit`` distinct profiles per batch.

    Each profile is reported in its current state: in ``changed`` if it is live
    and public now, otherwise in ``removedIds``. Any later change appends a new
    log row, so replaying every batch converges on the live directory.

    The cursor is the last row id read. That is safe because log rows become
    visible in id order (writers are serialised by ``lock_change_log``): no
    row with a lower id can commit after this read, so ``hasMore`` false means
    caught up with every committed change.
    """
    limit, _ = check_pagination(limit, 0)
    after = decode_cursor(cursor)
    if after:
        # MAX(id), not ORDER BY id DESC LIMIT 1: SQLite plans the latter as a
        # SCAN (it stops at the first row, but reads as a full scan).
        latest = TrainerChange.objects.aggregate(latest=Max("id"))["latest"]
        if after > (latest or 0):
            raise ApiError(
                "The sync cursor is ahead of this server's change log. "
                "Sync again from the start (cursor: null).",
                code=ErrorCode.INVALID_CURSOR,
            )
    # Over-fetch rows so repeated changes of one profile don't shrink batches.
    rows = list(
        TrainerChange.objects.filter(id__gt=after)
        .order_by("id")
        .values_list("id", "page_id")[: limit * 5 + 1]
    )
    page_ids: list[int] = []
    seen = set()
    last_id = after
    consumed = 0
    for change_id, page_id in rows:
        if page_id not in seen:
            if len(page_ids) == limit:
                break
            seen.add(page_id)
            page_ids.append(page_id)
        last_id = change_id
        consumed += 1
    has_more = consumed < len(rows)
    live = public_trainers().in_bulk(page_ids) if page_ids else {}
    return {
        "changed": [live[pk] for pk in page_ids if pk in live],
        "removed_ids": [str(pk) for pk in page_ids if pk not in live],
        "next_cursor": encode_cursor(last_id),
        "has_more": has_more,
    }

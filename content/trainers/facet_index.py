"""The public trainer directory in memory, for filters, counts and facets.

Facet counts and ``totalCount`` aggregate over every matching profile: in
SQL their cost grows with the number of matches (docs/scale.md). This index
holds, per public profile, only what the filters, the orderings and the
facets read (ids of specialties and current credentials, city and state, the
service flags, coordinates, sort keys), so that filtering, counting and
ordering a filter's matches is a pass over small tuples, with no SQL.

It lives on the visibility snapshot (``cms.selectors.visibility``), which is
keyed on the content generation: every publish, unpublish, move, restriction
or catalogue change bumps the generation, so an index is never stale because
of an edit. What changes with the clock alone is handled here: the index is
rebuilt when a profile (or a branch above it) it holds reaches its expiry
time, and when the local date changes (a credential is current through its
expiry date, ``selectors.current_credential_q``). Without a shared snapshot
(``PUBLIC_VISIBILITY_CACHE`` off, inside a transaction, generation unknown)
``current()`` returns None and the caller uses SQL. Past ``MAX_TRAINERS``
public profiles no index is kept (memory stays bounded): SQL again.

Where Python could disagree with the database, the index declines
(``match`` returns None) and SQL answers: case-insensitive matches with a
pattern that is not ASCII, or over a value holding a character that
upper-cases to ASCII (SQLite's LIKE folds ASCII only, PostgreSQL's UPPER
more).
Names are ranked in the database's own collation (``ORDER BY`` at build).
"""

import datetime
import functools
import string
from typing import NamedTuple

from django.utils import timezone

from cms.graphql.errors import ApiError, ErrorCode
from cms.selectors import public_pages, visibility
from content.catalogue.models import Credential, Specialty
from content.trainers.models import (
    SERVICE_FIELDS,
    TrainerCredential,
    TrainerProfilePage,
)

MAX_TRAINERS = 20_000  # about 1 KB each: 20 MB at most per process
_KEY = "_trainer_facet_index"
SERVICE_BITS = {service.value: 1 << i for i, service in enumerate(SERVICE_FIELDS)}
_FIELDS = (
    "pk",
    "title",
    "headline",
    "city",
    "state",
    *SERVICE_FIELDS.values(),  # in SERVICE_BITS' order
    "accepting_new_clients",
    "latitude",
    "longitude",
    "last_published_at",
    "expire_at",
)


class Row(NamedTuple):
    pk: int
    title: str
    name_rank: int  # position in ORDER BY title, pk
    text: str | None  # title + "\n" + headline, ``_ascii_lower``
    city_key: str | None  # ``_ascii_lower``
    state_key: str | None
    place: int  # (city, state) id, ranked by ORDER BY city, state
    services: int  # SERVICE_BITS
    accepting: bool
    latitude: float | None
    longitude: float | None
    last_published_at: datetime.datetime | None
    specialties: tuple[int, ...]
    credentials: tuple[int, ...]  # current ones, distinct


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _ascii_lower(value: str) -> str | None:
    """``value`` with its ASCII letters lower-cased, for comparing with an
    ASCII pattern as SQLite's LIKE and PostgreSQL's UPPER() both do; None if
    a character outside ASCII upper-cases to ASCII (ß, ı, ſ, ligatures),
    where the two databases may differ."""
    if value.isascii():
        return value.lower()
    if any(map(_upper_is_ascii, set(value).difference(_ASCII))):
        return None
    return value.translate(_ASCII_LOWER)


_ASCII = frozenset(map(chr, range(128)))


@functools.cache
def _upper_is_ascii(char: str) -> bool:
    return any(c.isascii() for c in char.upper())


def _mask(positions) -> int:
    """A bitset (an int) with the bits at ``positions`` set."""
    positions = list(positions)
    if not positions:
        return 0
    bits = bytearray(max(positions) // 8 + 1)
    for pos in positions:
        bits[pos >> 3] |= 1 << (pos & 7)
    return int.from_bytes(bits, "little")


class Matches:
    """A filter's matches: a bitset over the index's rows (bit i is the
    i-th profile by name), read as rows in name order."""

    __slots__ = ("index", "mask")

    def __init__(self, index: "FacetIndex", mask: int):
        self.index, self.mask = index, mask

    def __len__(self) -> int:
        return self.mask.bit_count()

    def rows(self, start: int = 0, stop: int | None = None) -> list["Row"]:
        """The ``start``-th to ``stop``-th matching rows, in name order."""
        bits, rows, found, pos = bin(self.mask)[:1:-1], self.index.rows, [], -1
        for _ in range(stop if stop is not None else len(self)):
            pos = bits.find("1", pos + 1)
            if pos < 0:
                break
            found.append(rows[pos])
        return found[start:]

    def __iter__(self):
        return iter(self.rows())

    def subset(self, pks) -> "Matches":
        """The matches among ``pks``."""
        position = self.index.position
        return Matches(self.index, _mask(position[pk] for pk in pks) & self.mask)


class FacetIndex:
    def __init__(self, seen, now: datetime.datetime):
        self.built_on = timezone.localdate(now)
        # Specialty and credential vocabularies, in the database's order.
        self.specialties = {}  # id -> (rank, slug, name)
        for rank, (pk, slug, name) in enumerate(
            Specialty.objects.order_by("name", "slug").values_list("pk", "slug", "name")
        ):
            self.specialties[pk] = (rank, slug, name)
        self.credentials = {}  # id -> (rank, slug, abbreviation)
        for rank, (pk, slug, abbreviation) in enumerate(
            Credential.objects.order_by("abbreviation", "slug").values_list(
                "pk", "slug", "abbreviation"
            )
        ):
            self.credentials[pk] = (rank, slug, abbreviation)
        self.specialty_ids = {v[1]: k for k, v in self.specialties.items()}
        self.credential_ids = {v[1]: k for k, v in self.credentials.items()}

        profiles = public_pages(TrainerProfilePage.objects)
        self.too_large = profiles.count() > MAX_TRAINERS
        if self.too_large:
            self.valid_until = None
            return
        rows = list(profiles.order_by("title", "pk").values_list(*_FIELDS))
        pks = {row[0] for row in rows}
        held: dict[int, list[int]] = {}
        through = TrainerProfilePage.specialties.through.objects
        for page_id, specialty_id in through.values_list(
            "trainerprofilepage_id", "specialty_id"
        ):
            if page_id in pks:
                held.setdefault(page_id, []).append(specialty_id)
        current: dict[int, set[int]] = {}
        for page_id, credential_id, expires_on in TrainerCredential.objects.values_list(
            "page_id", "credential_id", "expires_on"
        ):
            if page_id in pks and (expires_on is None or expires_on >= self.built_on):
                current.setdefault(page_id, set()).add(credential_id)
        places = sorted({(row[3], row[4]) for row in rows})
        # Rank (city, state) as the database orders them, not as Python does.
        ordered = (
            profiles.order_by("city", "state").values_list("city", "state").distinct()
        )
        ranks = {place: rank for rank, place in enumerate(ordered)}
        self.places = sorted(places, key=lambda p: (ranks.get(p, len(ranks)), p))
        place_ids = {place: i for i, place in enumerate(self.places)}

        self.rows: list[Row] = []
        expiries = []
        for rank, r in enumerate(rows):
            pk, title, headline, city, state = r[:5]
            flags = zip(SERVICE_BITS.values(), r[5:8], strict=True)
            services = sum(bit for bit, on in flags if on)
            text = f"{title}\n{headline}"
            self.rows.append(
                Row(
                    pk=pk,
                    title=title,
                    name_rank=rank,
                    text=_ascii_lower(text),
                    city_key=_ascii_lower(city),
                    state_key=_ascii_lower(state),
                    place=place_ids[(city, state)],
                    services=services,
                    accepting=r[8],
                    latitude=r[9],
                    longitude=r[10],
                    last_published_at=r[11],
                    specialties=tuple(sorted(set(held.get(pk, ())))),
                    credentials=tuple(sorted(current.get(pk, ()))),
                )
            )
            if r[12] is not None:
                expiries.append(r[12])
        self.by_pk = {row.pk: row for row in self.rows}
        self.position = {row.pk: i for i, row in enumerate(self.rows)}
        # Bitsets: every row, and the rows of each filter or facet value.
        self.everyone = (1 << len(self.rows)) - 1
        self.by_specialty = self._masks(lambda r: r.specialties)
        self.by_credential = self._masks(lambda r: r.credentials)
        self.by_place = self._masks(lambda r: (r.place,))
        self.by_service = self._masks(
            lambda r: [bit for bit in SERVICE_BITS.values() if r.services & bit]
        )
        self.accepting = self._masks(lambda r: (r.accepting,)).get(True, 0)
        self.by_city = self._masks(lambda r: (r.city_key,))
        self.by_state = self._masks(lambda r: (r.state_key,))
        # A live branch above a profile may expire too: hidden from then on.
        expiries += [at for _, live, at in seen.branch_heads if live and at is not None]
        future = [at for at in expiries if at > now]
        self.valid_until = min(future) if future else None

    def _masks(self, keys) -> dict:
        """key -> bitset of the rows whose ``keys(row)`` hold it."""
        positions: dict = {}
        for pos, row in enumerate(self.rows):
            for key in keys(row):
                positions.setdefault(key, []).append(pos)
        return {key: _mask(found) for key, found in positions.items()}

    def fresh(self, now: datetime.datetime) -> bool:
        if timezone.localdate(now) != self.built_on:
            return False
        return self.valid_until is None or now < self.valid_until

    # Filters -----------------------------------------------------------------

    def _ids(self, vocabulary: dict, slugs, label: str) -> set[int]:
        """``selectors._known_slugs`` against the vocabulary in memory."""
        slugs = sorted(set(slugs))
        unknown = [s for s in slugs if s not in vocabulary]
        if unknown:
            raise unknown_values(label, unknown)
        return {vocabulary[s] for s in slugs}

    def _any(self, masks: dict, keys) -> int:
        found = 0
        for key in keys:
            found |= masks.get(key, 0)
        return found

    def match(self, flt) -> Matches | None:
        """The rows ``selectors.apply_filter`` would keep, or None where
        Python might disagree with SQL (the caller uses SQL)."""
        mask = self.everyone
        if not flt:
            return Matches(self, mask)
        if flt.get("specialties"):
            wanted = self._ids(self.specialty_ids, flt["specialties"], "specialty")
            mask &= self._any(self.by_specialty, wanted)
        if flt.get("credentials"):
            held = self._ids(self.credential_ids, flt["credentials"], "credential")
            mask &= self._any(self.by_credential, held)
        for field, masks in (("city", self.by_city), ("state", self.by_state)):
            if flt.get(field):
                key = flt[field].strip()
                if not key.isascii() or None in masks:
                    return None
                mask &= masks.get(key.lower(), 0)
        if flt.get("services"):
            bits = [SERVICE_BITS[getattr(s, "value", s)] for s in flt["services"]]
            mask &= self._any(self.by_service, bits)
        accepting = flt.get("accepting_new_clients")
        if accepting is not None:
            mask &= self.accepting if accepting else self.everyone ^ self.accepting
        text = (flt.get("query") or "").strip()
        if text:
            if len(text) > 100:
                raise ApiError("query is limited to 100 characters.")
            # LIKE '%text%' on title or headline: a substring of either (the
            # newline joining them is in neither, so not in the pattern).
            key = text.lower()
            if not key.isascii() or "\n" in key:
                return None
            if any(r.text is None for r in self.rows):
                return None
            mask &= _mask(i for i, r in enumerate(self.rows) if key in r.text)
        return Matches(self, mask)

    # Facets ------------------------------------------------------------------

    def facets(self, matches: Matches) -> dict:
        """``selectors.compute_facets``: per value, the matches among its
        rows (a bitwise AND and a popcount each), by count then name."""
        mask = matches.mask

        def counted(masks: dict, rank) -> list[tuple[int, int]]:
            counts = [(key, (mask & rows).bit_count()) for key, rows in masks.items()]
            found = [(key, n) for key, n in counts if n]
            return sorted(found, key=lambda kv: (-kv[1], rank(kv[0])))

        spec, cred = self.specialties, self.credentials
        return {
            "specialties": [
                {"slug": spec[pk][1], "name": spec[pk][2], "count": n}
                for pk, n in counted(self.by_specialty, lambda pk: spec[pk][0])
            ],
            "credentials": [
                {"slug": cred[pk][1], "abbreviation": cred[pk][2], "count": n}
                for pk, n in counted(self.by_credential, lambda pk: cred[pk][0])
            ],
            "cities": [
                {"name": self.places[i][0], "state": self.places[i][1], "count": n}
                for i, n in counted(self.by_place, lambda i: i)
            ],
        }


def unknown_values(label: str, unknown: list[str]) -> ApiError:
    return ApiError(
        f"Unknown {label}: {', '.join(unknown)}.",
        code=ErrorCode.UNKNOWN_FILTER_VALUE,
        field=label,
        values=unknown,
    )


def current() -> FacetIndex | None:
    """The index for the current generation and time, built when missing or
    out of date; None when it should not be used (see the module doc)."""
    seen = visibility()
    if not seen.shared:
        return None
    now = timezone.now()
    index = seen.__dict__.get(_KEY)
    if index is None or not index.fresh(now):
        index = FacetIndex(seen, now)
        seen.__dict__[_KEY] = index
    return None if index.too_large else index

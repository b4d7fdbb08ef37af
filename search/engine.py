"""One search over every public content type.

Each content type registers a ``SearchSource``: its public queryset and how to
turn a row into a hit. A search runs one full-text query and one count per
selected source (so the SQL count is constant in the page size), merges the
hits by score, and bulk-loads what the page needs.

Input is reduced to plain words before it reaches the backend: quotes,
operators and FTS syntax never reach SQLite's MATCH or PostgreSQL's
tsquery, so hostile strings cost no more than ordinary ones.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wagtail.search.backends import get_search_backend

from cms.graphql.errors import ApiError
from cms.graphql.pagination import check_pagination

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
EXCERPT_CHARS = 180
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchErrorCode:
    QUERY_TOO_LONG = "SEARCH_QUERY_TOO_LONG"


@dataclass
class SearchSource:
    key: str
    label: str
    queryset: Callable[[], Any]
    title: Callable[[Any], str]
    text: Callable[[Any], str]
    url: Callable[[Any], str | None]
    load: Callable[[list[int]], dict[int, Any]] | None = None
    autocomplete: bool = True


@dataclass
class Hit:
    source: SearchSource
    obj: Any
    score: float
    rank: int = 0
    excerpt: str = ""

    @property
    def type(self) -> str:
        return self.source.key


@dataclass
class SearchResults:
    query: str
    hits: list[Hit]
    total_count: int
    limit: int
    offset: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_next_page(self) -> bool:
        return self.offset + len(self.hits) < self.total_count


_SOURCES: dict[str, SearchSource] = {}


def register_source(source: SearchSource) -> None:
    _SOURCES[source.key] = source


def sources() -> dict[str, SearchSource]:
    return dict(_SOURCES)


def terms_of(query: str | None) -> list[str]:
    """The words of a query, validated: at most MAX_QUERY_LENGTH characters."""
    query = query or ""
    if len(query) > MAX_QUERY_LENGTH:
        raise ApiError(
            f"Search queries are limited to {MAX_QUERY_LENGTH} characters.",
            code=SearchErrorCode.QUERY_TOO_LONG,
            maxLength=MAX_QUERY_LENGTH,
        )
    return _WORD.findall(query)[:MAX_TERMS]


def excerpt(text: str, terms: list[str], size: int = EXCERPT_CHARS) -> str:
    """A short HTML-escaped window of ``text`` with matched terms in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    lowered = text.lower()
    positions = [lowered.find(t.lower()) for t in terms if t]
    positions = [p for p in positions if p >= 0]
    start = max(0, min(positions) - size // 3) if positions else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    window = text[start : start + size]
    end_cut = start + size < len(text)
    escaped = html.escape(window)
    if terms:
        pattern = re.compile(
            "|".join(
                re.escape(html.escape(t)) for t in sorted(terms, key=len, reverse=True)
            ),
            re.IGNORECASE,
        )
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return ("…" if start else "") + escaped + ("…" if end_cut else "")


def _lower_is_better() -> bool:
    return "sqlite" in type(get_search_backend()).__module__


def _scored(source: SearchSource, words: str, window: int) -> tuple[list, int]:
    results = (
        get_search_backend()
        .search(words, source.queryset(), operator="or", order_by_relevance=True)
        .annotate_score("_score")
    )
    total = results.count()
    top = list(results[:window]) if total else []
    return top, total


def run_search(query: str | None, keys: list[str] | None, limit: int, offset: int):
    limit, offset = check_pagination(limit, offset)
    terms = terms_of(query)
    selected = [s for k, s in _SOURCES.items() if not keys or k in keys]
    if not terms:
        return SearchResults(query or "", [], 0, limit, offset)
    words = " ".join(terms)
    window = offset + limit
    merged: list[Hit] = []
    counts: dict[str, int] = {}
    for source in selected:
        top, total = _scored(source, words, window)
        counts[source.key] = total
        merged.extend(Hit(source, obj, float(obj._score or 0.0)) for obj in top)
    # Stable order: score, then type order, then title, so pages never shuffle.
    # SQLite's bm25() is lower-is-better; PostgreSQL and Elasticsearch are
    # higher-is-better.
    sign = 1 if _lower_is_better() else -1
    order = {s.key: i for i, s in enumerate(selected)}
    merged.sort(key=lambda h: (sign * h.score, order[h.type], h.source.title(h.obj)))
    page = merged[offset:window]
    _load(page)
    for rank, hit in enumerate(page, start=offset + 1):
        hit.rank = rank
        hit.excerpt = excerpt(hit.source.text(hit.obj), terms)
    return SearchResults(
        query or "", page, sum(counts.values()), limit, offset, counts=counts
    )


def _load(page: list[Hit]) -> None:
    """Swap search rows for fully loaded objects, one bulk query per source."""
    by_source: dict[str, list[Hit]] = {}
    for hit in page:
        by_source.setdefault(hit.type, []).append(hit)
    for hits in by_source.values():
        source = hits[0].source
        if source.load is None:
            continue
        loaded = source.load([h.obj.pk for h in hits])
        for hit in hits:
            hit.obj = loaded.get(hit.obj.pk, hit.obj)


def suggest(prefix: str | None, keys: list[str] | None, limit: int) -> list[Hit]:
    """Type-ahead: titles and names starting with the prefix's words."""
    terms = terms_of(prefix)
    if not terms:
        return []
    words = " ".join(terms)
    hits: list[Hit] = []
    for key, source in _SOURCES.items():
        if (keys and key not in keys) or not source.autocomplete:
            continue
        results = get_search_backend().autocomplete(
            words, source.queryset(), operator="and"
        )
        hits.extend(Hit(source, obj, 0.0) for obj in results[:limit])
    hits.sort(key=lambda h: h.source.title(h.obj).lower())
    return hits[:limit]

"""Materialised objects: a published page as a query selects it, kept per
revision.

Most of an uncached article detail is Python: building the relations'
queries, StreamField decoding, the chooser blocks' lookups and graphql-core
completing a few hundred values. The completed object depends only on the
page's revision, the selection (and the variables it uses), the request's
host and scheme, and the objects it shows (authors, tables, trainers,
images, linked pages). So for the types named in
``GRAPHQL_MATERIALISED_TYPES`` (``ArticlePage``), when a single-object root
field (``EDGE_MISS_TAGS_BY_ROOT_FIELD``: ``article``) finds one, the
executor (``cms.graphql.pipeline.execute``) keeps the completed object in a
row (``cms.models.MaterialisedObject``) and, while it is current, serves the
row instead of completing it: one indexed read and one tag-version check
replace the relations' queries and the completion. The loads a resolver
would have run for it wait (``defer``) and run only on a miss.

Current means what a cached response needs (``cms.graphql.versions``): the
row was computed at generation ``stamp`` and none of its tags (the page's
own, and every object collected while it completed) has a newer version,
and the next scheduled go-live or expiry (``cms.graphql.horizon``) has not
passed. A found single object carries no list tags, so these are all a
cached response of it would carry. Being keyed by the live revision too, a
publish never reads the previous version even before its tags are bumped.
A selection with a field whose value changes without a content change
(``GRAPHQL_MATERIALISE_VOLATILE_FIELDS``: ``viewCount``) is never kept.

Only operation files are materialised (the view sets ``materialise_at``):
their selections are few and known, so the table holds at most one row per
page, operation, host and scheme (an upsert replaces the row of an older
revision). Previews, mutations and requests without a content generation
never are. A value with errors is never kept, and failing to read or write
a row falls back to completing the object.
"""

import functools
import hashlib
import json
import logging
import time

from django.db import DatabaseError, connection, transaction
from graphql import FragmentSpreadNode, VariableNode, print_ast
from graphql.language import Visitor, visit

from cms.graphql import horizon, versions
from cms.graphql.config import graphql_settings
from cms.graphql.tags import EVERY_RESPONSE, object_tag

logger = logging.getLogger("cms.graphql")

# Past this many objects a body's tags would overflow (``EDGE_MAX_TAGS``):
# such a body is resolved every time rather than kept.
MAX_TAGS = 200
# A row is kept this long at most, or until the next scheduled change.
KEEP_SECONDS = 7 * 24 * 3600

_fingerprints: dict[int, tuple] = {}
_FINGERPRINT_MEMO = 2048


class _Uses(Visitor):
    def __init__(self):
        super().__init__()
        self.fragments: set[str] = set()
        self.variables: set[str] = set()
        self.fields: set[str] = set()

    def enter_field(self, node, *_args):
        self.fields.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args):
        self.fragments.add(node.name.value)

    def enter_variable(self, node: VariableNode, *_args):
        self.variables.add(node.name.value)


def _selection(field_nodes, fragments):
    """The field's selection printed with every fragment it reaches, the
    variables it uses and the names of the fields it selects."""
    texts = [print_ast(node) for node in field_nodes]
    seen: set[str] = set()
    variables: set[str] = set()
    names: set[str] = set()
    pending = list(field_nodes)
    while pending:
        uses = _Uses()
        visit(pending.pop(), uses)
        variables |= uses.variables
        names |= uses.fields
        for name in sorted(uses.fragments - seen):
            seen.add(name)
            fragment = fragments.get(name)
            if fragment is not None:
                texts.append(print_ast(fragment))
                pending.append(fragment)
    volatile = bool(names & graphql_settings().materialise_volatile_fields)
    return "\n".join(texts), tuple(sorted(variables)), volatile


def fingerprint(field_nodes, fragments, variable_values) -> str | None:
    """What the field's value depends on in the document: its selection,
    the fragments it spreads and the values of the variables it uses; None
    when it selects a volatile field (never kept)."""
    node = field_nodes[0]
    memo = _fingerprints.get(id(node))
    if memo is None or memo[0] is not node:
        if len(_fingerprints) >= _FINGERPRINT_MEMO:
            _fingerprints.clear()
        memo = _fingerprints[id(node)] = (node, *_selection(field_nodes, fragments))
    _node, text, names, volatile = memo
    if volatile:
        return None
    used = {name: variable_values.get(name) for name in names}
    return text + "\n" + json.dumps(used, sort_keys=True, default=str)


def kept_types() -> frozenset[str]:
    return graphql_settings().materialised_types


def is_kept(context, type_name: str) -> bool:
    """Whether this request may read objects of ``type_name`` from rows."""
    return getattr(context, "materialise_at", None) is not None and (
        type_name in kept_types()
    )


def defer(context, type_name: str, load) -> None:
    """Run ``load`` (batch loading for objects of ``type_name``) only if one
    is completed, not served from a row: once, before its fields resolve."""
    context.deferred_loads.setdefault(type_name, []).append(load)


def run_deferred(context, type_name: str) -> None:
    for load in context.deferred_loads.pop(type_name, ()):
        load()


class Pending:
    """An object a root field found by its key alone (id and live
    revision), loaded by ``load`` only if its row misses (``loaded``)."""

    __slots__ = ("pk", "live_revision_id", "load")

    def __init__(self, pk: int, live_revision_id: int | None, load):
        self.pk = pk
        self.live_revision_id = live_revision_id
        self.load = load


def loaded(source):
    """``source``, or the object a ``Pending`` stands for (None if it is
    gone by now)."""
    return source.load() if isinstance(source, Pending) else source


def slot_for(type_name, source, request, selection) -> str:
    raw = "|".join(
        (
            type_name,
            str(source.pk),
            request.scheme,
            request.get_host(),
            selection,
        )
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def revision_of(source) -> int:
    return getattr(source, "live_revision_id", None) or 0


@functools.cache
def _select_sql(vendor: str) -> str:
    from cms.models import MaterialisedObject

    table = connection.ops.quote_name(MaterialisedObject._meta.db_table)
    return (
        f"SELECT data, tags, stamp, expires_at FROM {table}"
        " WHERE slot = %s AND revision = %s"
    )


def read(slot: str, revision: int):
    """The kept value and its tags, when current; else None."""
    # Raw SQL: on the hot path, where compiling an ORM query would cost more
    # than the read.
    try:
        with connection.cursor() as cursor:
            cursor.execute(_select_sql(connection.vendor), [slot, revision])
            row = cursor.fetchone()
    except DatabaseError:
        logger.warning("materialised object unreadable", exc_info=True)
        return None
    if row is None:
        return None
    data, tag_text, stamp, expires_at = row
    if expires_at <= time.time():
        return None
    tags = tag_text.split()
    _now, state = versions.check(sorted({EVERY_RESPONSE, *tags}), stamp)
    if state != versions.CURRENT:
        return None
    return json.loads(data), tags


def write(slot: str, source, revision: int, value, tags, generation: int) -> None:
    """Keep ``value``, computed at ``generation``, for ``revision``."""
    from cms.models import MaterialisedObject

    tags = sorted(set(tags))
    if len(tags) > MAX_TAGS:
        return
    lifetime = horizon.bound(KEEP_SECONDS, generation)
    if lifetime <= 0:
        return
    try:
        versions.note_tags(sorted({EVERY_RESPONSE, *tags}), generation)
        with transaction.atomic():
            MaterialisedObject.objects.bulk_create(
                [
                    MaterialisedObject(
                        slot=slot,
                        page_id=source.pk,
                        revision=revision,
                        data=json.dumps(value, separators=(",", ":")),
                        tags=" ".join(tags),
                        stamp=generation,
                        expires_at=int(time.time()) + lifetime,
                    )
                ],
                update_conflicts=True,
                unique_fields=["slot"],
                update_fields=[
                    "page_id",
                    "revision",
                    "data",
                    "tags",
                    "stamp",
                    "expires_at",
                ],
            )
    except DatabaseError:
        logger.warning("materialised object not kept", exc_info=True)


def own_tags(source) -> list[str]:
    tag = object_tag(source)
    return [tag] if tag else []

"""Cache tags: what a response contains, named so a change can purge it.

A tag per object a response contains (``article:12``, ``table:3``), a type
tag per kind of object in it (``article``: the webhooks' ``cacheTags`` use
the same names, ``webhooks.events.cache_tags``), list tags for root fields
whose answer changes when something is added or removed (``article:list``,
``trainerDirectory``, ``settings``), and ``graphql`` on every response. A
root field named in none of the settings' maps (nor static, nor
introspection) gets ``overflow``: any change invalidates it.

Objects are collected while the operation executes: graphql-core calls
``execute_fields`` once per object it resolves fields on, and the execute
step (``cms.graphql.pipeline.execute``) hands each source value to
``collect``. A model instance adds its tag: a dict lookup per object, no
query. Root fields add list tags; a single-object root field that found
nothing adds its list tag too, so publishing that object purges the miss.

Past ``EDGE_MAX_TAGS`` the object tags give way to ``overflow``, which
every purge includes (``purge_tags``): a response holding too many objects
is dropped on any change rather than missed.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.db import models

EVERY_RESPONSE = "graphql"
OVERFLOW = "overflow"

_NOT_A_MODEL = ""
_prefixes: dict[type, str] = {}


def prefix_for_label(label_lower: str) -> str:
    """The tag prefix of a model (``content.articlepage`` -> ``article``)."""
    names = settings.EDGE_TAG_PREFIXES
    return names.get(label_lower) or label_lower.rpartition(".")[2]


def _prefix(cls: type) -> str:
    prefix = _prefixes.get(cls)
    if prefix is None:
        if issubclass(cls, models.Model):
            prefix = prefix_for_label(cls._meta.label_lower)
        else:
            prefix = _NOT_A_MODEL
        _prefixes[cls] = prefix
    return prefix


def object_tag(obj) -> str | None:
    prefix = _prefix(type(obj))
    if not prefix or obj.pk is None:
        return None
    return f"{prefix}:{obj.pk}"


def tags_for_object(obj) -> list[str]:
    """What to purge when ``obj`` changes: its own tag, and for a page its
    generic ``page:<id>`` (where it is read as a plain page)."""
    tags = []
    tag = object_tag(obj)
    if tag:
        tags.append(tag)
    page_tag = f"{prefix_for_label('wagtailcore.page')}:{obj.pk}"
    if hasattr(obj, "url_path") and page_tag not in tags:
        tags.append(page_tag)
    return tags


def list_tags_for_label(label_lower: str) -> tuple[str, ...]:
    """List tags that adding or removing an object of this model changes."""
    return tuple(settings.EDGE_LIST_TAGS_BY_MODEL.get(label_lower, ()))


class Collector:
    """The tags of one response, gathered during execution."""

    __slots__ = ("objects", "lists")

    def __init__(self):
        self.objects: set[str] = set()
        self.lists: set[str] = {EVERY_RESPONSE}

    def collect(self, source) -> None:
        if source is None:
            return
        prefix = _prefix(type(source))
        if prefix:
            pk = source.pk
            if pk is not None:
                self.objects.add(f"{prefix}:{pk}")

    def collect_root(self, fields, results) -> None:
        """List tags of the root fields; a missed single lookup adds its
        list tag (the object may be published later)."""
        by_field = settings.EDGE_LIST_TAGS_BY_ROOT_FIELD
        on_miss = settings.EDGE_MISS_TAGS_BY_ROOT_FIELD
        static = settings.EDGE_STATIC_ROOT_FIELDS
        for key, nodes in fields.items():
            name = nodes[0].name.value
            self.lists.update(by_field.get(name, ()))
            if name in on_miss and results.get(key) is None:
                self.lists.update(on_miss[name])
            if not (
                name in by_field
                or name in on_miss
                or name in static
                or name.startswith("__")
            ):
                # Nothing says what it depends on: any change drops it.
                self.lists.add(OVERFLOW)

    def tags(self) -> list[str]:
        types = {tag.partition(":")[0] for tag in self.objects}
        fixed = sorted(self.lists | types)
        budget = settings.EDGE_MAX_TAGS - len(fixed)
        if len(self.objects) > budget:
            return [*fixed, OVERFLOW]
        return [*fixed, *sorted(self.objects)]


def purge_tags(tags) -> list[str]:
    """The tags a purge sends: the given ones plus ``overflow``."""
    return sorted({*tags, OVERFLOW})


def _clear(**kwargs):
    if kwargs.get("setting") == "EDGE_TAG_PREFIXES":
        _prefixes.clear()


setting_changed.connect(_clear, dispatch_uid="cms.graphql.tags.clear")

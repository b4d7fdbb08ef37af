"""Batch loading for trainers: what bios link to, and the profiles that the
featured-trainers blocks of a page of articles choose."""

from cms.graphql.selection import selected_fields
from content.richtext.selectors import prime_sources, raw_strings
from content.trainers.selectors import public_trainers

# The name ``prime_body_links`` primes the featured trainers under, in the
# request context's loaders.
FEATURED_TRAINERS = "featured_trainers"


def prime_bio_links(trainers: list, info, *path: str) -> None:
    """Look up every page and document the trainers' bios link to, when the
    bio is selected (under ``path``); otherwise it may not even be loaded."""
    if trainers and "bio" in selected_fields(info, *path):
        prime_sources(
            info, [text for t in trainers for text in raw_strings(list(t.bio.raw_data))]
        )


class FeaturedTrainers:
    """The profiles every featured-trainers block of the resolved bodies
    chooses, loaded in one query (with the relations the selection needs)
    when the first block is resolved."""

    def __init__(self, ids):
        self.ids = set(ids)
        self.by_pk = None

    def get(self, chosen: list, info) -> dict | None:
        if not self.ids.issuperset(chosen):
            return None
        if self.by_pk is None:
            queryset = public_trainers(fields=selected_fields(info))
            self.by_pk = queryset.in_bulk(sorted(self.ids))
        return self.by_pk


def featured_trainer_ids(value) -> list[int]:
    """The pages a featured-trainers block value chooses (pages or raw ids,
    depending on who read the value)."""
    return [getattr(p, "pk", p) for p in value.get("trainers") or [] if p]

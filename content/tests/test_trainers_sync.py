import random

import pytest
from wagtail.models import PageViewRestriction

from content.tests.support import make_directory
from content.trainers.factories import (
    TrainerDirectoryPageFactory,
    TrainerProfilePageFactory,
    publish,
)
from content.trainers.models import TrainerProfilePage
from content.trainers.services import encode_cursor

pytestmark = pytest.mark.django_db

SYNC = """
query($cursor: String, $limit: Int) {
  trainerSync(cursor: $cursor, limit: $limit) {
    changed { id headline }
    removedIds
    nextCursor
    hasMore
  }
}"""


def sync(gql, client_copy: dict, cursor, limit=3):
    """Apply every batch until caught up; return the new cursor."""
    while True:
        batch = gql.data(SYNC, {"cursor": cursor, "limit": limit})["trainerSync"]
        size = len(batch["changed"]) + len(batch["removedIds"])
        # A batch is full while more follow; the last holds what is left.
        assert size == limit if batch["hasMore"] else 0 < size <= limit
        for item in batch["changed"]:
            client_copy[item["id"]] = item["headline"]
        for removed in batch["removedIds"]:
            client_copy.pop(removed, None)
        cursor = batch["nextCursor"]
        if not batch["hasMore"]:
            return cursor


def live_directory() -> dict:
    return {
        str(pk): headline
        for pk, headline in TrainerProfilePage.objects.live()
        .public()
        .values_list("pk", "headline")
    }


def test_replayed_sync_equals_the_live_directory_after_random_changes(gql):
    rng = random.Random(4)
    directory = make_directory()
    # A second, private branch: moving a profile there must tombstone it.
    private_branch = TrainerDirectoryPageFactory(
        parent=directory.get_parent(), slug="private-trainers", title="Private"
    )
    PageViewRestriction.objects.create(
        page=private_branch, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    counter = iter(range(10_000))

    def pages():
        return list(TrainerProfilePage.objects.order_by("pk"))

    def create():
        page = TrainerProfilePageFactory(parent=directory, live=False)
        if rng.random() < 0.8:
            publish(page)

    def edit():
        page = rng.choice(pages())
        page.headline = f"Edited {next(counter)}"
        if rng.random() < 0.7:
            publish(page)
        else:
            page.save_revision()  # a draft edit changes nothing public

    def unpublish():
        live = [p for p in pages() if p.live]
        if live:
            rng.choice(live).unpublish()

    def delete():
        rng.choice(pages()).delete()

    def make_private():
        page = rng.choice(pages())
        if not PageViewRestriction.objects.filter(page=page).exists():
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )

    def make_public():
        restriction = PageViewRestriction.objects.exclude(page=private_branch).first()
        if restriction:
            restriction.delete()

    def move():
        page = rng.choice(pages())
        target = private_branch if page.get_parent().pk == directory.pk else directory
        target.refresh_from_db()  # treebeard reads the in-memory numchild
        page.move(target, pos="last-child")

    operations = [create, create, edit, edit, unpublish, delete, make_private]
    operations += [make_public, move]
    for _ in range(6):
        create()

    client_copy: dict = {}
    cursor = None
    # A second client that starts from scratch every round must agree too.
    for round_number in range(6):
        # Every kind of change happens each round, in a random order.
        for operation in rng.sample(operations, len(operations)):
            if TrainerProfilePage.objects.exists():
                operation()
            else:
                create()
        cursor = sync(gql, client_copy, cursor, limit=rng.choice([1, 3, 50]))
        assert client_copy == live_directory(), f"round {round_number}"
        fresh: dict = {}
        sync(gql, fresh, None, limit=50)
        assert fresh == live_directory(), f"fresh replay, round {round_number}"


def test_sync_with_no_changes_returns_the_same_position(gql):
    directory = make_directory()
    publish(TrainerProfilePageFactory(parent=directory))
    first = gql.data(SYNC, {"limit": 50})["trainerSync"]
    again = gql.data(SYNC, {"cursor": first["nextCursor"]})["trainerSync"]
    assert again["changed"] == []
    assert again["removedIds"] == []
    assert again["hasMore"] is False
    assert again["nextCursor"] == first["nextCursor"]


def test_never_published_profiles_leave_no_tombstone(gql):
    directory = make_directory()
    draft = TrainerProfilePageFactory(parent=directory, live=False)
    draft.delete()
    batch = gql.data(SYNC, {"limit": 50})["trainerSync"]
    assert batch["removedIds"] == []


@pytest.mark.parametrize(
    "cursor",
    ["garbage", encode_cursor(10**9), encode_cursor(1)[:-2] + "xx", "a:b:c"],
    # Fixed ids: signed cursors embed a timestamp, and xdist workers must
    # collect identical test ids.
    ids=["garbage", "from-the-future", "tampered", "wrong-shape"],
)
def test_a_bad_cursor_is_an_invalid_cursor_error(gql, cursor):
    assert gql.error_codes(SYNC, {"cursor": cursor}) == ["INVALID_CURSOR"]


def test_moving_a_profile_under_a_private_parent_tombstones_it(gql):
    directory = make_directory()
    private_branch = TrainerDirectoryPageFactory(
        parent=directory.get_parent(), slug="private-trainers", title="Private"
    )
    PageViewRestriction.objects.create(
        page=private_branch, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    page = publish(TrainerProfilePageFactory(parent=directory))
    cursor = gql.data(SYNC, {"limit": 50})["trainerSync"]["nextCursor"]
    private_branch.refresh_from_db()
    page.move(private_branch, pos="last-child")
    batch = gql.data(SYNC, {"cursor": cursor})["trainerSync"]
    assert batch["removedIds"] == [str(page.pk)]
    assert batch["changed"] == []


def test_renaming_a_specialty_resends_the_profiles_that_show_it(gql):
    from content.trainers.factories import SpecialtyFactory

    directory = make_directory()
    specialty = SpecialtyFactory(name="Older adults")
    page = TrainerProfilePageFactory(parent=directory)
    page.specialties.set([specialty])
    publish(page)
    other = publish(TrainerProfilePageFactory(parent=directory))
    cursor = gql.data(SYNC, {"limit": 50})["trainerSync"]["nextCursor"]
    specialty.name = "Active older adults"
    specialty.save()
    batch = gql.data(SYNC, {"cursor": cursor})["trainerSync"]
    assert [item["id"] for item in batch["changed"]] == [str(page.pk)]
    assert str(other.pk) not in batch["removedIds"]

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.selectors import is_public_page, public_pages


def _child(home, slug, **extra):
    page = Page(title=slug, slug=slug, **extra)
    home.add_child(instance=page)
    return page


def test_public_pages_excludes_drafts_private_and_expired(home):
    live = _child(home, "live")
    _child(home, "draft", live=False)
    expired = _child(home, "expired", expire_at=timezone.now() - timedelta(minutes=1))
    private = _child(home, "private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    below_private = Page(title="child", slug="child")
    private.add_child(instance=below_private)

    visible = set(
        public_pages(Page.objects.child_of(home)).values_list("slug", flat=True)
    )
    assert visible == {"live"}
    assert not public_pages(Page.objects.filter(pk=below_private.pk)).exists()
    assert is_public_page(live)
    assert not is_public_page(expired)
    assert not is_public_page(Page.objects.get(pk=below_private.pk))


@pytest.mark.parametrize(
    "parent_state",
    [
        {"live": False},
        {"expire_at": timezone.now() - timedelta(minutes=1)},
        {"live": False, "go_live_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "expired", "scheduled"],
)
def test_live_pages_under_a_hidden_parent_are_not_public(home, parent_state):
    parent = _child(home, "parent", **parent_state)
    child = Page(title="child", slug="child", live=True)
    parent.add_child(instance=child)
    grandchild = Page(title="grandchild", slug="grandchild", live=True)
    child.add_child(instance=grandchild)

    hidden = Page.objects.filter(pk__in=[child.pk, grandchild.pk])
    assert not public_pages(hidden).exists()
    assert not is_public_page(Page.objects.get(pk=child.pk))
    assert not is_public_page(Page.objects.get(pk=grandchild.pk))
    assert public_pages(Page.objects.filter(pk=home.pk)).exists()


def test_media_in_a_restricted_collection_or_below_it_is_not_public(db):
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    from cms.selectors import is_public_media, private_collection_ids

    root = Collection.get_first_root_node()
    open_collection = root.add_child(name="open")
    private = root.add_child(name="private")
    below = private.add_child(name="below")
    assert private_collection_ids() == frozenset()
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password="x"
    )

    assert private_collection_ids() == {private.pk, below.pk}
    assert is_public_media(Document(title="a", collection=open_collection))
    assert is_public_media(Document(title="r", collection=root))
    assert not is_public_media(Document(title="b", collection=below))
    assert not is_public_media(None)

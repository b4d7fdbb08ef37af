from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.selectors import is_public_page, public_pages
from home.demo import load_site


class _Out:
    def write(self, *_args):
        pass


@pytest.fixture
def home(db):
    return load_site(_Out())


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

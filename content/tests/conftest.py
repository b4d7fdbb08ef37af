from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Site

from content.articles.factories import ArticlePageFactory, BlogIndexPageFactory
from content.models import ArticlePage, BlogIndexPage
from home.demo import load_site


@pytest.fixture
def demo(db):
    """The full demo content, loaded through the management command."""
    call_command("load_demo_content", stdout=StringIO())
    return ArticlePage.objects.get(slug="physical-therapy-or-personal-training")


@pytest.fixture
def home(db):
    return load_site(StringIO())


@pytest.fixture
def blog(home) -> BlogIndexPage:
    index = BlogIndexPageFactory(parent=home)
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    return index


@pytest.fixture
def make_article(blog):
    def make(**kwargs):
        live = kwargs.pop("live", True)
        article = ArticlePageFactory(parent=blog, live=live, **kwargs)
        if live:
            article.save_revision().publish()
        return article

    return make

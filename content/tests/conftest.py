from io import StringIO

import pytest
from django.core.management import call_command

from content.articles.factories import ArticlePageFactory
from content.models import ArticlePage
from content.tests.support import make_directory


@pytest.fixture
def demo(db):
    """The full demo content, loaded through the management command."""
    call_command("load_demo_content", stdout=StringIO())
    return ArticlePage.objects.get(slug="physical-therapy-or-personal-training")


@pytest.fixture
def directory():
    """The trainer directory under the demo home page."""
    return make_directory()


@pytest.fixture
def make_article(blog):
    def make(**kwargs):
        live = kwargs.pop("live", True)
        article = ArticlePageFactory(parent=blog, live=live, **kwargs)
        if live:
            article.save_revision().publish()
        return article

    return make

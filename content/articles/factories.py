"""Factories for articles and authors; pages are created under a blog index."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from content.articles.models import ArticlePage, Author, BlogIndexPage


class AuthorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    credentials = "PT, DPT"
    role = "Physical therapist"

    class Meta:
        model = Author


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    title = "Blog"
    slug = "blog"

    class Meta:
        model = BlogIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    subtitle = "A subtitle"
    summary = "A summary."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>Body text.</p>"}]
    )

    class Meta:
        model = ArticlePage

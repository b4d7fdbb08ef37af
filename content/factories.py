"""Factories for content models; pages are created under a blog index."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from content.models import ArticlePage, Author, BlogIndexPage, ComparisonTable


class AuthorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    credentials = "PT, DPT"
    role = "Physical therapist"

    class Meta:
        model = Author


def table_rows(rows):
    return [
        {"type": "row", "value": {"criterion": criterion, "cells": cells}}
        for criterion, cells in rows
    ]


class ComparisonTableFactory(DjangoModelFactory):
    """A live two-column table; pass ``live=False`` for a never-published one."""

    title = factory.Sequence(lambda n: f"Table {n}")
    slug = factory.Sequence(lambda n: f"table-{n}")
    columns = factory.LazyFunction(
        lambda: [
            {"type": "column", "value": "Physical Therapists"},
            {"type": "column", "value": "Personal Trainers"},
        ]
    )
    rows = factory.LazyFunction(
        lambda: table_rows([("Ongoing Education", ["<p>60 hours</p>", "<p>CEUs</p>"])])
    )
    jurisdiction = "Wisconsin"
    live = True

    class Meta:
        model = ComparisonTable


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

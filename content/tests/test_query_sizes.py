"""SQL per request is constant in page size and in content size, for every
operation of the frontend contract.

Each operation runs twice, on a small and on a large answer: a page of 2 and
a page of 50 (10 for suggestions) for the paged operations, and for the
others the same operation over content grown in between: more featured
articles and trainers, social links, body blocks of every type, table rows,
profile relations, comments with replies. The two runs must cost exactly the
same number of queries, and that number is pinned (with the visibility
snapshot on and warm, as production runs it).
"""

from io import StringIO

import pytest
import wagtail_factories
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.articles.factories import ArticlePageFactory
from content.engagement.models import Comment, CommentStatus
from content.models import ArticlePage, BlogIndexPage, Specialty
from content.tables.factories import ComparisonTableFactory, table_rows
from content.tests.test_query_budget import body_blocks, contract, contract_variables
from content.trainers.factories import (
    CredentialFactory,
    TrainerCredentialFactory,
    TrainerEducationFactory,
    publish,
)
from content.trainers.models import TrainerProfilePage
from frontend_contract.tools import OPERATIONS_DIR
from home.models import (
    HomePage,
    HomePageFeaturedArticle,
    HomePageFeaturedTrainer,
    OrganisationSettings,
)

# Paged operations: the list whose length the limit sets, and variables
# under which more than 50 (or 10) items match.
PAGED = {
    "ArticleList": (("articles", "items"), {}),
    "CredentialCatalogue": (("credentials", "items"), {}),
    # One type: which types a page holds changes what it loads (a mixed page
    # costs the same for 5 or 50 hits: test_query_budget).
    "Search": (("search", "items"), {"query": "trainer", "types": ["TRAINER"]}),
    "SearchSuggestions": (("searchSuggestions",), {"prefix": "m"}),
    "TrainerDirectory": (
        ("trainers", "items"),
        {
            "filter": None,
            "near": {"latitude": 43.0731, "longitude": -89.4012, "radiusKm": 500},
        },
    ),
    "TrainerSync": (("trainerSync", "changed"), {}),
}

# The exact count of each operation at both sizes.
COUNTS = {
    "ArticleList": 5,
    "CredentialCatalogue": 3,
    "Search": 11,
    "SearchSuggestions": 4,
    # Generation, the page of profiles, credentials, education, specialties:
    # matches, totalCount and facets come from the in-memory index
    # (content.trainers.facet_index; SQL was a COUNT, the page and 3 facets).
    "TrainerDirectory": 5,
    "TrainerSync": 6,
    # Generation, the page, the featured articles, the featured trainers,
    # their specialties, the renditions of the hero and of the cards.
    "HomePage": 6,
    # Generation (site and settings are kept for the generation).
    "OrganisationSettings": 1,
    # Generation, the article, tags, authors, credentials, renditions; the
    # body's images, tables, documents and pages its links point at, the
    # call-to-action pages, the featured trainers' profiles.
    "ArticleDetail": 12,
    # Generation, the article, the approved-comment count, the view days'
    # sum, the page's count and rows, the replies (comment settings are kept
    # for the generation).
    "ArticleEngagement": 7,
    # Generation, the table.
    "ComparisonTable": 2,
    # Generation, the profile, credentials, education, specialties.
    "TrainerProfile": 5,
}


@pytest.fixture
def scaled_demo(db):
    """The demo content, a dozen generated articles and 60 trainers."""
    call_command(
        "load_demo_content", "--articles", "12", "--trainers", "60", stdout=StringIO()
    )


def test_every_contract_operation_is_measured_at_two_sizes():
    operations = {path.stem for path in OPERATIONS_DIR.glob("*.graphql")}
    assert operations == set(COUNTS)


def count(gql, query, variables) -> tuple[int, dict]:
    gql.data(query, variables)  # warm Django's caches and the snapshot
    with CaptureQueriesContext(connection) as captured:
        data = gql.data(query, variables)
    return len(captured.captured_queries), data


def dig(data, path):
    for step in path:
        data = data[step]
    return data


@pytest.mark.parametrize("name", sorted(PAGED))
def test_a_paged_operation_costs_the_same_for_2_or_50_items(
    name, scaled_demo, gql, public_visibility_cache
):
    path, overrides = PAGED[name]
    query = contract(name)
    large = 10 if name == "SearchSuggestions" else 50
    counts, lengths = {}, {}
    for limit in (2, large):
        variables = {**contract_variables(name), **overrides, "limit": limit}
        counts[limit], data = count(gql, query, variables)
        lengths[limit] = len(dig(data, path))
    assert lengths[2] == 2 < lengths[large], lengths
    assert counts == {2: COUNTS[name], large: COUNTS[name]}, counts


def grow_home(n: int) -> tuple[str, dict]:
    home = HomePage.objects.get()
    HomePageFeaturedArticle.objects.filter(page=home).delete()
    HomePageFeaturedTrainer.objects.filter(page=home).delete()
    articles = ArticlePage.objects.live().order_by("pk")[:n]
    trainers = TrainerProfilePage.objects.live().order_by("pk")[: 2 * n]
    for i, article in enumerate(articles):
        HomePageFeaturedArticle.objects.create(page=home, article=article, sort_order=i)
    for i, trainer in enumerate(trainers):
        HomePageFeaturedTrainer.objects.create(page=home, trainer=trainer, sort_order=i)
    return "HomePage", {}


def grow_settings(n: int) -> tuple[str, dict]:
    found = OrganisationSettings.objects.get()
    link = {"platform": "facebook", "url": "https://example.org/", "link_text": "Hi"}
    found.social_links = [("social_link", link) for _ in range(n)]
    found.save()
    return "OrganisationSettings", {}


def grow_article(n: int) -> tuple[str, dict]:
    blog = BlogIndexPage.objects.get()
    pages = list(ArticlePage.objects.live().order_by("pk")[:6])
    trainers = list(TrainerProfilePage.objects.live().order_by("pk")[:6])
    body = []
    for i in range(n):
        body += body_blocks(
            i,
            image=wagtail_factories.ImageFactory(),
            table=ComparisonTableFactory(),
            page=pages[i],
            trainer=trainers[i],
            document=wagtail_factories.DocumentFactory(),
        )
    article = ArticlePageFactory(parent=blog, slug=f"sized-{n}")
    article.body = body
    article.save_revision().publish()
    return "ArticleDetail", {"slug": article.slug}


def grow_comments(n: int) -> tuple[str, dict]:
    slug = contract_variables("ArticleEngagement")["slug"]
    article = ArticlePage.objects.get(slug=slug)
    Comment.objects.filter(article=article).delete()
    for i in range(n):
        comment = Comment.objects.create(
            article=article,
            name=f"Reader {i}",
            body=f"Comment {i}",
            status=CommentStatus.APPROVED,
            created_at=timezone.now(),
        )
        Comment.objects.create(
            article=article,
            parent=comment,
            name="Clinic",
            body=f"Reply {i}",
            status=CommentStatus.APPROVED,
            is_staff_reply=True,
            created_at=timezone.now(),
        )
    return "ArticleEngagement", {"slug": slug}


def grow_table(n: int) -> tuple[str, dict]:
    rows = [(f"Row {i}", ["<p>a</p>", "<p>b</p>"]) for i in range(n)]
    table = ComparisonTableFactory(rows=table_rows(rows))
    return "ComparisonTable", {"slug": table.slug}


def grow_profile(n: int) -> tuple[str, dict]:
    page = TrainerProfilePage.objects.live().order_by("pk")[n]
    page.education.all().delete()
    page.credentials.all().delete()
    for i in range(n):
        TrainerEducationFactory(page=page, degree=f"D{i}")
        TrainerCredentialFactory(page=page, credential=CredentialFactory())
    page.specialties.set(Specialty.objects.all()[:n])
    publish(page)
    return "TrainerProfile", {"slug": page.slug}


GROWN = {
    grow_home: lambda d: [
        len(d["homePage"]["featuredArticles"]),
        len(d["homePage"]["featuredTrainers"]),
    ],
    grow_settings: lambda d: [len(d["organisationSettings"]["socialLinks"])],
    grow_article: lambda d: [len(d["article"]["body"])],
    grow_comments: lambda d: [len(d["article"]["comments"]["items"])],
    grow_table: lambda d: [len(d["comparisonTable"]["rows"])],
    grow_profile: lambda d: [
        len(d["trainer"]["credentials"]),
        len(d["trainer"]["education"]),
        len(d["trainer"]["specialties"]),
    ],
}


@pytest.mark.parametrize("grow", list(GROWN), ids=lambda grow: grow.__name__)
def test_an_operation_costs_the_same_for_small_or_large_content(
    grow, scaled_demo, gql, public_visibility_cache, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    # Completed: a materialised article is read in 4 queries whatever its
    # size (content/tests/test_materialise.py).
    settings.GRAPHQL_MATERIALISE = False
    counts, sizes = {}, {}
    for n in (1, 6):
        name, variables = grow(n)
        counts[n], data = count(gql, contract(name), variables)
        sizes[n] = GROWN[grow](data)
    grown = zip(sizes[1], sizes[6], strict=True)
    assert all(small < large for small, large in grown), sizes
    assert counts == {1: COUNTS[name], 6: COUNTS[name]}, (counts, sizes)

"""SQL per request for the contract operations, as production runs them.

Production keeps the visibility snapshot on (the test settings switch it off,
see cms/tests/test_visibility_snapshot.py), so these budgets are exact counts
with it on and warm: what ``make bench`` reports under X-SQL-Queries.
"""

import json
from collections import Counter
from io import StringIO

import pytest
import wagtail_factories
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from content.articles.blocks import ArticleBodyBlock
from content.articles.factories import ArticlePageFactory
from content.models import ArticlePage, BlogIndexPage, Specialty
from content.tables.factories import ComparisonTableFactory, table_rows
from content.trainers.factories import (
    CredentialFactory,
    TrainerCredentialFactory,
    TrainerEducationFactory,
    publish,
)
from content.trainers.models import TrainerProfilePage
from frontend_contract.tools import OPERATIONS_DIR


def contract(name: str) -> str:
    return (OPERATIONS_DIR / f"{name}.graphql").read_text()


@pytest.fixture
def demo(db):
    """The demo content plus a dozen generated articles."""
    call_command("load_demo_content", "--articles", "12", stdout=StringIO())


def test_article_list_runs_five_queries_whatever_the_page_size(
    demo, gql, public_visibility_cache, django_assert_num_queries
):
    query = contract("ArticleList")
    gql.data(query, {"limit": 2})  # warm the snapshot and Django's caches

    # Generation, the page's articles by id, tags, authors, hero renditions.
    # The ordered ids and the tag list are kept for the generation (until
    # the next scheduled change: test_article_list_follows_the_clock).
    with django_assert_num_queries(5):
        small = gql.data(query, {"limit": 2})
    with django_assert_num_queries(5):
        large = gql.data(query, {"limit": 50})

    assert len(small["articles"]["items"]) == 2
    assert len(large["articles"]["items"]) == large["articles"]["totalCount"] > 2


def test_article_detail_runs_eight_queries(
    demo, gql, public_visibility_cache, django_assert_num_queries, settings
):
    # Completed, as on a miss of its materialised row (read in 4 queries:
    # content/tests/test_materialise.py).
    settings.GRAPHQL_MATERIALISE = False
    query = contract("ArticleDetail")
    variables = json.loads(
        (OPERATIONS_DIR / "ArticleDetail.variables.json").read_text()
    )
    gql.data(query, variables)

    # Generation, the article (hero image joined), tags, authors (photos
    # joined), credentials, renditions of every image at once, and the body's
    # chooser blocks: the comparison table, and the featured trainers' public
    # profiles (read by the ids the block stores: the chooser's own lookup of
    # the pages is skipped; nothing else is selected).
    with django_assert_num_queries(8) as captured:
        data = gql.data(query, variables)

    assert data["article"]["slug"] == variables["slug"]
    block_types = [block["__typename"] for block in data["article"]["body"]]
    assert block_types == [
        "BodyCallout",
        "BodyCallout",
        "BodyParagraph",
        "BodyHeading",
        "BodySpectrum",
        "BodyParagraph",
        "BodyHeading",
        "BodyParagraph",
        "BodyComparisonTable",
        "BodyParagraph",
        "BodyHeading",
        "BodyParagraph",
        "BodyCallToAction",
        "BodyFeaturedTrainers",
    ]
    assert not [q for q in captured.captured_queries if "viewrestriction" in q["sql"]]


# Every other operation of the frontend contract, with its variables file, on
# the demo content plus generated trainers. The count is exact: a change that
# adds a query shows up here, and a new contract operation needs a budget.
BUDGETS = {
    # Generation, the article, the approved-comment count, the view days'
    # sum, the page's count (no demo comment is approved, so no rows are
    # read). The comment settings are kept for the content generation.
    "ArticleEngagement": 5,
    # Generation, the table.
    "ComparisonTable": 2,
    # Generation, the count, the page of credentials.
    "CredentialCatalogue": 3,
    # Generation, page (hero image joined); the featured articles (links
    # joined to the public pages, and only the relations selected: none);
    # the featured trainers (links joined to the public profiles), their
    # specialties; the renditions of the hero and the cards (one query for
    # every filter). The site and the clinic settings are kept for the
    # content generation (cms.selectors.Visibility.remembered).
    "HomePage": 6,
    # Generation (site and settings kept for the generation).
    "OrganisationSettings": 1,
    # Generation; count and page for each type (articles, tables, trainers);
    # the articles' tags, authors, credentials and renditions; the snippets
    # and pages the hits point at; promotions; the popular-searches hit
    # (find the query and its day row, then add one).
    "Search": 17,
    # Generation, then one lookup per type (articles, tables, trainers).
    "SearchSuggestions": 4,
    # Generation, the page of profiles, credentials, education, specialties.
    # The filter's slugs, the matches, totalCount and the facets come from
    # the in-memory directory index (content.trainers.facet_index); in SQL
    # they were the slug check, the matches, the page and three facets (10).
    "TrainerDirectory": 5,
    # Generation, the profile, credentials, education, specialties.
    "TrainerProfile": 5,
    # Generation, the change log, the profiles, credentials, education,
    # specialties.
    "TrainerSync": 6,
}


def contract_variables(name: str) -> dict:
    path = OPERATIONS_DIR / f"{name}.variables.json"
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.fixture
def scaled_demo(db):
    """The demo content, a dozen generated articles and 60 trainers."""
    call_command(
        "load_demo_content", "--articles", "12", "--trainers", "60", stdout=StringIO()
    )


def test_every_contract_operation_has_a_budget():
    operations = {path.stem for path in OPERATIONS_DIR.glob("*.graphql")}
    assert operations == set(BUDGETS) | {"ArticleList", "ArticleDetail"}


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_contract_operation_runs_its_budget_of_queries(
    name, scaled_demo, gql, public_visibility_cache, django_assert_num_queries
):
    query, variables = contract(name), contract_variables(name)
    gql.data(query, variables)  # warm the snapshot and Django's caches

    with django_assert_num_queries(BUDGETS[name]):
        data = gql.data(query, variables)

    if name == "HomePage":  # the renditions counted above exist and are served
        hero = data["homePage"]["heroImage"]
        assert hero["rendition"]["url"]
        assert hero["srcset"].count("w,") == 2


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("TrainerSync", ("trainerSync", "changed")),
        ("CredentialCatalogue", ("credentials", "items")),
    ],
)
def test_page_size_does_not_change_the_query_count(
    name, path, scaled_demo, gql, public_visibility_cache
):
    query = contract(name)
    gql.data(query, {**contract_variables(name), "limit": 2})
    counts, sizes = {}, {}
    for limit in (2, 50):
        variables = {**contract_variables(name), "limit": limit}
        with CaptureQueriesContext(connection) as captured:
            data = gql.data(query, variables)
        counts[limit] = len(captured.captured_queries)
        sizes[limit] = len(data[path[0]][path[1]])
    assert sizes[2] == 2 < sizes[50]
    assert counts[2] == counts[50] == BUDGETS[name], counts


def test_a_full_profile_costs_what_a_sparse_one_does(
    scaled_demo, gql, public_visibility_cache, tmp_path, settings
):
    """Credentials, education, specialties and bio blocks (rich-text links
    included) load in bulk: six of each cost what one does."""
    settings.MEDIA_ROOT = str(tmp_path)
    photo = wagtail_factories.ImageFactory()
    article = ArticlePage.objects.live().first()
    link = f'<a linktype="page" id="{article.pk}">read</a>'
    rich, sparse = TrainerProfilePage.objects.live().order_by("pk")[:2]
    for page, n in ((rich, 6), (sparse, 1)):
        page.photo = photo
        page.bio = [("paragraph", RichText(f"<p>Bio {i} {link}</p>")) for i in range(n)]
        page.bio.append(("quote", {"text": "Move well", "attribution": ""}))
        page.education.all().delete()
        page.credentials.all().delete()
        for i in range(n):
            TrainerEducationFactory(page=page, degree=f"D{i}")
            TrainerCredentialFactory(page=page, credential=CredentialFactory())
        page.specialties.set(Specialty.objects.all()[:n])
        publish(page)
    query = contract("TrainerProfile")
    counts, lengths = {}, {}
    for page in (rich, sparse, rich):
        gql.data(query, {"slug": page.slug})  # renditions are made once
        with CaptureQueriesContext(connection) as captured:
            data = gql.data(query, {"slug": page.slug})["trainer"]
        counts[page.slug] = len(captured.captured_queries)
        lengths[page.slug] = [len(data[k]) for k in ("bio", "credentials", "education")]
        assert "/blog/" in data["bio"][0]["html"]
    assert lengths == {rich.slug: [7, 6, 6], sparse.slug: [2, 1, 1]}
    # The budget above, plus the photo's renditions and the pages the bio
    # links to (one query for every link).
    assert counts[rich.slug] == counts[sparse.slug] == BUDGETS["TrainerProfile"] + 2


def test_the_home_hero_loads_its_renditions_in_one_query(
    scaled_demo, gql, public_visibility_cache
):
    """Not one query per filter, whatever Wagtail's rendition cache holds."""
    query = contract("HomePage")
    gql.data(query)
    caches["default"].clear()  # Wagtail's rendition cache, among others
    with CaptureQueriesContext(connection) as captured:
        hero = gql.data(query)["homePage"]["heroImage"]
    rendition_queries = [
        q["sql"]
        for q in captured.captured_queries
        if "wagtailimages_rendition" in q["sql"]
    ]
    # The hero's and the featured article cards' at once.
    assert len(rendition_queries) == 1, rendition_queries
    assert hero["rendition"]["url"]
    assert hero["srcset"].count("w,") == 2


def body_blocks(i, *, image, table, page, trainer, document) -> list[dict]:
    """One block of every type; every chooser and link points at its own object."""
    links = (
        f'<p>See <a linktype="page" id="{page.pk}">this</a> and '
        f'<a linktype="document" id="{document.pk}">that</a>.</p>'
    )
    stage = {"name": "Stage", "led_by": "Someone", "description": ""}
    return [
        {"type": "heading", "value": {"text": f"Part {i}", "level": "h2"}},
        {"type": "paragraph", "value": links},
        {
            "type": "callout",
            "value": {"kind": "quote", "lead_in": "", "text": links, "attribution": ""},
        },
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": f"Image {i}", "caption": ""},
        },
        {
            "type": "video",
            "value": {
                "video": "https://www.youtube.com/watch?v=abc",
                "title": f"Video {i}",
                "caption": "",
            },
        },
        {"type": "spectrum", "value": {"title": "", "stages": [stage, stage]}},
        {"type": "comparison_table", "value": table.pk},
        {
            "type": "inline_comparison_table",
            "value": {
                "title": "",
                "columns": ["A", "B"],
                "rows": [{"criterion": "C", "cells": [links, links]}],
                "footnotes": links,
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Book",
                "text": links,
                "button_label": "Book",
                "page": page.pk,
                "external_url": "",
            },
        },
        {
            "type": "featured_trainers",
            "value": {"heading": "", "trainers": [trainer.pk]},
        },
    ]


def test_article_detail_costs_the_same_for_one_or_six_of_every_block(
    scaled_demo, gql, public_visibility_cache, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.GRAPHQL_MATERIALISE = False  # the body completed, not read from a row
    blog = BlogIndexPage.objects.get()
    seed = contract_variables("ArticleDetail")["slug"]
    pages = list(ArticlePage.objects.live().exclude(slug=seed)[:6])
    trainers = list(TrainerProfilePage.objects.live()[:6])
    assert len(pages) == len(trainers) == 6
    query = contract("ArticleDetail")
    counts, typenames = {}, {}
    for n in (1, 6, 1):
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
        article = ArticlePageFactory(parent=blog, slug=f"blocks-{n}-{len(counts)}")
        article.body = body
        article.save_revision().publish()
        gql.data(query, {"slug": article.slug})  # warm Django's caches
        with CaptureQueriesContext(connection) as captured:
            data = gql.data(query, {"slug": article.slug})["article"]
        counts[article.slug] = len(captured.captured_queries)
        typenames[n] = [block["__typename"] for block in data["body"]]
        # The links are rendered: to the frontend, and to the document.
        rendered = json.dumps(data["body"])
        assert f"/blog/{pages[n - 1].slug}/" in rendered
        assert '<a href=\\"/documents/' in rendered
        assert "linktype" not in rendered

    every_type = set(ArticleBodyBlock().child_blocks)
    assert {block["type"] for block in body} == every_type
    assert len(typenames[6]) == 6 * len(every_type)
    # Generation, the article, tags, authors, credentials; the body's images,
    # tables, renditions; the documents and the pages its links point at; the
    # call-to-action pages; the featured trainers' profiles.
    assert set(counts.values()) == {12}, counts


def test_a_table_costs_the_same_for_one_or_six_linked_rows(
    scaled_demo, gql, public_visibility_cache, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    pages = list(ArticlePage.objects.live()[:6])
    query = contract("ComparisonTable")
    counts = {}
    for n in (1, 6):
        rows = []
        for i in range(n):
            document = wagtail_factories.DocumentFactory()
            cell = (
                f'<p><a linktype="page" id="{pages[i].pk}">page</a> '
                f'<a linktype="document" id="{document.pk}">doc</a></p>'
            )
            rows.append((f"Row {i}", [cell, cell]))
        table = ComparisonTableFactory(
            rows=table_rows(rows), intro=cell, footnotes=cell
        )
        gql.data(query, {"slug": table.slug})
        with CaptureQueriesContext(connection) as captured:
            data = gql.data(query, {"slug": table.slug})["comparisonTable"]
        counts[n] = len(captured.captured_queries)
        assert len(data["rows"]) == n
        assert f"/blog/{pages[n - 1].slug}/" in json.dumps(data)
    # The budget, plus the linked pages and the documents.
    assert counts == {
        1: BUDGETS["ComparisonTable"] + 2,
        6: BUDGETS["ComparisonTable"] + 2,
    }


BIOS = """query($limit: Int) {
  trainers(limit: $limit) { items { slug bio { ...Paragraph } } }
  trainerSync(limit: $limit) { changed { slug bio { ...Paragraph } } }
}
fragment Paragraph on TrainerBioParagraphBlock { html }"""


def test_bios_with_links_cost_the_same_for_two_or_twenty_trainers(
    scaled_demo, gql, public_visibility_cache, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    pages = list(ArticlePage.objects.live()[:13])
    for i, trainer in enumerate(TrainerProfilePage.objects.live().order_by("pk")):
        document = wagtail_factories.DocumentFactory()
        trainer.bio = [
            (
                "paragraph",
                RichText(
                    f'<p><a linktype="page" id="{pages[i % 13].pk}">read</a> '
                    f'<a linktype="document" id="{document.pk}">cv</a></p>'
                ),
            )
        ]
        publish(trainer)
    counts = {}
    for limit in (2, 20):
        gql.data(BIOS, {"limit": limit})
        with CaptureQueriesContext(connection) as captured:
            data = gql.data(BIOS, {"limit": limit})
        counts[limit] = len(captured.captured_queries)
        for items in (data["trainers"]["items"], data["trainerSync"]["changed"]):
            assert len(items) == limit
            assert all('href="/documents/' in t["bio"][0]["html"] for t in items)
    assert counts[2] == counts[20], counts


def test_the_table_list_costs_the_same_for_one_or_four_linked_tables(
    scaled_demo, gql, public_visibility_cache, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    pages = list(ArticlePage.objects.live()[:4])
    query = """{ comparisonTables(limit: 50) {
      items { slug intro { html } rows { cells { html } } } } }"""
    counts = {}
    for i, page in enumerate(pages):
        document = wagtail_factories.DocumentFactory()
        cell = (
            f'<p><a linktype="page" id="{page.pk}">page</a> '
            f'<a linktype="document" id="{document.pk}">doc</a></p>'
        )
        ComparisonTableFactory(rows=table_rows([("Row", [cell, cell])]), intro=cell)
        gql.data(query)
        with CaptureQueriesContext(connection) as captured:
            items = gql.data(query)["comparisonTables"]["items"]
        counts[i + 1] = len(captured.captured_queries)
        assert f"/blog/{page.slug}/" in json.dumps(items)
    assert counts[1] == counts[4], counts


def test_search_costs_the_same_for_five_or_fifty_mixed_hits(
    scaled_demo, gql, public_visibility_cache, tmp_path, settings
):
    """Articles (a hero image and every body block: images, tables, pages,
    featured trainers, rich-text links), tables and trainers on one page:
    each type loads in bulk, so fifty hits cost what five do."""
    settings.MEDIA_ROOT = str(tmp_path)
    blog = BlogIndexPage.objects.get()
    pages = list(ArticlePage.objects.live()[:6])
    trainers = list(TrainerProfilePage.objects.live().order_by("pk")[:16])
    query = contract("Search")
    counts, types = {}, {}
    # Every object matches "quokka": the page holds every hit, whatever the
    # backend's ranking.
    steps = ((5, range(0, 2), trainers[:1]), (50, range(2, 17), trainers[1:]))
    for limit, numbers, matching_trainers in steps:
        for i in numbers:
            image = wagtail_factories.ImageFactory()
            article = ArticlePageFactory(
                parent=blog, title=f"Quokka notes {i}", hero_image=image
            )
            article.body = body_blocks(
                i,
                image=image,
                table=ComparisonTableFactory(),
                page=pages[i % 6],
                trainer=trainers[i % 16],
                document=wagtail_factories.DocumentFactory(),
            )
            article.save_revision().publish()
            ComparisonTableFactory(title=f"Quokka table {i}")
        for trainer in matching_trainers:
            trainer.headline = "Quokka coach"
            publish(trainer)
        variables = {"query": "quokka", "limit": limit}
        gql.data(query, variables)  # warm the snapshot and Django's caches
        with CaptureQueriesContext(connection) as captured:
            data = gql.data(query, variables)["search"]
        counts[limit] = len(captured.captured_queries)
        types[limit] = Counter(item["type"] for item in data["items"])
        assert data["totalCount"] == limit
        assert data["hasNextPage"] is False
        assert all(item["content"]["slug"] for item in data["items"])

    assert types == {
        5: {"ARTICLE": 2, "COMPARISON_TABLE": 2, "TRAINER": 1},
        50: {"ARTICLE": 17, "COMPARISON_TABLE": 17, "TRAINER": 16},
    }
    # Generation; count and page for each type; the articles (hero image
    # joined), tags, authors, credentials and hero renditions; the bodies'
    # chosen images, tables, call-to-action pages and featured trainers; the
    # trainers, credentials, education, specialties; promotions; the
    # popular-searches hit (three). One query each for the whole page.
    assert counts == {5: 24, 50: 24}, counts

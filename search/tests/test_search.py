"""Site search over public content: relevance, privacy, hostile input, SQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from content.models import ArticlePage, ComparisonTable

SEARCH = """
query Search($q: String!, $types: [SearchContentType!], $limit: Int, $offset: Int) {
  search(query: $q, types: $types, limit: $limit, offset: $offset) {
    totalCount hasNextPage
    items { rank type title url excerpt
      content { __typename ... on ArticlePage { slug } ... on ComparisonTable { slug } }
    }
    promotions { title url description }
  }
}
"""
SEED_SLUG = "physical-therapy-or-personal-training"
ARTICLE_TITLE = "Physical Therapy or Personal Training?"
TABLE_TITLE = "Physical Therapists vs Personal Trainers"


def _search(gql, q, **variables):
    return gql.data(SEARCH, {"q": q, **variables})["search"]


@pytest.mark.parametrize(
    "q", ["dry needling", "hygienist", "Hygienist?", "DRY-needling"]
)
def test_seed_article_comes_first(gql, demo_content, q):
    results = _search(gql, q)
    first = results["items"][0]
    assert first["type"] == "ARTICLE"
    assert first["content"]["slug"] == SEED_SLUG
    assert first["rank"] == 1
    assert "<mark>" in first["excerpt"].lower()


def test_licensure_wisconsin_finds_the_article_and_the_table(gql, demo_content):
    found = {
        (i["type"], i["title"]) for i in _search(gql, "licensure Wisconsin")["items"]
    }
    assert found == {("ARTICLE", ARTICLE_TITLE), ("COMPARISON_TABLE", TABLE_TITLE)}


def test_types_filter_limits_the_content_kinds(gql, demo_content):
    results = _search(gql, "licensure Wisconsin", types=["COMPARISON_TABLE"])
    assert [(i["type"], i["title"]) for i in results["items"]] == [
        ("COMPARISON_TABLE", TABLE_TITLE)
    ]


def test_excerpt_is_escaped_and_highlighted(gql, demo_content):
    excerpt = _search(gql, "hygienist")["items"][0]["excerpt"]
    assert "<mark>hygienist</mark>" in excerpt.lower()
    assert "<script" not in excerpt


def test_unpublished_and_private_articles_never_appear(gql, demo_content):
    seed = ArticlePage.objects.get(slug=SEED_SLUG)
    seed.unpublish()
    assert not [i for i in _search(gql, "hygienist")["items"] if i["type"] == "ARTICLE"]
    seed.get_latest_revision().publish()
    assert [i["title"] for i in _search(gql, "hygienist")["items"]] == [ARTICLE_TITLE]
    PageViewRestriction.objects.create(page=seed, restriction_type="login")
    assert not [i for i in _search(gql, "hygienist")["items"] if i["type"] == "ARTICLE"]


def test_draft_comparison_tables_never_appear(gql, demo_content):
    table = ComparisonTable.objects.get()
    table.live = False
    table.save()
    results = _search(gql, "licensure Wisconsin", types=["COMPARISON_TABLE"])
    assert results["items"] == []
    assert results["totalCount"] == 0


# Each hostile query and its total on the demo content. Operator words and
# punctuation are plain text to both backends, which then match differently:
# {vendor: total} where SQLite's FTS and PostgreSQL's full text disagree.
HOSTILE = {
    "": 0,
    "   ": 0,
    '"': 0,
    '"unbalanced': 0,
    "dry AND needling OR NOT x": {"sqlite": 26, "postgresql": 1},
    "hyg*": 0,
    "NEAR(a b)": {"sqlite": 2, "postgresql": 0},
    "a:b": {"sqlite": 2, "postgresql": 0},
    "'; DROP TABLE wagtailcore_page; --": 0,
    "(((((": 0,
    "\x00\x01": 0,
    "ünïcödé 理学療法 🏋️": 0,
    "-": 0,
    "~!@#$%^&*()_+": 0,
    "x" * 200: 0,
    "needling " * 22: 1,
}


def test_hostile_queries_return_results_or_nothing(gql, demo_content):
    for q, total in HOSTILE.items():
        if isinstance(total, dict):
            total = total[connection.vendor]
        results = _search(gql, q)
        page = (results["totalCount"], results["hasNextPage"], len(results["items"]))
        assert page == (total, total > 10, min(total, 10)), q


def test_a_100_kb_query_is_a_clear_error(gql, demo_content):
    body = gql.execute(SEARCH, {"q": "x" * 100_000})
    assert body == {
        "errors": [
            {
                "message": "Search queries are limited to 200 characters.",
                "locations": [{"line": 3, "column": 3}],
                "path": ["search"],
                "extensions": {"code": "SEARCH_QUERY_TOO_LONG", "maxLength": 200},
            }
        ],
        "data": None,
    }


def test_a_long_query_over_the_limit_is_rejected(gql, demo_content):
    assert gql.error_codes(SEARCH, {"q": "needling " * 40}) == ["SEARCH_QUERY_TOO_LONG"]


def test_page_size_over_the_maximum_is_rejected(gql, demo_content):
    assert gql.error_codes(SEARCH, {"q": "therapy", "limit": 500}) == [
        "PAGE_SIZE_TOO_LARGE"
    ]


def _queries(gql, **variables) -> int:
    with CaptureQueriesContext(connection) as captured:
        gql.data(SEARCH, variables)
    return len(captured)


def test_search_costs_the_same_sql_for_any_page_size(gql, demo_content):
    _queries(gql, q="strength", types=["TRAINER"], limit=1)  # warm caches
    # Same content types on the page: the count does not move with its size.
    small = _queries(gql, q="strength", types=["TRAINER"], limit=2)
    large = _queries(gql, q="strength", types=["TRAINER"], limit=50)
    assert small == large
    # Every type on the page: a fixed number of bulk loads per type on it
    # (the first search of a term also adds it to the query log).
    counts = [
        _queries(gql, q="physical therapy strength", limit=limit)
        for limit in (1, 10, 50)
    ]
    assert (
        counts
        == {"sqlite": [22, 16, 23], "postgresql": [25, 23, 23]}[connection.vendor]
    )


def test_searches_feed_the_popular_searches_report(gql, demo_content):
    _search(gql, "Dry Needling")
    _search(gql, "dry needling")
    assert Query.get("dry needling").hits == 2


def test_promotions_show_public_pages_only(gql, demo_content):
    seed = ArticlePage.objects.get(slug=SEED_SLUG)
    query = Query.get("pt vs trainer")
    SearchPromotion.objects.create(query=query, page=seed, description="Start here")
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://example.org/jane",
        external_link_text="Book on Jane",
    )
    promotions = _search(gql, "PT vs trainer")["promotions"]
    assert [p["title"] for p in promotions] == [seed.title, "Book on Jane"]
    seed.unpublish()
    promotions = _search(gql, "PT vs trainer")["promotions"]
    assert [p["title"] for p in promotions] == ["Book on Jane"]


SUGGEST = """
query Suggest($prefix: String!, $limit: Int) {
  searchSuggestions(prefix: $prefix, limit: $limit) { title type url }
}
"""


def test_suggestions_complete_title_prefixes(gql, demo_content):
    suggestions = gql.data(SUGGEST, {"prefix": "physi"})["searchSuggestions"]
    assert [(s["title"], s["type"]) for s in suggestions] == [
        (TABLE_TITLE, "COMPARISON_TABLE"),
        (ARTICLE_TITLE, "ARTICLE"),
    ]


def test_suggestions_reject_a_huge_limit(gql, demo_content):
    assert gql.error_codes(SUGGEST, {"prefix": "ph", "limit": 1000}) == [
        "PAGE_SIZE_TOO_LARGE"
    ]


def test_cscs_finds_trainers_holding_that_credential(gql, demo_content):
    from content.models import TrainerProfilePage

    results = _search(gql, "CSCS", types=["TRAINER"], limit=50)
    assert sorted(item["title"] for item in results["items"]) == [
        "Caleb Raman",
        "Diego Mensah",
        "Maya Lindqvist",
        "Ruth Weber",
        "Tomas Brandt",
    ]
    for item in results["items"]:
        trainer = TrainerProfilePage.objects.get(title=item["title"])
        abbreviations = {
            row.credential.abbreviation
            for row in trainer.credentials.all()
            if row.is_current
        }
        assert "NSCA-CSCS" in abbreviations, item["title"]


def test_madison_strength_ranks_a_madison_strength_coach_first(gql, demo_content):
    from content.models import TrainerProfilePage

    first = _search(gql, "Madison strength")["items"][0]
    trainer = TrainerProfilePage.objects.get(title=first["title"])
    assert trainer.city == "Madison"
    assert "strength-and-conditioning" in {s.slug for s in trainer.specialties.all()}

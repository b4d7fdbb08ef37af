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


def _search(gql, q, **variables):
    return gql.data(SEARCH, {"q": q, **variables})["search"]


@pytest.mark.parametrize(
    "q", ["dry needling", "hygienist", "Hygienist?", "DRY-needling"]
)
def test_seed_article_comes_first(gql, demo, q):
    results = _search(gql, q)
    first = results["items"][0]
    assert first["type"] == "ARTICLE"
    assert first["content"]["slug"] == SEED_SLUG
    assert first["rank"] == 1
    assert "<mark>" in first["excerpt"].lower()


def test_licensure_wisconsin_finds_the_article_and_the_table(gql, demo):
    types = {item["type"] for item in _search(gql, "licensure Wisconsin")["items"]}
    assert {"ARTICLE", "COMPARISON_TABLE"} <= types


def test_types_filter_limits_the_content_kinds(gql, demo):
    results = _search(gql, "licensure Wisconsin", types=["COMPARISON_TABLE"])
    assert results["items"]
    assert {item["type"] for item in results["items"]} == {"COMPARISON_TABLE"}


def test_excerpt_is_escaped_and_highlighted(gql, demo):
    excerpt = _search(gql, "hygienist")["items"][0]["excerpt"]
    assert "<mark>hygienist</mark>" in excerpt.lower()
    assert "<script" not in excerpt


def test_unpublished_and_private_articles_never_appear(gql, demo):
    seed = ArticlePage.objects.get(slug=SEED_SLUG)
    seed.unpublish()
    assert not [i for i in _search(gql, "hygienist")["items"] if i["type"] == "ARTICLE"]
    seed.get_latest_revision().publish()
    assert _search(gql, "hygienist")["items"]
    PageViewRestriction.objects.create(page=seed, restriction_type="login")
    assert not [i for i in _search(gql, "hygienist")["items"] if i["type"] == "ARTICLE"]


def test_draft_comparison_tables_never_appear(gql, demo):
    table = ComparisonTable.objects.get()
    table.live = False
    table.save()
    results = _search(gql, "licensure Wisconsin", types=["COMPARISON_TABLE"])
    assert results["items"] == []
    assert results["totalCount"] == 0


HOSTILE = [
    "",
    "   ",
    '"',
    '"unbalanced',
    "dry AND needling OR NOT x",
    "hyg*",
    "NEAR(a b)",
    "a:b",
    "'; DROP TABLE wagtailcore_page; --",
    "(((((",
    "\x00\x01",
    "ünïcödé 理学療法 🏋️",
    "-",
    "~!@#$%^&*()_+",
    "x" * 200,
    "needling " * 22,
]


def test_hostile_queries_return_results_or_nothing(gql, demo):
    for q in HOSTILE:
        results = _search(gql, q)
        assert results["totalCount"] >= 0, q


def test_a_100_kb_query_is_a_clear_error(gql, demo):
    body = gql.execute(SEARCH, {"q": "x" * 100_000})
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    assert codes & {"SEARCH_QUERY_TOO_LONG", "REQUEST_TOO_LARGE", "QUERY_TOO_LARGE"}
    assert "Traceback" not in str(body)


def test_a_long_query_over_the_limit_is_rejected(gql, demo):
    assert gql.error_codes(SEARCH, {"q": "needling " * 40}) == ["SEARCH_QUERY_TOO_LONG"]


def test_page_size_over_the_maximum_is_rejected(gql, demo):
    assert gql.error_codes(SEARCH, {"q": "therapy", "limit": 500})[0] in {
        "PAGE_SIZE_TOO_LARGE",
        "QUERY_TOO_COMPLEX",
    }


def _queries(gql, **variables) -> int:
    with CaptureQueriesContext(connection) as captured:
        gql.data(SEARCH, variables)
    return len(captured)


def test_search_costs_the_same_sql_for_any_page_size(gql, demo):
    _queries(gql, q="strength", types=["TRAINER"], limit=1)  # warm caches
    # Same content types on the page: the count does not move with its size.
    small = _queries(gql, q="strength", types=["TRAINER"], limit=2)
    large = _queries(gql, q="strength", types=["TRAINER"], limit=50)
    assert small == large
    # Every type on the page: a fixed number of bulk loads, at most this many.
    for limit in (1, 10, 50):
        assert _queries(gql, q="physical therapy strength", limit=limit) <= 30


def test_searches_feed_the_popular_searches_report(gql, demo):
    _search(gql, "Dry Needling")
    _search(gql, "dry needling")
    assert Query.get("dry needling").hits == 2


def test_promotions_show_public_pages_only(gql, demo):
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


def test_suggestions_complete_title_prefixes(gql, demo):
    suggestions = gql.data(SUGGEST, {"prefix": "physi"})["searchSuggestions"]
    assert any(s["title"].startswith("Physical Therapy") for s in suggestions)


def test_suggestions_reject_a_huge_limit(gql, demo):
    assert gql.error_codes(SUGGEST, {"prefix": "ph", "limit": 1000}) == [
        "PAGE_SIZE_TOO_LARGE"
    ]


def test_cscs_finds_trainers_holding_that_credential(gql, demo):
    from content.models import TrainerProfilePage

    results = _search(gql, "CSCS", types=["TRAINER"], limit=50)
    assert results["items"]
    for item in results["items"]:
        trainer = TrainerProfilePage.objects.get(title=item["title"])
        abbreviations = {
            row.credential.abbreviation
            for row in trainer.credentials.all()
            if row.is_current
        }
        assert "NSCA-CSCS" in abbreviations, item["title"]


def test_madison_strength_ranks_a_madison_strength_coach_first(gql, demo):
    from content.models import TrainerProfilePage

    first = _search(gql, "Madison strength")["items"][0]
    trainer = TrainerProfilePage.objects.get(title=first["title"])
    assert trainer.city == "Madison"
    assert "strength-and-conditioning" in {s.slug for s in trainer.specialties.all()}

"""SQL per request for the contract operations, as production runs them.

Production keeps the visibility snapshot on (the test settings switch it off,
see cms/tests/test_visibility_snapshot.py), so these budgets are exact counts
with it on and warm: what ``make bench`` reports under X-SQL-Queries.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from frontend_contract.tools import OPERATIONS_DIR


def contract(name: str) -> str:
    return (OPERATIONS_DIR / f"{name}.graphql").read_text()


@pytest.fixture
def demo(db):
    """The demo content plus a dozen generated articles."""
    call_command("load_demo_content", "--articles", "12", stdout=StringIO())


def test_article_list_runs_eight_queries_whatever_the_page_size(
    demo, gql, public_visibility_cache, django_assert_num_queries
):
    query = contract("ArticleList")
    gql.data(query, {"limit": 2})  # warm the snapshot and Django's caches

    # Generation, the article count and rows, tags, authors, hero
    # renditions, then the tag list's count and rows.
    with django_assert_num_queries(8):
        small = gql.data(query, {"limit": 2})
    with django_assert_num_queries(8):
        large = gql.data(query, {"limit": 50})

    assert len(small["articles"]["items"]) == 2
    assert len(large["articles"]["items"]) == large["articles"]["totalCount"] > 2


def test_article_detail_runs_nine_queries(
    demo, gql, public_visibility_cache, django_assert_num_queries
):
    query = contract("ArticleDetail")
    variables = json.loads(
        (OPERATIONS_DIR / "ArticleDetail.variables.json").read_text()
    )
    gql.data(query, variables)

    # Generation, the article (hero image joined), tags, authors (photos
    # joined), credentials, renditions of every image at once, and the body's
    # chooser blocks: the comparison table, and the featured trainers (the
    # chosen pages, then the public profiles; nothing else is selected).
    with django_assert_num_queries(9) as captured:
        data = gql.data(query, variables)

    assert data["article"]["slug"] == variables["slug"]
    block_types = {block["__typename"] for block in data["article"]["body"]}
    assert {"BodyComparisonTable", "BodyFeaturedTrainers"} <= block_types
    assert not [q for q in captured.captured_queries if "viewrestriction" in q["sql"]]

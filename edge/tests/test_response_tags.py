"""Every cacheable GraphQL response carries its cache tags and CDN lifetime."""

import json

import pytest

from cms.graphql.persisted import sha256_hex
from edge.tests.conftest import (
    article_params,
    persisted_params,
    surrogate_keys,
)

URL = "/graphql/"


def test_an_article_response_is_tagged_with_every_object_it_holds(client, demo_site):
    from content.models import ComparisonTable

    table = ComparisonTable.objects.get(live=True, slug__isnull=False)
    response = client.get(URL, article_params())

    assert response.status_code == 200
    keys = surrogate_keys(response)
    assert {f"article:{demo_site.pk}", "article", "graphql"} <= keys
    # The embedded comparison table is an object of the response too.
    assert f"table:{table.pk}" in keys
    assert response["Cache-Tag"].split(",") == response["Surrogate-Key"].split()


def test_cdn_keeps_a_response_long_and_browsers_briefly(client, demo_site, settings):
    settings.EDGE_TTL = 86400
    settings.EDGE_STALE_WHILE_REVALIDATE = 30
    settings.EDGE_STALE_IF_ERROR = 3600
    response = client.get(URL, article_params())

    assert response["Surrogate-Control"] == (
        "max-age=86400, stale-while-revalidate=30, stale-if-error=3600"
    )
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_list_carries_its_list_tag_and_each_item(client, demo_site):
    from content.models import ArticlePage

    response = client.get(
        URL, persisted_params("ArticleList", {"limit": 10, "offset": 0})
    )
    keys = surrogate_keys(response)
    assert "article:list" in keys
    for pk in ArticlePage.objects.live().values_list("pk", flat=True):
        assert f"article:{pk}" in keys


def test_a_missing_article_is_tagged_so_its_publish_purges_the_miss(client, demo_site):
    response = client.get(URL, article_params("not-published-yet"))

    assert json.loads(response.content)["data"]["article"] is None
    assert "article:list" in surrogate_keys(response)


@pytest.mark.parametrize(
    ("operation", "variables", "tag"),
    [
        ("TrainerDirectory", None, "trainerDirectory"),
        ("OrganisationSettings", None, "settings"),
        ("HomePage", None, "home"),
    ],
)
def test_root_fields_carry_their_list_tags(
    client, demo_site, operation, variables, tag
):
    from edge.tests.conftest import OPERATIONS

    path = OPERATIONS / f"{operation}.variables.json"
    if variables is None and path.exists():
        variables = json.loads(path.read_text())
    response = client.get(URL, persisted_params(operation, variables))
    assert response.status_code == 200, response.content
    assert tag in surrogate_keys(response)


def test_an_apq_get_is_tagged(client, demo_site):
    query = "query Titles { articles(limit: 2) { items { title } } }"
    hash_ = sha256_hex(query)
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": hash_}})
    client.post(
        URL,
        {"query": query, "extensions": json.loads(extensions)},
        content_type="application/json",
    )
    response = client.get(URL, {"extensions": extensions})

    assert response.status_code == 200, response.content
    assert "article:list" in surrogate_keys(response)


def test_too_many_objects_give_way_to_the_overflow_tag(client, demo_site, settings):
    settings.EDGE_MAX_TAGS = 4
    response = client.get(URL, article_params())

    keys = surrogate_keys(response)
    assert "overflow" in keys
    assert not any(key.split(":")[-1].isdigit() for key in keys)


def test_a_post_or_preview_response_has_no_tags(client, demo_site):
    from edge.tests.conftest import OPERATIONS

    text = (OPERATIONS / "ArticleDetail.graphql").read_text()
    posted = client.post(
        URL,
        {"query": text, "variables": {"slug": demo_site.slug}},
        content_type="application/json",
    )
    previewed = client.get(URL, article_params(), HTTP_X_PREVIEW_TOKEN="anything")

    for response in (posted, previewed):
        assert "Surrogate-Key" not in response
        assert "Surrogate-Control" not in response
        assert response["Cache-Control"] == "no-store"


def test_a_not_modified_answer_keeps_the_tags(client, demo_site):
    first = client.get(URL, article_params())
    again = client.get(URL, article_params(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["Surrogate-Key"] == first["Surrogate-Key"]


def test_a_response_cache_hit_keeps_the_tags(client, demo_site, settings):
    settings.GRAPHQL_RESPONSE_CACHE = True
    from cms.graphql.config import graphql_settings

    graphql_settings.cache_clear()
    try:
        first = client.get(URL, article_params())
        hit = client.get(URL, article_params())
    finally:
        graphql_settings.cache_clear()

    assert hit.content == first.content
    assert hit["Surrogate-Key"] == first["Surrogate-Key"]
    assert f"article:{demo_site.pk}" in surrogate_keys(hit)

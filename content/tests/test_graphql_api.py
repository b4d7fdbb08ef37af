"""Article lists, images, credentials and query counts over /graphql/."""

import pytest

from cms.graphql.errors import ErrorCode
from content.articles.factories import AuthorFactory
from content.media.demo import demo_image
from content.models import ArticlePageAuthor, Credential

ARTICLE_LIST = """
query($limit: Int, $offset: Int, $tag: String, $order: ArticleOrder) {
  articles(limit: $limit, offset: $offset, tag: $tag, order: $order) {
    totalCount hasNextPage
    items {
      slug title subtitle summary url readingTimeMinutes publishedDate
      authors { name credentials photo { alt } }
      tags { name slug }
      heroImage { alt width }
    }
  }
}
"""


def add_authored_articles(make_article, count):
    image = demo_image("Test image", "test.png", "A test image", size=(40, 20))
    for n in range(count):
        article = make_article(slug=f"a{n}", title=f"T{n:02d}", hero_image=image)
        for _ in range(2):
            ArticlePageAuthor.objects.create(page=article, author=AuthorFactory())
        article.tags.add("rehab", f"tag-{n}")
        article.save()


def test_articles_filter_by_tag_and_order_by_allowlisted_enum(make_article, gql):
    add_authored_articles(make_article, 3)

    by_title = gql.data(ARTICLE_LIST, {"order": "TITLE"})["articles"]
    tagged = gql.data(ARTICLE_LIST, {"tag": "tag-1"})["articles"]

    assert [a["title"] for a in by_title["items"]] == ["T00", "T01", "T02"]
    assert [a["slug"] for a in tagged["items"]] == ["a1"]
    assert tagged["items"][0]["url"] == "http://localhost:3000/blog/a1/"
    assert len(tagged["items"][0]["authors"]) == 2


def test_articles_reject_raw_order_strings_and_oversized_pages(make_article, gql):
    assert gql.error_codes(ARTICLE_LIST, {"limit": 51}) == [
        ErrorCode.PAGE_SIZE_TOO_LARGE
    ]
    body = gql.execute(ARTICLE_LIST, {"order": "-title"})
    assert body == {
        "errors": [
            {
                "message": "Variable '$order' got invalid value '-title'; "
                "Value '-title' does not exist in 'ArticleOrder' enum.",
                "locations": [{"line": 2, "column": 48}],
                "extensions": {"code": ErrorCode.BAD_USER_INPUT},
            }
        ]
    }


def test_article_list_query_count_does_not_grow_with_page_size(
    make_article, gql, django_assert_num_queries
):
    add_authored_articles(make_article, 10)
    gql.data(ARTICLE_LIST, {"limit": 2})  # warm site and content-type caches

    # Page view restrictions, hidden (draft/expired) branches, the count,
    # the pages with their images, tags, authors, restricted collections.
    with django_assert_num_queries(7):
        gql.data(ARTICLE_LIST, {"limit": 2})
    with django_assert_num_queries(7):
        page = gql.data(ARTICLE_LIST, {"limit": 10})

    assert len(page["articles"]["items"]) == 10


def test_article_list_with_renditions_costs_the_same_for_2_or_10_items(
    make_article, gql, django_assert_num_queries
):
    add_authored_articles(make_article, 10)
    query = """query($limit: Int) { articles(limit: $limit) { items {
      heroImage { srcset(filters: ["width-400", "width-800"]) } } } }"""
    gql.data(query, {"limit": 10})  # renditions are made on first request

    # Page view restrictions, hidden (draft/expired) branches, the count,
    # the pages with their images, the renditions, restricted collections.
    with django_assert_num_queries(6):
        gql.data(query, {"limit": 2})
    with django_assert_num_queries(6):
        gql.data(query, {"limit": 10})


def test_article_detail_costs_a_small_constant_number_of_queries(
    demo, gql, django_assert_num_queries
):
    query = """query($slug: String!) { article(slug: $slug) {
      title bodyText authors { name } tags { name }
      body { __typename
        ... on BodyComparisonTable { table { title rows { criterion cells { html } } } }
        ... on BodyParagraph { text { html } }
        ... on BodyCallToAction { url } } } }"""
    gql.data(query, {"slug": demo.slug})

    # The page, page view restrictions, hidden (draft/expired) branches,
    # tags, authors, the body's tables. The featured-trainers block is read
    # as stored ids: its pages are not looked up when its trainers are not
    # asked for.
    with django_assert_num_queries(6):
        data = gql.data(query, {"slug": demo.slug})

    assert data["article"]["title"] == "Physical Therapy or Personal Training?"


def test_renditions_and_srcset_use_allowlisted_filters_only(demo, gql):
    query = """query($slug: String!, $filter: String!) { article(slug: $slug) {
      heroImage { alt rendition(filter: $filter) { url width height }
                  srcset(filters: ["width-400", "width-800"]) } } }"""

    image = gql.data(query, {"slug": demo.slug, "filter": "fill-800x450"})["article"]

    assert image["heroImage"]["rendition"]["width"] == 800
    assert image["heroImage"]["rendition"]["height"] == 450
    assert image["heroImage"]["srcset"].endswith(" 800w")
    assert gql.error_codes(query, {"slug": demo.slug, "filter": "fill-5000x5000"}) == [
        ErrorCode.RENDITION_NOT_ALLOWED
    ]


@pytest.mark.django_db
def test_credentials_filter_by_kind(gql):
    Credential.objects.create(abbreviation="DPT", full_name="Doctor", kind="degree")
    Credential.objects.create(abbreviation="PT", full_name="Therapist", kind="licence")

    data = gql.data(
        "{ credentials(kind: LICENCE) { totalCount items { abbreviation kind } } }"
    )

    assert data["credentials"] == {
        "totalCount": 1,
        "items": [{"abbreviation": "PT", "kind": "LICENCE"}],
    }


def test_home_page_serves_hero_featured_articles_and_call_to_action(demo, gql):
    data = gql.data(
        "{ homePage { heroHeading heroImage { alt } featuredArticles { slug } "
        "callToAction { heading buttonLabel url isExternal } } }"
    )["homePage"]

    assert data["featuredArticles"] == [{"slug": demo.slug}]
    assert data["callToAction"]["isExternal"] is True
    assert data["heroImage"]["alt"]


def test_every_content_field_in_the_schema_has_a_description(db):
    from grapple.schema import schema

    names = [
        "ArticlePage",
        "ComparisonTable",
        "Author",
        "Credential",
        "OrganisationSettings",
        "HomePage",
        "FormattedText",
        "ResponsiveImage",
        "BodyHeading",
        "BodyParagraph",
        "BodyCallout",
        "BodySpectrum",
        "BodyComparisonTable",
        "BodyInlineComparisonTable",
        "BodyCallToAction",
        "BodyImage",
        "BodyVideo",
        "SocialLink",
    ]
    graphql_schema = schema.graphql_schema
    # Columns grapple adds to every page / snippet type are the interface
    # owners' business (cms.graphql.interfaces), not this app's.
    inherited = set(graphql_schema.get_type("PublicPageInterface").fields) | {
        "snippetType",
        "contentType",
    }
    undocumented = [
        f"{name}.{field_name}"
        for name in names
        for field_name, field in graphql_schema.get_type(name).fields.items()
        if not field.description and field_name not in inherited | {"id"}
    ]
    assert undocumented == []


def test_article_tags_list_only_tags_of_published_articles(make_article, gql):
    for slug, tags, live in [
        ("one", ["rehab"], True),
        ("two", ["rehab", "strength"], True),
        ("draft", ["secret"], False),
    ]:
        article = make_article(slug=slug, live=live)
        article.tags.add(*tags)
        article.save()  # cluster tags are written on save

    data = gql.data("{ articleTags { totalCount items { name slug } } }")

    assert [t["name"] for t in data["articleTags"]["items"]] == ["rehab", "strength"]


def test_every_body_block_type_is_served_typed(make_article, gql):
    image = demo_image("Block image", "block.png", "A block image", size=(40, 20))
    make_article(
        slug="all-blocks",
        body=[
            {"type": "heading", "value": {"text": "H", "level": "h3"}},
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "Alt", "caption": "Cap"},
            },
            {
                "type": "video",
                "value": {
                    "video": "https://www.youtube.com/watch?v=abc",
                    "title": "Demo video",
                    "caption": "",
                },
            },
            {
                "type": "inline_comparison_table",
                "value": {
                    "title": "Inline",
                    "columns": ["A", "B"],
                    "rows": [{"criterion": "C", "cells": ["<p>a</p>", "<p>b</p>"]}],
                    "footnotes": "<p>Note.</p>",
                },
            },
        ],
    )
    query = """{ article(slug: "all-blocks") { body { __typename
      ... on BodyHeading { heading level }
      ... on BodyImage { caption image { alt } }
      ... on BodyVideo { url title }
      ... on BodyInlineComparisonTable { title columns rows { criterion cells { text } }
                                         footnotes { text } } } } }"""

    body = gql.data(query)["article"]["body"]

    assert body == [
        {"__typename": "BodyHeading", "heading": "H", "level": 3},
        {"__typename": "BodyImage", "caption": "Cap", "image": {"alt": "Alt"}},
        {
            "__typename": "BodyVideo",
            "url": "https://www.youtube.com/watch?v=abc",
            "title": "Demo video",
        },
        {
            "__typename": "BodyInlineComparisonTable",
            "title": "Inline",
            "columns": ["A", "B"],
            "rows": [{"criterion": "C", "cells": [{"text": "a"}, {"text": "b"}]}],
            "footnotes": {"text": "Note."},
        },
    ]

"""The root Query is the project's list, in the order api.schema states."""

from grapple.registry import registry

from cms.graphql.public_schema import schema


def test_the_root_fields_are_the_project_fields_in_the_stated_order():
    assert list(schema.graphql_schema.query_type.fields) == [
        "apiVersion",
        "articles",
        "article",
        "articleTags",
        "comparisonTables",
        "comparisonTable",
        "credentials",
        "trainers",
        "trainer",
        "trainerSync",
        "trainerSpecialties",
        "homePage",
        "organisationSettings",
        "search",
        "searchSuggestions",
    ]


def test_grapple_makes_no_type_for_a_project_block():
    # Body blocks are typed by hand (ArticleBodyBlock); a grapple type for
    # one would be built and then pruned, unreachable.
    project_blocks = [
        block.__module__
        for block in registry.streamfield_blocks
        if not block.__module__.startswith(("wagtail.", "grapple."))
    ]

    assert project_blocks == []

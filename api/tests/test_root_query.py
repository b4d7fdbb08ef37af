"""The root Query is the project's list, in the order api.schema states."""

from grapple.registry import registry


def test_the_root_fields_are_the_project_fields_in_the_stated_order():
    from cms.graphql.public_schema import schema

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
    modules = [getattr(key, "__module__", key) for key in registry.streamfield_blocks]
    project_blocks = [
        module
        for module in modules
        if module.split(".")[0] in ("api", "cms", "content", "home", "search")
    ]

    assert project_blocks == []

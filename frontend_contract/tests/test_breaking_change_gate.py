"""The gate itself: a renamed field fails by name; a deprecated removal passes.

Each test edits a copy of the live SDL and runs the same functions the schema
tests run (frontend_contract/tools.py), so it proves what happens when someone
renames a field in the code.
"""

import re

import pytest
from graphql import build_schema

from frontend_contract.tools import (
    CHANGELOG_FILE,
    changed_coordinates,
    is_recorded,
    live_sdl,
    reachable_without_deprecations,
    release_problem,
    snapshot_problem,
)

DEPRECATION = "Deprecated: ArticlePage.subtitle — use summary instead."


@pytest.fixture(scope="module")
def sdl():
    return live_sdl()


def edit_type(sdl: str, type_name: str, old: str, new: str) -> str:
    """Replace ``old`` with ``new`` inside one type's block only."""
    match = re.search(rf"^type {type_name} .*?^\}}", sdl, re.M | re.S)
    assert match, type_name
    block = match.group(0)
    assert old in block, f"{type_name} has no {old!r}"
    return sdl[: match.start()] + block.replace(old, new, 1) + sdl[match.end() :]


def rename_subtitle(sdl: str) -> str:
    return edit_type(sdl, "ArticlePage", "  subtitle: String!", "  dek: String!")


def test_renaming_a_field_makes_the_snapshot_test_name_it(sdl):
    problem = snapshot_problem(sdl, rename_subtitle(sdl))

    assert problem is not None
    assert "ArticlePage.subtitle" in problem
    assert "ArticlePage.dek" in problem


def test_renaming_a_field_makes_the_release_gate_name_it(sdl):
    problem = release_problem(sdl, rename_subtitle(sdl), changelog="")

    assert problem is not None
    assert "FIELD_REMOVED: ArticlePage.subtitle was removed." in problem


def test_renaming_a_root_field_argument_is_refused_by_name(sdl):
    renamed = edit_type(sdl, "Query", "    slug: String!", "    path: String!")

    problem = release_problem(sdl, renamed, changelog="")

    assert "REQUIRED_ARG_ADDED: A required arg path on Query.article" in problem


def test_changing_a_field_type_is_refused_by_name(sdl):
    changed = edit_type(
        sdl,
        "ArticlePage",
        "  readingTimeMinutes: Int!",
        "  readingTimeMinutes: String!",
    )

    problem = release_problem(sdl, changed, changelog="")

    assert "FIELD_CHANGED_KIND: ArticlePage.readingTimeMinutes" in problem


def test_removing_an_enum_value_is_refused_by_name(sdl):
    removed = re.sub(r"(enum ArticleOrder \{.*?)\n  OLDEST", r"\1", sdl, flags=re.S)
    assert removed != sdl

    problem = release_problem(sdl, removed, changelog="")

    assert "VALUE_REMOVED_FROM_ENUM: OLDEST was removed from enum type" in problem


def deprecated_subtitle(sdl: str) -> str:
    return edit_type(
        sdl,
        "ArticlePage",
        "  subtitle: String!",
        '  subtitle: String! @deprecated(reason: "Use summary.")',
    )


def without_subtitle(sdl: str) -> str:
    return re.sub(r'\n  """The dek."""\n  subtitle: String!\n', "\n", sdl)


def test_a_field_deprecated_in_the_release_and_in_the_changelog_may_be_removed(sdl):
    released = deprecated_subtitle(sdl)
    removed = without_subtitle(sdl)
    assert "subtitle" not in re.search(r"type ArticlePage .*?\}", removed, re.S)[0]

    assert release_problem(released, removed, changelog=DEPRECATION) is None


def test_a_deprecated_field_missing_from_the_changelog_may_not_be_removed(sdl):
    problem = release_problem(
        deprecated_subtitle(sdl), without_subtitle(sdl), changelog="nothing here"
    )

    assert "ArticlePage.subtitle" in problem


def test_a_changelog_entry_without_a_deprecation_in_the_release_is_not_enough(sdl):
    problem = release_problem(sdl, without_subtitle(sdl), changelog=DEPRECATION)

    assert "ArticlePage.subtitle" in problem


def test_an_enum_value_deprecated_and_recorded_may_be_removed(sdl):
    released = sdl.replace(
        "  OLDEST\n", '  OLDEST @deprecated(reason: "Sort by NEWEST.")\n', 1
    )
    removed = re.sub(r"(enum ArticleOrder \{.*?)\n  OLDEST", r"\1", sdl, flags=re.S)
    changelog = "Deprecated: ArticleOrder.OLDEST — sort by NEWEST."

    assert release_problem(released, removed, changelog) is None


def test_additive_changes_pass_the_release_gate(sdl):
    added = edit_type(
        sdl,
        "ArticlePage",
        "  subtitle: String!",
        "  subtitle: String!\n  kicker: String",
    )

    assert release_problem(sdl, added, changelog="") is None
    assert changed_coordinates(sdl, added) == ["ArticlePage.kicker"]


# Types: deprecated through every field that reaches them ----------------------

PHOTO_DEPRECATION = (
    ' @deprecated(reason: "Use portrait: the same photo as a ResponsiveImage.")'
)
PHOTO_TYPES = ["TrainerPhoto", "TrainerPhotoRendition", "TrainerImageFilter"]


def drop_type(sdl: str, name: str) -> str:
    """Remove one type (and its description) from the SDL."""
    pattern = rf'(?:^"""[^"]*"""\n)?^(?:type|enum|input) {name} [^\n]*\{{\n.*?^\}}\n\n?'
    dropped, count = re.subn(pattern, "", sdl, count=1, flags=re.M | re.S)
    assert count == 1, name
    return dropped


def without_photo(sdl: str) -> str:
    """The trainer photo field removed, with the types only it reached."""
    field = (
        f'  """Portrait photo, if any."""\n  photo: TrainerPhoto{PHOTO_DEPRECATION}\n\n'
    )
    assert field in sdl
    sdl = sdl.replace(field, "")
    for name in PHOTO_TYPES:
        sdl = drop_type(sdl, name)
    return sdl


def test_types_served_only_through_deprecated_fields_may_go_when_recorded(sdl):
    removed = without_photo(sdl)
    build_schema(removed)  # still a valid schema

    assert release_problem(sdl, removed, CHANGELOG_FILE.read_text()) is None


def test_a_type_removed_without_its_changelog_entry_is_refused_by_name(sdl):
    changelog = "Deprecated: TrainerProfile.photo — use portrait."

    problem = release_problem(sdl, without_photo(sdl), changelog)

    assert "TYPE_REMOVED: TrainerPhoto was removed." in problem
    assert "TYPE_REMOVED: TrainerImageFilter was removed." in problem
    assert "TrainerProfile.photo" not in problem


def test_a_type_a_current_field_still_serves_may_not_be_removed(sdl):
    released = sdl.replace(PHOTO_DEPRECATION, "")

    problem = release_problem(released, without_photo(sdl), CHANGELOG_FILE.read_text())

    assert "FIELD_REMOVED: TrainerProfile.photo was removed." in problem
    assert "TYPE_REMOVED: TrainerPhoto was removed." in problem


def test_every_deprecation_in_the_live_schema_is_recorded_in_the_changelog():
    schema = build_schema(live_sdl())
    served = reachable_without_deprecations(schema)
    changelog = CHANGELOG_FILE.read_text()
    deprecated = [
        f"{type_name}.{name}"
        for type_name, graphql_type in schema.type_map.items()
        for name, member in {
            **(getattr(graphql_type, "fields", None) or {}),
            **(getattr(graphql_type, "values", None) or {}),
        }.items()
        if member.deprecation_reason
    ]
    hidden = [
        name
        for name in schema.type_map
        if not name.startswith("__") and name not in served
    ]

    assert deprecated == ["TrainerHeldCredential.credential", "TrainerProfile.photo"]
    assert sorted(hidden) == [
        "TrainerCredentialKind",
        "TrainerCredentialType",
        "TrainerImageFilter",
        "TrainerPhoto",
        "TrainerPhotoRendition",
    ]
    assert [c for c in deprecated + hidden if not is_recorded(changelog, c)] == []

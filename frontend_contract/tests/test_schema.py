"""The committed schema is the live schema; releases only grow."""

import pytest

from frontend_contract.tools import (
    CHANGELOG_FILE,
    SCHEMA_FILE,
    latest_release_sdl,
    live_schema,
    live_sdl,
    release_problem,
    snapshot_problem,
)


def test_committed_schema_matches_the_live_schema():
    committed = SCHEMA_FILE.read_text() if SCHEMA_FILE.exists() else ""
    problem = snapshot_problem(committed, live_sdl())
    if problem:
        pytest.fail(problem)


def test_live_schema_has_no_undeclared_breaking_change_against_the_latest_release():
    release = latest_release_sdl()
    assert release is not None, "frontend_contract/releases/ holds no release"
    version, released = release
    problem = release_problem(released, live_sdl(), CHANGELOG_FILE.read_text())
    if problem:
        pytest.fail(f"release {version}: {problem}")


def test_every_field_and_argument_is_described():
    missing = []
    for type_name, graphql_type in live_schema().type_map.items():
        if type_name.startswith("__"):
            continue
        for field_name, field in (getattr(graphql_type, "fields", None) or {}).items():
            if not field.description:
                missing.append(f"{type_name}.{field_name}")
            for arg_name, arg in (getattr(field, "args", None) or {}).items():
                if not arg.description:
                    missing.append(f"{type_name}.{field_name}({arg_name})")
    assert not missing, "fields without a description:\n" + "\n".join(missing)

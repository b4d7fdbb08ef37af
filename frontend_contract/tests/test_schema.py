"""The committed schema is the live schema; releases only grow."""

import difflib
import re

import pytest
from graphql import BreakingChangeType, build_schema, find_breaking_changes

from frontend_contract.tools import (
    CHANGELOG_FILE,
    SCHEMA_FILE,
    latest_release,
    live_schema,
    live_sdl,
)


def _changed_coordinates(old: str, new: str) -> list[str]:
    """Type.field names that differ between two printed schemas."""
    coordinates = []
    current_type = None
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
    for line in diff:
        if line.startswith(("---", "+++", "@@")):
            continue
        body = line[1:]
        match = re.match(r"\s*(type|interface|input|enum|union|scalar)\s+(\w+)", body)
        if match:
            current_type = match.group(2)
            coordinates.append(current_type)
            continue
        field = re.match(r"\s+(\w+)", body)
        if field:
            coordinates.append(f"{current_type or '?'}.{field.group(1)}")
    return sorted(set(coordinates))


def _type_of_line(sdl: str):
    """Map each line number of an SDL text to the type it belongs to."""
    owner, owners = None, []
    for line in sdl.splitlines():
        match = re.match(r"(type|interface|input|enum|union|scalar)\s+(\w+)", line)
        if match:
            owner = match.group(2)
        owners.append(owner)
    return owners


def test_committed_schema_matches_the_live_schema():
    committed = SCHEMA_FILE.read_text() if SCHEMA_FILE.exists() else ""
    live = live_sdl()
    if committed != live:
        names = _changed_coordinates(committed, live)
        pytest.fail(
            "frontend_contract/schema.graphql is out of date; changed: "
            + ", ".join(names[:40])
            + ". If the change is intended, run `make schema` and commit it "
            "(breaking changes also need a deprecation and a CHANGELOG entry)."
        )


def _deprecated_in(schema, coordinate: str) -> bool:
    type_name, _, field_name = coordinate.partition(".")
    graphql_type = schema.get_type(type_name)
    if graphql_type is None or not field_name:
        return False
    fields = getattr(graphql_type, "fields", None) or {}
    values = getattr(graphql_type, "values", None) or {}
    member = fields.get(field_name) or values.get(field_name)
    return bool(member and member.deprecation_reason)


def test_live_schema_has_no_undeclared_breaking_change_against_the_latest_release():
    release = latest_release()
    assert release is not None, "frontend_contract/releases/ holds no release"
    version, released = release
    changelog = CHANGELOG_FILE.read_text()
    undeclared = []
    # Compare SDL with SDL: graphene's scalar classes differ from the ones
    # build_schema makes, which the finder would report as kind changes.
    live = build_schema(live_sdl())
    for change in find_breaking_changes(released, live):
        coordinate = change.description.split(" ")[0].rstrip(".")
        allowed = (
            change.type
            in {
                BreakingChangeType.FIELD_REMOVED,
                BreakingChangeType.VALUE_REMOVED_FROM_ENUM,
            }
            and _deprecated_in(released, coordinate)
            and coordinate in changelog
        )
        if not allowed:
            undeclared.append(f"{change.type.name}: {change.description}")
    assert not undeclared, (
        f"breaking changes against release {version} (deprecate first, record in "
        "CHANGELOG.md):\n" + "\n".join(undeclared)
    )


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

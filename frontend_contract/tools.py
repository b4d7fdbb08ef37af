"""The frontend contract: the printed schema, released schemas and operations.

``frontend_contract/schema.graphql`` is the live schema, printed and sorted so
diffs are stable. ``releases/<version>.graphql`` are the schemas clients were
promised; changes against the latest release must be additive or go through
deprecation. ``operations/*.graphql`` are the named operations the web
frontend and the mobile app send; their ids (sha256 of the file text) are
what persisted-query clients send instead of the text.
"""

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    BreakingChangeType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    build_schema,
    find_breaking_changes,
    get_named_type,
    lexicographic_sort_schema,
    parse,
    print_schema,
)

CONTRACT_DIR = Path(__file__).resolve().parent
SCHEMA_FILE = CONTRACT_DIR / "schema.graphql"
RELEASES_DIR = CONTRACT_DIR / "releases"
OPERATIONS_DIR = CONTRACT_DIR / "operations"
SHAPES_DIR = CONTRACT_DIR / "shapes"
CHANGELOG_FILE = CONTRACT_DIR / "CHANGELOG.md"


def live_schema() -> GraphQLSchema:
    from cms.graphql.public_schema import schema

    return schema.graphql_schema


def print_sorted(schema: GraphQLSchema) -> str:
    return print_schema(lexicographic_sort_schema(schema)).rstrip() + "\n"


def live_sdl() -> str:
    return print_sorted(live_schema())


def _version_key(path: Path) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.-]", path.stem))


def latest_release() -> tuple[str, GraphQLSchema] | None:
    releases = sorted(RELEASES_DIR.glob("*.graphql"), key=_version_key)
    if not releases:
        return None
    path = releases[-1]
    return path.stem, build_schema(path.read_text())


# --- the gate: snapshot and breaking changes --------------------------------

_TYPE_LINE = re.compile(r"\s*(type|interface|input|enum|union|scalar)\s+(\w+)")
_REMOVALS_ALLOWED_AFTER_DEPRECATION = {
    BreakingChangeType.FIELD_REMOVED,
    BreakingChangeType.VALUE_REMOVED_FROM_ENUM,
}


def changed_coordinates(old: str, new: str) -> list[str]:
    """``Type`` and ``Type.field`` names whose lines differ between two SDLs."""
    owners = {"-": _line_owners(old), "+": _line_owners(new)}
    coordinates = set()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines())
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for sign, lines, start, end in (
            ("-", old.splitlines(), i1, i2),
            ("+", new.splitlines(), j1, j2),
        ):
            for number in range(start, end):
                coordinate = _coordinate_of(lines[number], owners[sign][number])
                if coordinate:
                    coordinates.add(coordinate)
    return sorted(coordinates)


def _line_owners(sdl: str) -> list[str | None]:
    owner, owners = None, []
    for line in sdl.splitlines():
        match = _TYPE_LINE.match(line)
        if match and not line.startswith(" "):
            owner = match.group(2)
        owners.append(owner)
    return owners


def _coordinate_of(line: str, owner: str | None) -> str | None:
    match = _TYPE_LINE.match(line)
    if match and not line.startswith(" "):
        return match.group(2)
    field = re.match(r"  (\w+)\s*[:(@]|  (\w+)\s*$", line)
    if field and owner:
        return f"{owner}.{field.group(1) or field.group(2)}"
    return None


def snapshot_problem(committed: str, live: str) -> str | None:
    """Why the committed schema file is stale, or None when it is current."""
    if committed == live:
        return None
    names = changed_coordinates(committed, live)
    return (
        "frontend_contract/schema.graphql is out of date; changed: "
        + (", ".join(names[:40]) or "(formatting)")
        + ". If the change is intended, run `make schema` and commit it "
        "(breaking changes also need a deprecation and a CHANGELOG entry)."
    )


def _coordinate_of_change(change) -> str:
    if change.type == BreakingChangeType.VALUE_REMOVED_FROM_ENUM:
        match = re.match(r"(\w+) was removed from enum type (\w+)", change.description)
        if match:
            return f"{match.group(2)}.{match.group(1)}"
    return change.description.split(" ")[0].rstrip(".")


def deprecated_in(schema: GraphQLSchema, coordinate: str) -> bool:
    """Whether ``Type.field`` (or ``Enum.VALUE``) is deprecated in ``schema``."""
    type_name, _, member_name = coordinate.partition(".")
    graphql_type = schema.get_type(type_name)
    if graphql_type is None or not member_name:
        return False
    fields = getattr(graphql_type, "fields", None) or {}
    values = getattr(graphql_type, "values", None) or {}
    member = fields.get(member_name) or values.get(member_name)
    return bool(member and member.deprecation_reason)


def reachable_without_deprecations(schema: GraphQLSchema) -> set[str]:
    """Names of the types a client reaches from the root types without
    selecting a deprecated field (or passing a deprecated argument)."""
    roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
    queue = [root for root in roots if root is not None]
    seen: set[str] = set()
    while queue:
        named = get_named_type(queue.pop())
        if named is None or named.name in seen:
            continue
        seen.add(named.name)
        for field in (getattr(named, "fields", None) or {}).values():
            if getattr(field, "deprecation_reason", None):
                continue
            queue.append(field.type)
            queue.extend(
                arg.type
                for arg in (getattr(field, "args", None) or {}).values()
                if not arg.deprecation_reason
            )
        if isinstance(named, GraphQLObjectType):
            queue.extend(named.interfaces)
        if isinstance(named, GraphQLUnionType):
            queue.extend(named.types)
        if isinstance(named, GraphQLInterfaceType):
            queue.extend(schema.get_possible_types(named))
    return seen


def is_recorded(changelog: str, coordinate: str) -> bool:
    pattern = rf"Deprecated:\s*`?{re.escape(coordinate)}`?(?![\w.])"
    return re.search(pattern, changelog) is not None


def undeclared_breaking_changes(
    released: GraphQLSchema, live: GraphQLSchema, changelog: str
) -> list[str]:
    """Breaking changes from ``released`` to ``live`` that the policy refuses.

    Only removals are ever allowed: of a field or enum value that was
    deprecated in the release and recorded in the changelog as
    ``Deprecated: Type.field``, and of a type that the release served only
    through deprecated fields and the changelog records as
    ``Deprecated: Type``. Each message starts with the change type and names
    the field (``FIELD_REMOVED: ArticlePage.subtitle was removed.``).
    """
    refused = []
    served = None
    for change in find_breaking_changes(released, live):
        coordinate = _coordinate_of_change(change)
        if change.type == BreakingChangeType.TYPE_REMOVED:
            if served is None:
                served = reachable_without_deprecations(released)
            allowed = coordinate not in served and is_recorded(changelog, coordinate)
        else:
            allowed = (
                change.type in _REMOVALS_ALLOWED_AFTER_DEPRECATION
                and deprecated_in(released, coordinate)
                and is_recorded(changelog, coordinate)
            )
        if not allowed:
            refused.append(f"{change.type.name}: {change.description}")
    return refused


def release_problem(
    released_sdl: str, live_sdl_text: str, changelog: str
) -> str | None:
    """Why ``live_sdl_text`` may not ship against a release, or None."""
    # Compare SDL with SDL: graphene's scalar classes differ from the ones
    # build_schema makes, which the finder would report as kind changes.
    refused = undeclared_breaking_changes(
        build_schema(released_sdl), build_schema(live_sdl_text), changelog
    )
    if not refused:
        return None
    return (
        "breaking changes against the latest release (deprecate first, release, "
        "record `Deprecated: Type.field` in CHANGELOG.md):\n" + "\n".join(refused)
    )


def latest_release_sdl() -> tuple[str, str] | None:
    releases = sorted(RELEASES_DIR.glob("*.graphql"), key=_version_key)
    if not releases:
        return None
    return releases[-1].stem, releases[-1].read_text()


# --- operations ----------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    name: str
    path: Path
    text: str

    @property
    def id(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def example_variables(self) -> dict:
        path = self.path.with_suffix(".variables.json")
        return json.loads(path.read_text()) if path.exists() else {}

    @property
    def shape_file(self) -> Path:
        return SHAPES_DIR / f"{self.name}.json"


def load_operations() -> list[Operation]:
    operations = []
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        text = path.read_text()
        definitions = [
            d for d in parse(text).definitions if isinstance(d, OperationDefinitionNode)
        ]
        if len(definitions) != 1 or definitions[0].name is None:
            raise ValueError(f"{path.name}: expected exactly one named operation")
        operations.append(Operation(definitions[0].name.value, path, text))
    return operations


def shape_of(value):
    """The structure of a JSON value: keys and types, list items merged."""
    if isinstance(value, dict):
        return {key: shape_of(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes = [shape_of(item) for item in value]
        merged = []
        for shape in shapes:
            if shape not in merged:
                merged.append(shape)
        if len(merged) <= 1:
            return merged
        # Mixed item shapes (a union): sorted, so result order (which can
        # differ between SQLite and PostgreSQL rankings) does not matter.
        return sorted(merged, key=lambda shape: json.dumps(shape, sort_keys=True))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"

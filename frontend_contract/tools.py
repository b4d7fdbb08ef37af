"""The frontend contract: the printed schema, released schemas and operations.

``frontend_contract/schema.graphql`` is the live schema, printed and sorted so
diffs are stable. ``releases/<version>.graphql`` are the schemas clients were
promised; changes against the latest release must be additive or go through
deprecation. ``operations/*.graphql`` are the named operations the web
frontend and the mobile app send; their ids (sha256 of the file text) are
what persisted-query clients send instead of the text.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
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
        return merged[:1] if all(s == merged[0] for s in merged) else merged
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"

"""Every client operation validates, runs on the demo content, keeps its shape."""

import json
import os

import pytest
from graphql import parse, validate

from frontend_contract.tools import live_schema, load_operations, shape_of

OPERATIONS = load_operations()
UPDATE_SHAPES = os.environ.get("UPDATE_CONTRACT_SHAPES") == "1"


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_operation_validates_against_the_live_schema(operation):
    errors = validate(live_schema(), parse(operation.text))
    assert not errors, f"{operation.path.name}: " + "; ".join(e.message for e in errors)


def test_operation_names_are_unique():
    names = [op.name for op in OPERATIONS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_operation_runs_on_demo_content_with_its_pinned_shape(
    operation, demo_content, gql
):
    data = gql.data(operation.text, operation.example_variables)
    shape = shape_of(data)
    if UPDATE_SHAPES or not operation.shape_file.exists():
        operation.shape_file.parent.mkdir(exist_ok=True)
        operation.shape_file.write_text(json.dumps(shape, indent=2) + "\n")
        if not UPDATE_SHAPES:
            pytest.fail(f"wrote a new shape for {operation.name}; commit it")
    pinned = json.loads(operation.shape_file.read_text())
    assert shape == pinned, (
        f"{operation.name}: response shape changed; if intended, rerun with "
        "UPDATE_CONTRACT_SHAPES=1 and commit frontend_contract/shapes/"
    )

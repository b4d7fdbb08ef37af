"""The one fragment walker, shared by the limit rules, the cost and loaders."""

from types import SimpleNamespace

from graphql import parse

from cms.graphql import selection
from cms.graphql.walk import SelectionFold, all_fields, fields_of, fragments_of

DOCUMENT = parse(
    """
    query {
      a
      ... on Query { b { c ...F } }
      ...G
    }
    fragment F on Item { d e { f } }
    fragment G on Query { g ...Missing }
    """
)
OPERATION = DOCUMENT.definitions[0]
FRAGMENTS = fragments_of(DOCUMENT)


def names(fields) -> list[str]:
    return [field.name.value for field in fields]


def test_fragments_are_found_by_name():
    assert sorted(FRAGMENTS) == ["F", "G"]
    assert FRAGMENTS["F"] is DOCUMENT.definitions[1]


def test_fields_of_one_selection_set_follow_fragments_in_document_order():
    assert names(fields_of(OPERATION.selection_set, FRAGMENTS)) == ["a", "b", "g"]


def test_all_fields_lists_each_field_then_the_fields_under_it():
    every = all_fields(OPERATION.selection_set, FRAGMENTS)

    assert names(every) == ["a", "b", "c", "d", "e", "f", "g"]


def test_a_field_spread_twice_is_listed_twice():
    document = parse("{ ...F x { ...F } } fragment F on Query { y }")

    every = all_fields(document.definitions[0].selection_set, fragments_of(document))

    assert names(every) == ["y", "x", "y"]


def test_cycles_and_unknown_fragments_add_nothing():
    document = parse(
        "{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }"
    )
    operation = document.definitions[0]

    assert names(all_fields(operation.selection_set, fragments_of(document))) == [
        "a",
        "b",
    ]
    assert fields_of(parse("{ ...Nope }").definitions[0].selection_set, {}) == []


class CountingFold(SelectionFold[int]):
    """Counts fields, and how often the walk visits one."""

    visits = 0

    def empty(self) -> int:
        return 0

    def add(self, total: int, part: int) -> int:
        return total + part

    def field(self, node, scope, stack) -> int:
        self.visits += 1
        return 1 + self.fold(node.selection_set, scope, stack)


def test_each_named_fragment_is_walked_once_so_a_bomb_costs_linear_time():
    levels = 30
    parts = ["query { ...F30 }", "fragment F0 on Query { __typename }"]
    parts += [
        f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}"
        for n in range(1, levels + 1)
    ]
    document = parse("\n".join(parts))
    fold = CountingFold(fragments_of(document))

    total = fold.fold(document.definitions[0].selection_set)

    assert total == 2**levels
    assert fold.visits == 1
    assert sorted(fold.memo, key=lambda name: int(name[1:])) == [
        f"F{n}" for n in range(levels + 1)
    ]


def test_the_scope_follows_type_conditions():
    class Scopes(SelectionFold[list]):
        def empty(self):
            return []

        def add(self, total, part):
            return total + part

        def field(self, node, scope, stack):
            return [(node.name.value, scope)]

        def scope_of(self, type_condition, scope):
            return type_condition.name.value if type_condition else scope

    document = parse("{ a ... on Item { b } ... { c } ...F } fragment F on Page { d }")

    seen = Scopes(fragments_of(document)).fold(
        document.definitions[0].selection_set, "Query"
    )

    assert seen == [("a", "Query"), ("b", "Item"), ("c", "Query"), ("d", "Page")]


def test_the_loaders_look_ahead_through_the_same_walker():
    info = SimpleNamespace(fragments=FRAGMENTS)

    assert selection.fields_of(OPERATION.selection_set, info) == fields_of(
        OPERATION.selection_set, FRAGMENTS
    )
    assert names(selection.walk(OPERATION.selection_set, info)) == [
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
    ]

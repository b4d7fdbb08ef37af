"""Write the public schema's SDL, sorted, to frontend_contract/schema.graphql."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from graphql import (
    GraphQLEnumType,
    GraphQLSchema,
    get_nullable_type,
    lexicographic_sort_schema,
    print_schema,
)


def _fix_enum_defaults(schema: GraphQLSchema) -> None:
    """Grapple declares some enum argument defaults by their raw value
    (``searchOperator = "and"``), which the printer cannot serialise; use the
    enum member carrying that value instead."""
    for type_ in schema.type_map.values():
        for field in (getattr(type_, "fields", None) or {}).values():
            for argument in field.args.values():
                enum = get_nullable_type(argument.type)
                if not isinstance(enum, GraphQLEnumType):
                    continue
                default = argument.default_value
                for value in enum.values.values():
                    if getattr(value.value, "value", None) == default:
                        argument.default_value = value.value


def schema_sdl() -> str:
    from grapple.schema import schema

    sorted_schema = lexicographic_sort_schema(schema.graphql_schema)
    _fix_enum_defaults(sorted_schema)
    return print_schema(sorted_schema) + "\n"


class Command(BaseCommand):
    help = "Export the public GraphQL schema (SDL) to frontend_contract/schema.graphql."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stdout",
            action="store_true",
            dest="to_stdout",
            help="Print the SDL instead of writing it.",
        )
        parser.add_argument(
            "--output",
            default=str(
                Path(settings.BASE_DIR) / "frontend_contract" / "schema.graphql"
            ),
            help="Where to write the SDL.",
        )

    def handle(self, *args, **options):
        sdl = schema_sdl()
        if options["to_stdout"]:
            self.stdout.write(sdl, ending="")
            return
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.read_text(encoding="utf-8") == sdl:
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(sdl, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")

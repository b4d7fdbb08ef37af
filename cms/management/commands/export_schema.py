"""Write the public schema's SDL, sorted, to frontend_contract/schema.graphql."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from frontend_contract.tools import live_sdl


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
        sdl = live_sdl()
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

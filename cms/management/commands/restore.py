import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Replace ALL content in the database (and add media files) with a backup "
        "made by `manage.py backup`. Run `migrate` first on a new database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive written by `manage.py backup`.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            "--yes",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (--yes is an alias).",
        )

    def handle(self, *args, path, interactive, **options):
        archive = Path(path)
        if not archive.is_file():
            raise CommandError(f"no such backup: {archive}")
        if interactive:
            self.confirm()
        try:
            summary = restore_backup(archive, stdout=self.stdout)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {summary['rows']} rows."))

    @staticmethod
    def confirm() -> None:
        # Without a terminal there is nobody to ask: say how to go on instead
        # of failing on end of input.
        if not sys.stdin or not sys.stdin.isatty():
            raise CommandError(
                "restore replaces all content and needs confirmation; no terminal "
                "to ask on. Run it with --no-input to confirm."
            )
        try:
            answer = input("This replaces all content in the database. Type 'yes': ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("restore cancelled")

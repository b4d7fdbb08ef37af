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
            "--yes", action="store_true", help="Do not ask for confirmation."
        )

    def handle(self, *args, path, yes, **options):
        archive = Path(path)
        if not archive.is_file():
            raise CommandError(f"no such backup: {archive}")
        if not yes:
            answer = input("This replaces all content in the database. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            summary = restore_backup(archive, stdout=self.stdout)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {summary['rows']} rows."))

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from cms.backup import create_backup


class Command(BaseCommand):
    help = "Write a full backup (database rows and media files) to a .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Archive path (default: backups/backup-<timestamp>.tar.gz).",
        )

    def handle(self, *args, path=None, **options):
        if not path:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = f"backups/backup-{stamp}.tar.gz"
        summary = create_backup(Path(path))
        self.stdout.write(
            f"Backed up {summary['rows']} rows and {summary['media_files']} media "
            f"files to {summary['path']}"
        )

"""Refresh the query planner's statistics (``ANALYZE``).

SQLite keeps no statistics until ``ANALYZE`` runs, and without them it picks
indexes by guesswork: at 5,000 trainer profiles the article list walked every
page through the ``first_published_at`` index and search scanned the whole
index table. PostgreSQL's autovacuum analyses on its own, but only some time
after a bulk load. ``load_demo_content`` runs this at its end; run it from
cron (README, "Scheduled jobs") and after large imports.
"""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from cms.db import analyze


class Command(BaseCommand):
    help = "Refresh the database's query-planner statistics (ANALYZE)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        analyze(database)
        vendor = connections[database].vendor
        self.stdout.write(self.style.SUCCESS(f"Analysed the {vendor} database."))

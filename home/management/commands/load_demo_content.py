"""Load the demo content: the seed article, its table, settings and trainers.

The one command that orchestrates the demo: the site and the home page
(``home.demo``), then each content domain's own ``demo`` loader, in the order
they depend on each other. Idempotent: a second run finds everything in place
and changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.db import analyze
from cms.editorial import ensure_groups
from content.articles import demo as articles
from content.catalogue import demo as catalogue
from content.engagement import demo as engagement
from content.tables import demo as tables
from content.trainers import demo as trainers
from home.demo import (
    load_featured_trainers,
    load_home_features,
    load_organisation_settings,
    load_site,
)


class Command(BaseCommand):
    help = "Load (or top up) the demo content. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--trainers",
            type=int,
            default=None,
            help="Number of trainer profiles (default: the curated demo set).",
        )
        parser.add_argument(
            "--articles",
            type=int,
            default=None,
            help="Extra generated articles for benchmarks (default: none).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, seed, **options):
        trainer_count, article_count = options["trainers"], options["articles"]
        self.stdout.write("Loading demo content...")
        with transaction.atomic():
            home = load_site(self.stdout)
            ensure_groups(self.stdout)
            load_organisation_settings(self.stdout)
            credentials, _ = catalogue.load(self.stdout)
            table = tables.load(self.stdout)
            article = articles.load(
                self.stdout, parent=home, table=table, credentials=credentials
            )
            if article_count:
                articles.load_generated(
                    article.get_parent().specific,
                    article_count,
                    seed,
                    self.stdout,
                    template=article,
                )
            engagement.load(article, self.stdout)
            load_home_features(home, [article], self.stdout)
        # Trainers load in their own transactions (bulk inserts for --trainers N).
        trainers.load(self.stdout, parent=home, count=trainer_count, seed=seed)
        with transaction.atomic():
            load_featured_trainers(home, article, self.stdout)
        # Planner statistics for the rows just written (SQLite has none).
        analyze()
        self.stdout.write(self.style.SUCCESS("Demo content ready."))

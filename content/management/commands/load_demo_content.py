"""Load the demo content: the seed article, its table, settings and trainers.

Idempotent: a second run finds everything in place and changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.db import analyze
from content.demo.articles import load_articles
from content.demo.generated import load_generated_articles
from content.demo.permissions import ensure_groups
from content.demo.trainers import load_trainers
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

    def handle(self, *args, trainers, articles, seed, **options):
        self.stdout.write("Loading demo content...")
        with transaction.atomic():
            home = load_site(self.stdout)
            ensure_groups(self.stdout)
            load_organisation_settings(self.stdout)
            article = load_articles(home, self.stdout)
            if articles:
                load_generated_articles(
                    article.get_parent().specific,
                    articles,
                    seed,
                    self.stdout,
                    template=article,
                )
            load_home_features(home, [article], self.stdout)
        # Trainers load in their own transactions (bulk inserts for --trainers N).
        load_trainers(self.stdout, count=trainers, seed=seed)
        with transaction.atomic():
            load_featured_trainers(home, article, self.stdout)
        # Planner statistics for the rows just written (SQLite has none).
        analyze()
        self.stdout.write(self.style.SUCCESS("Demo content ready."))

"""Move counted views into the database (the worker runs this on a timer)."""

from django.core.management.base import BaseCommand

from content.engagement import counting


class Command(BaseCommand):
    help = "Flush pending unique-reader counts into ArticleViewDay, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=None)

    def handle(self, *args, batch=None, **options):
        moved = counting.flush(batch)
        self.stdout.write(f"flushed {moved} reader(s)")

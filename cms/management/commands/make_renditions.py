"""Make every allowlisted rendition of every image, with a progress bar."""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from cms.renditions import allowed_filters, make_all_renditions


class Command(BaseCommand):
    help = "Create all allowlisted renditions for every image (idempotent)."

    def handle(self, *args, **options):
        images = get_image_model().objects.order_by("pk")
        total = images.count()
        specs = allowed_filters()
        self.stdout.write(f"{total} images x {len(specs)} filters")
        made = 0
        for done, image in enumerate(images.iterator(), start=1):
            try:
                made += make_all_renditions(image)
            except Exception as exc:  # a missing or corrupt file
                self.stderr.write(f"image {image.pk}: {exc}")
            filled = int(30 * done / max(total, 1))
            bar = "#" * filled + "-" * (30 - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stdout.flush()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{made} renditions ready."))

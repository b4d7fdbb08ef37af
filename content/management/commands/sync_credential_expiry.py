"""Log a trainer sync change for every profile whose credential has lapsed.

Idempotent and cheap (two aggregate queries when nothing lapsed): run it from
cron hourly, or at least daily just after midnight in ``TIME_ZONE``.
"""

from django.core.management.base import BaseCommand

from content.trainers.services import log_expired_credentials


class Command(BaseCommand):
    help = (
        "Append a trainerSync change for each public profile whose credential "
        "expired since the profile was last logged (idempotent; run from cron)."
    )

    def handle(self, *args, **options):
        pks = log_expired_credentials()
        self.stdout.write(
            f"Logged {len(pks)} trainer profile(s) with a newly expired credential."
        )

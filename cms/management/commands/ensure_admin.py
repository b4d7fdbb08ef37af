"""Make sure a local admin account exists, without a fixed default password."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the local admin account if it is missing. The password comes from "
        "DJANGO_ADMIN_PASSWORD, or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username", default=os.environ.get("DJANGO_ADMIN_USER", "admin")
        )
        parser.add_argument("--email", default="admin@example.com")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        password = os.environ.get("DJANGO_ADMIN_PASSWORD", "")
        user = User.objects.filter(username=username).first()
        if user is not None:
            if password and not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write(
                    f"Admin '{username}': password updated from DJANGO_ADMIN_PASSWORD."
                )
            else:
                self.stdout.write(f"Admin '{username}' already exists; unchanged.")
            return
        generated = not password
        if generated:
            password = secrets.token_urlsafe(18)
        User.objects.create_superuser(username=username, email=email, password=password)
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Created admin '{username}' with generated password: {password}\n"
                    "It is shown only once; set DJANGO_ADMIN_PASSWORD to choose one."
                )
            )
        else:
            self.stdout.write(f"Created admin '{username}' with DJANGO_ADMIN_PASSWORD.")

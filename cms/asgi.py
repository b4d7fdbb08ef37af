"""ASGI entry point."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

from cms.bootstrap import load_settings

load_settings()

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()

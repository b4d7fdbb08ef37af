"""Where the checkout is: every settings module's paths start here."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

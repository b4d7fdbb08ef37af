import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cms.graphql.persisted import sha256_hex

OPERATIONS = Path(settings.BASE_DIR) / "frontend_contract" / "operations"
SEED_SLUG = "physical-therapy-or-personal-training"


def operation_id(name: str) -> str:
    return sha256_hex((OPERATIONS / f"{name}.graphql").read_text())


def persisted_params(name: str, variables=None) -> dict:
    params = {"id": operation_id(name)}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return params


def article_params(slug=SEED_SLUG) -> dict:
    return persisted_params("ArticleDetail", {"slug": slug})


def surrogate_keys(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


@pytest.fixture
def demo_site(db):
    """The demo content (the seed article embeds a comparison table)."""
    from content.models import ArticlePage

    call_command("load_demo_content", stdout=StringIO())
    return ArticlePage.objects.get(slug=SEED_SLUG)

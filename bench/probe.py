"""Runs inside Django (production settings, the bench database) before load.

Gathers fixtures and checks every GraphQL operation in ``bench/operations.py``
against the real schema, without touching the server under test (so its
first round stays cold). Prints one ``BENCH_PROBE {json}`` line.
"""

import json
import os
import sys
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    from bench.operations import OPERATIONS, collect_fixtures

    fixtures = collect_fixtures()
    client = Client(HTTP_HOST="localhost")
    rng = Random(1)
    checks = {}
    for name, op in OPERATIONS.items():
        body = {"query": op.query, "variables": op.variables(fixtures, rng)}
        response = client.post(
            "/graphql/", data=json.dumps(body), content_type="application/json"
        )
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        errors = payload.get("errors") or []
        ok = response.status_code == 200 and not errors and payload.get("data")
        checks[name] = {
            "ok": bool(ok),
            "status": response.status_code,
            "error": (errors[0].get("message", "")[:200] if errors else None),
        }
    fixtures["operations"] = checks
    sys.stdout.write("BENCH_PROBE " + json.dumps(fixtures) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    main()

"""A backup restored into an empty database serves byte-identical responses."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import Page

from frontend_contract.tools import load_operations


def _responses(client) -> list[bytes]:
    bodies = []
    queries = [(op.text, op.example_variables) for op in load_operations()]
    queries.append(("{ apiVersion }", {}))
    for text, variables in queries:
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": text, "variables": variables}),
            content_type="application/json",
        )
        bodies.append(response.content)
    return bodies


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_gives_byte_identical_responses(
    client, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo_content", stdout=io.StringIO())
    before = _responses(client)
    pages_before = Page.objects.count()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    assert Page.objects.count() == 0
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    assert Page.objects.count() == pages_before
    from django.core.cache import cache

    cache.clear()
    assert _responses(client) == before


def test_restore_refuses_a_missing_archive(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such backup"):
        call_command("restore", str(tmp_path / "nope.tar.gz"), "--yes")


@pytest.mark.parametrize("flag", ["--no-input", "--noinput", "--yes"])
def test_restore_takes_djangos_no_input_flag_and_the_yes_alias(tmp_path, flag):
    from django.core.management.base import CommandError

    # The flag parses; the missing archive is the only complaint.
    with pytest.raises(CommandError, match="no such backup"):
        call_command("restore", str(tmp_path / "nope.tar.gz"), flag)


def test_restore_without_a_terminal_says_how_to_confirm_instead_of_a_traceback(
    tmp_path,
):
    import os
    import subprocess
    import sys
    from pathlib import Path

    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"not read: the command stops at the confirmation")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "EOFError" not in result.stderr
    assert result.stderr.strip() == (
        "CommandError: restore replaces all content and needs confirmation; "
        "no terminal to ask on. Run it with --no-input to confirm."
    )

"""The documentation a newcomer reads is true of this repository.

Every file a document names exists in the repository, no document sends the
reader outside it, every ``make`` target it names exists, the contract README
lists every operation, and the README's first request answers.
"""

import json
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [
    ROOT / "README.md",
    ROOT / "frontend_contract" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]
# Paths the service or a command writes at run time, named in the docs.
GENERATED = (
    ".artifacts/",
    ".bench/",
    ".venv/",
    "backups/",
    "db.sqlite3",
    "media",
    "staticfiles",
    "node_modules",
    ".env",
)
PATH_LIKE = re.compile(r"^[\w.\-]+(/[\w.\-]+)*/?$")
SUFFIXES = (".py", ".md", ".toml", ".txt", ".json", ".ini", ".cfg", ".sh", ".vcl")


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def _named_paths(doc: Path) -> set[str]:
    """Code spans that name a file of the tree: a path whose first folder is
    one of the tree's (``cms/graphql/view.py``), or a bare file name with a
    source or config suffix (``pyproject.toml``)."""
    paths = set()
    for span in _code_spans(doc.read_text()):
        span = span.strip().removeprefix("./")
        if not PATH_LIKE.match(span) or span.startswith(GENERATED):
            continue
        head, _, rest = span.partition("/")
        in_tree = (ROOT / head).is_dir() or (doc.parent / head).is_dir()
        if (rest and in_tree) or (not rest and span.endswith(SUFFIXES)):
            paths.add(span)
    return paths


def _exists(doc: Path, path: str) -> bool:
    candidates = [ROOT / path, doc.parent / path]
    if "/" not in path.rstrip("/"):
        # A bare file name: it exists somewhere in the tree.
        candidates += [
            p
            for p in ROOT.rglob(path)
            if ".venv" not in p.parts and "node_modules" not in p.parts
        ]
    return any(c.exists() for c in candidates)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_send_no_reader_outside_the_repository(doc):
    text = doc.read_text()
    assert "../" not in text, f"{doc.name} points outside the repository"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_a_document_names_exists(doc):
    missing = sorted(p for p in _named_paths(doc) if not _exists(doc, p))
    assert missing == []


def test_every_make_target_the_readme_names_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    named = set()
    for doc in DOCS:
        named |= set(re.findall(r"\bmake ([a-z][\w-]*)", doc.read_text()))
    assert sorted(named - targets) == []


def test_contract_readme_lists_every_operation():
    text = (ROOT / "frontend_contract" / "README.md").read_text()
    listed = set(re.findall(r"^\| `(\w+)` \|", text, re.MULTILINE))
    operations = ROOT / "frontend_contract" / "operations"
    files = {p.stem for p in operations.glob("*.graphql")}
    # Operations are CamelCase; the README's error-code table is UPPER_CASE.
    operation_rows = {name for name in listed if not name.isupper()}
    assert operation_rows == files, sorted(operation_rows ^ files)


@pytest.mark.django_db
def test_the_readmes_first_request_answers(client):
    text = (ROOT / "README.md").read_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("Try it: `curl"))
    argv = shlex.split(line.removeprefix("Try it: `").rstrip("`"))
    body = argv[argv.index("-d") + 1]
    response = client.post("/graphql/", body, content_type="application/json")
    assert response.status_code == 200
    assert json.loads(response.content)["data"]["apiVersion"]

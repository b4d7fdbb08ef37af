"""The site renders from the API alone: web/ imports none of the CMS apps.

The same rule as an import-linter "forbidden" contract (see the report in
the commit): source ``web``, forbidden ``cms``, ``content``, ``home``,
``search`` and the libraries that reach the database or the schema.
"""

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[1]
FORBIDDEN = (
    "cms",
    "content",
    "home",
    "search",
    "frontend_contract",
    "wagtail",
    "grapple",
    "graphene",
    "graphene_django",
    "graphql",
    "modelcluster",
    "taggit",
    "django.db",
    "django.contrib.auth",
)


def _called_name(call: ast.Call) -> str:
    func = call.func
    return getattr(func, "id", None) or getattr(func, "attr", "")


def imported_modules(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
            modules.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and _called_name(node) in {
            "__import__",
            "import_module",
        }:
            modules.extend(
                arg.value
                for arg in node.args[:1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return modules


def forbidden_imports(source: str) -> list[str]:
    return sorted(
        {
            module
            for module in imported_modules(source)
            for prefix in FORBIDDEN
            if module == prefix or module.startswith(prefix + ".")
        }
    )


def test_the_check_finds_every_way_of_importing_a_cms_app():
    source = (
        "import cms.preview\n"
        "from content.models import ArticlePage\n"
        "from home import models\n"
        "import importlib\n"
        "importlib.import_module('search.models')\n"
        "__import__('wagtail.models')\n"
        "from django.db import connection\n"
        "from django.http import HttpResponse\n"
        "from web import api\n"
        "from . import views\n"
    )
    assert forbidden_imports(source) == [
        "cms.preview",
        "content.models",
        "content.models.ArticlePage",
        "django.db",
        "django.db.connection",
        "home",
        "home.models",
        "search.models",
        "wagtail.models",
    ]


def test_the_site_imports_nothing_from_the_cms():
    files = sorted(WEB.rglob("*.py"))
    modules = {str(path.relative_to(WEB.parent)) for path in files}
    violations = {
        str(path.relative_to(WEB.parent)): forbidden_imports(path.read_text())
        for path in files
    }

    assert {"web/api.py", "web/views.py", "web/urls.py"} <= modules
    assert {path: found for path, found in violations.items() if found} == {}

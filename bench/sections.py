"""Optional sections of ``make bench``: extra measurements in modules of their
own, run after the main scenarios, stored and summarised by name.

A section is a module named in ``OPTIONAL_SECTIONS`` that exposes:

- ``measure(config) -> dict``: runs its measurement (starting whatever
  servers it needs, and stopping them) and returns a JSON-serialisable dict,
  stored in the results under the section's name (``bench.scale`` ->
  ``results["scale"]``);
- ``markdown(result) -> list[str]``: the lines of its part of the Markdown
  summary (a heading, a table, a sentence);
- optionally ``targets(result) -> dict``: ``{"<name> <goal>": {"value": ...,
  "pass": True | False | None}}``, merged into the targets table.

A module that is not importable (not written yet) is skipped and listed in
``meta.sections_skipped``; one that raises is recorded as ``{"error": ...}``
and the rest of the run goes on.
"""

import importlib
import traceback
from types import ModuleType

from bench.config import log

OPTIONAL_SECTIONS = ["bench.scale", "bench.edge"]


def section_name(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1]


def load(names: list[str] | None = None) -> tuple[dict[str, ModuleType], list[str]]:
    """The importable section modules by name, and the names skipped."""
    found, skipped = {}, []
    for module_name in OPTIONAL_SECTIONS if names is None else names:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            # Only the section itself missing is a skip; a missing dependency
            # inside it is a real error.
            if error.name != module_name:
                raise
            skipped.append(module_name)
            continue
        found[section_name(module_name)] = module
    return found, skipped


def run(modules: dict[str, ModuleType], config) -> dict[str, dict]:
    results = {}
    for name, module in modules.items():
        log(f"Section {name}: {module.__name__}.measure")
        try:
            results[name] = module.measure(config)
        except Exception as error:  # one section must not sink the run
            traceback.print_exc()
            results[name] = {"error": f"{type(error).__name__}: {error}"}
    return results


def markdown(modules: dict[str, ModuleType], results: dict[str, dict]) -> list[str]:
    lines = []
    for name, module in modules.items():
        result = results.get(name)
        if result is None:
            continue
        lines += ["", f"## {name}", ""]
        if "error" in result:
            lines.append(f"The section failed: `{result['error']}`.")
            continue
        lines += list(module.markdown(result))
    return lines


def targets(modules: dict[str, ModuleType], results: dict[str, dict]) -> dict:
    merged = {}
    for name, module in modules.items():
        result = results.get(name)
        if result is None or "error" in result or not hasattr(module, "targets"):
            continue
        for key, value in module.targets(result).items():
            merged[f"{name}: {key}"] = value
    return merged

"""Persisted queries: operation files, Apollo APQ registrations, safelist.

An operation's id is the sha256 hex digest of its text. The registry reads
every ``*.graphql`` file of ``settings.GRAPHQL_OPERATIONS_DIR`` once (one named
operation per file, fragments allowed). Apollo's automatic persisted queries
register further ids in the shared cache, unless ``GRAPHQL_SAFELIST`` is on:
then only registry operations (and ``{ __typename }`` probes) may run.
"""

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

from django.core.cache import caches
from graphql import GraphQLError, OperationDefinitionNode, parse

from cms.graphql.config import graphql_settings

logger = logging.getLogger("cms.graphql")

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
APQ_PREFIX = "gql:apq:"


def sha256_hex(text: str) -> str:
    """An operation's id: the sha256 hex digest of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class OperationFileError(ValueError):
    pass


def check_operation_text(text: str, name: str) -> str:
    """The operation's name; raises ``OperationFileError`` when malformed."""
    try:
        document = parse(text)
    except GraphQLError as error:
        raise OperationFileError(f"{name}: {error.message}") from None
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if len(operations) != 1 or operations[0].name is None:
        raise OperationFileError(f"{name}: expected exactly one named operation")
    return operations[0].name.value


def load_operations(directory: Path) -> tuple[dict[str, str], list[str]]:
    """Map id -> text for every valid file, plus one message per bad file."""
    operations: dict[str, str] = {}
    problems: list[str] = []
    directory = Path(directory)
    if not directory.is_dir():
        return operations, problems
    for path in sorted(directory.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        try:
            check_operation_text(text, path.name)
        except OperationFileError as error:
            problems.append(str(error))
            continue
        operations[sha256_hex(text)] = text
    return operations, problems


@lru_cache(maxsize=1)
def _registry(directory: str) -> dict[str, str]:
    operations, problems = load_operations(Path(directory))
    for problem in problems:
        logger.error("skipping persisted operation file %s", problem)
    return operations


def registry() -> dict[str, str]:
    return _registry(str(graphql_settings().operations_dir))


def reload_registry() -> dict[str, str]:
    _registry.cache_clear()
    return registry()


def safelist_enabled() -> bool:
    return graphql_settings().safelist


def lookup(query_id: str) -> str | None:
    """Text of a persisted operation: the registry first, then APQ."""
    text = registry().get(query_id)
    if text is not None or safelist_enabled():
        return text
    try:
        return caches["default"].get(APQ_PREFIX + query_id)
    except Exception:
        logger.warning("APQ cache read failed", exc_info=True)
        return None


def remember(query_id: str, text: str) -> None:
    """Register an APQ operation once its text hashed and validated cleanly."""
    if query_id in registry():
        return
    try:
        caches["default"].set(
            APQ_PREFIX + query_id, text, timeout=graphql_settings().apq_timeout
        )
    except Exception:
        logger.warning("APQ cache write failed", exc_info=True)

"""The layering reads one way: formats know nothing of tables, backends fetch and never judge."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pytest_schemafed.backends.base import Backend
from pytest_schemafed.backends.unity_catalog import UnityCatalogBackend

PACKAGE = Path(__file__).resolve().parents[2] / "pytest_schemafed"


def _imports(folder: str) -> dict[str, set[str]]:
    """Module -> the package's own modules it imports (absolute, dotted), for every module under ``folder``."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        package = parts[:-1]  # a module and a package's __init__ resolve relative imports alike
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                names.add(".".join((*base, *(node.module.split(".") if node.module else ()))))
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pytest_schemafed"):
                names.add(node.module)
        found[".".join(parts)] = names
    return found


@pytest.mark.parametrize(("folder", "forbidden"), [
    ("formats", ("pytest_schemafed.tables", "pytest_schemafed.backends", "pytest_schemafed.gate")),
    ("backends", ("pytest_schemafed.tables", "pytest_schemafed.engine", "pytest_schemafed.formats")),
])
def test_layering__no_module_imports_upwards(folder: str, forbidden: tuple[str, ...]) -> None:
    """formats/ never imports tables/ (the table rules sit above the formats); backends/ never judge."""
    offenders = {module: sorted(n for n in names if n.startswith(forbidden))
                 for module, names in _imports(folder).items()}
    assert {m: n for m, n in offenders.items() if n} == {}


def test_unity_catalog__fetches_and_leaves_judging_to_the_gate() -> None:
    """The Unity Catalog backend has no judging of its own: the base class's evaluate hands its history to the judge."""
    assert UnityCatalogBackend.evaluate is Backend.evaluate

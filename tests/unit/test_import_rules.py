"""The layers of ``docs/architecture.md`` hold: who may import whom, no cycles, small modules.

Read from the source with ``ast`` (nothing is imported): an import inside a function counts
like one at the top, since it is a dependency all the same.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "veille"
RECORDS = {"model", "ids", "errors", "registry", "config"}  # and the package's own __init__
ROOT_MODULES = RECORDS | {"case"}
MAX_LINES = 500

# Part of veille -> the parts it may import (besides itself and the records layer).
MAY_IMPORT: dict[str, set[str]] = {
    "records": set(),
    "ingest": set(),
    "store": set(),
    "enrich": set(),
    "analyze": {"store"},
    "report": {"analyze"},
    "runs": {"ingest", "store", "enrich", "analyze", "report"},
    "case": {"ingest", "store", "enrich", "analyze", "runs"},
    # The command line calls Case; from the rest it takes only vocabularies and result types
    # (reader names for `readers` and `peek`, option values, what a run returns).
    "cli": {"case", "ingest", "enrich", "runs", "demo", "web"},
    "demo": {"case", "ingest", "analyze", "runs"},
    # The workbench reads the case through the store's read queries (one per page part);
    # its writes (notes) go through the store like every other write.
    "web": {"case", "store"},
}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _part(module: str) -> str:
    """The layer a veille module belongs to: its subpackage, or records / case at the root."""
    parts = module.split(".")
    if len(parts) == 1:
        return "case"  # the package itself hands out Case
    if parts[1] in RECORDS:
        return "records"
    return parts[1]


def test_every_module_imports_only_what_its_layer_may() -> None:
    wrong = []
    for name, path in _modules():
        part = _part(name)
        allowed = MAY_IMPORT[part] | {part, "records"}
        for target in _imports(path):
            if target.startswith("veille.") and _part(target) not in allowed:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_nothing_sits_at_the_package_root_but_the_records_layer_and_case() -> None:
    loose = {path.stem for path in PACKAGE.glob("*.py")} - ROOT_MODULES - {"__init__"}
    assert loose == set()


def test_no_import_cycle() -> None:
    known = dict(_modules())
    graph = {
        name: {target for target in _imports(path) if target in known and target != name}
        for name, path in known.items()
    }
    # A package's __init__ may import its own modules (a registry lists them as strings, but
    # re-exports are common): only cycles through two different modules count.
    done: set[str] = set()
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in stack:
            return [*stack[stack.index(module) :], module]
        if module in done:
            return None
        stack.append(module)
        for target in sorted(graph[module]):
            if module.startswith(target + ".") and target != module:
                continue  # a module importing its own package's __init__
            cycle = visit(target)
            if cycle:
                return cycle
        stack.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        assert cycle is None, " -> ".join(cycle)


@pytest.mark.parametrize(("name", "path"), list(_modules()), ids=lambda value: str(value))
def test_no_module_is_over_500_lines(name: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it along a seam"

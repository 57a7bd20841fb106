"""The layers go one way (docs/architecture.md): processing <- corpus <- crawlers.

Every import statement of every module counts, at the top or inside a function: a lazy import
is still a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# A package may import only packages of its own rank or lower.
RANK = {"processing": 0, "corpus": 1, "crawlers": 2}
# Third-party packages a layer must never import.
FORBIDDEN = {
    "processing": {"scrapy", "twisted", "sqlite_utils", "sqlite3", "datasette", "redis", "click"},
    "corpus": {"scrapy", "twisted", "scrapy_redis"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every module name an import statement of module ``name`` (in ``path``) names, relative
    imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(p): p for pkg in RANK for p in (ROOT / pkg).rglob("*.py")}


@cache
def project_edges() -> dict[str, set[str]]:
    """Module -> the project modules it imports (a name like ``pkg.mod.func`` maps to
    ``pkg.mod``)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in MODULES.items():
        for target in imports_of(path, name):
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                edges[name].add(target)
    return edges


def test_the_layers_are_the_documented_ones():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "processing ← corpus ← crawlers" in doc


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_against_the_direction(module):
    layer = module.split(".")[0]
    wrong = sorted(t for t in project_edges()[module] if RANK[t.split(".")[0]] > RANK[layer])
    assert not wrong, f"{module} ({layer}) imports a higher layer: {wrong}"
    banned = sorted(
        t
        for t in imports_of(MODULES[module], module)
        if t.split(".")[0] in FORBIDDEN.get(layer, ())
    )
    assert not banned, f"{module} ({layer}) imports {banned}"


def test_no_import_cycles():
    edges = project_edges()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from .store import Store\n    import scrapy\n")
    assert {"corpus.store", "corpus.store.Store", "scrapy"} <= imports_of(sample, "corpus.sample")

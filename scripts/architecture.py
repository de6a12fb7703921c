"""Counts what the import contract forbids: imports that point up the layer order and
import cycles between modules. The layer order is read from pyproject.toml (the same list
import-linter checks), so the count and the contract cannot disagree.

    .venv/bin/python scripts/architecture.py          # summary
    .venv/bin/python scripts/architecture.py -v       # every upward import and cycle
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def layer_order() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    return list(reversed(layers))  # lowest first


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def upward_imports(graph: grimp.ImportGraph, order: list[str]) -> list[tuple[str, str]]:
    rank = {app: i for i, app in enumerate(order)}
    found = []
    for importer in sorted(graph.modules):
        low = rank.get(app_of(importer) or "")
        if low is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            high = rank.get(app_of(imported) or "")
            if high is not None and high > low:
                found.append((importer, imported))
    return found


def module_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m.startswith("lantern"))
    edges = {m: sorted(n for n in graph.find_modules_directly_imported_by(m) if n.startswith("lantern"))
             for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in modules:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for j in range(i, len(edges[node])):
                nxt = edges[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return components


def main() -> int:
    verbose = "-v" in sys.argv
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("lantern")
    order = layer_order()
    up = upward_imports(graph, order)
    cycles = module_cycles(graph)
    print(f"layers (lowest first): {' < '.join(order)}")
    print(f"upward imports: {len(up)}")
    if verbose:
        for importer, imported in up:
            print(f"  {importer} -> {imported}")
    print(f"module cycles: {len(cycles)}")
    if verbose:
        for component in cycles:
            print("  " + " <-> ".join(component))
    return 1 if up or cycles else 0


if __name__ == "__main__":
    raise SystemExit(main())

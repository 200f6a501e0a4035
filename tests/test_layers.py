"""The package's import graph: no cycles, and dependencies that point one way.

``cli`` → public API (``_api``) → ``_render``, ``_compute`` → ``schema`` → ``errors``: the schema knows
nothing of computing or rendering, compute never imports render, render takes results and never
computes, and nothing below the command line imports it.  The graph is read from the source with
:mod:`ast` (relative and absolute imports, at module level, inside functions and under
``TYPE_CHECKING``), so an import a test run happens not to execute still counts.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src"


def module_names(src: Path, package: str) -> dict[str, tuple[Path, bool]]:
    """Every module of ``package`` under ``src``: dotted name → (file, is a package ``__init__``)."""
    out: dict[str, tuple[Path, bool]] = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, is_package)
    return out


def import_graph(src: Path, package: str) -> dict[str, set[str]]:
    """Module → the modules of ``package`` it imports (a name imported from a package counts as
    the submodule when there is one by that name, else as the package)."""
    modules = module_names(src, package)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        here = name if is_package else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
            else:
                continue
            deps |= {t for t in map(known, (t for t in targets if t.split(".")[0] == package)) if t}
        deps.discard(name)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as a path
    ``a → b → … → a`` through the cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(_path_through(graph, component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _path_through(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A cycle inside ``component``, from its first module back to it (breadth-first)."""
    start = min(component)
    came_from: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & component):
            if w == start:
                path: list[str] = [v]
                while (before := came_from[path[-1]]) is not None:
                    path.append(before)
                return [*reversed(path), start]
            if w not in came_from:
                came_from[w] = v
                queue.append(w)
    return sorted(component)  # pragma: no cover - a component always holds a cycle


def _in(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports that point the wrong way between layers."""
    rules = [
        # (who, must not import, why)
        (lambda m: not _in(m, "cardwright.cli", "cardwright.__main__"), ("cardwright.cli",),
         "nothing below the command line imports it"),
        (lambda m: _in(m, "cardwright.schema"), ("cardwright._compute", "cardwright._render", "cardwright.cli"),
         "the schema knows nothing of computing or rendering"),
        (lambda m: _in(m, "cardwright._compute"), ("cardwright._render",), "compute never imports render"),
        (lambda m: _in(m, "cardwright._render"), ("cardwright._compute",), "render takes results and never computes"),
        (lambda m: _in(m, "cardwright.errors", "cardwright._io", "cardwright._version", "cardwright.config",
                       "cardwright.validation", "cardwright.policy", "cardwright.report"),
         ("cardwright._render",), "the core never imports rendering"),
    ]
    out = []
    for module, deps in sorted(graph.items()):
        for applies, forbidden, why in rules:
            if applies(module):
                out += [f"{module} imports {d}: {why}" for d in sorted(deps) if _in(d, *forbidden)]
    return out


def test_the_package_has_no_import_cycles():
    graph = import_graph(SRC, "cardwright")
    assert len(graph) > 50 and graph["cardwright._api"], "the graph was not read"
    assert cycles(graph) == [], "\n".join(" → ".join(c) for c in cycles(graph))


def test_imports_point_one_way_between_layers():
    assert violations(import_graph(SRC, "cardwright")) == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    """The checks above see what they claim to: a cycle closed by an import inside a function,
    by an absolute import, and by ``from . import module``."""
    src = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from .b import thing\n",
        "b.py": "def thing():\n    from pkg.sub.c import other\n    return other\n",
        "sub/__init__.py": "",
        "sub/c.py": "from .. import a\n\nother = 1\n",
        "d.py": "import pkg.sub.c\n",
    })
    graph = import_graph(src, "pkg")
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.sub.c"}
    assert graph["pkg.sub.c"] == {"pkg.a"} and graph["pkg.d"] == {"pkg.sub.c"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]


def test_a_wrong_way_import_is_reported():
    graph = {
        "cardwright.schema.x": {"cardwright._render.view", "cardwright.errors"},
        "cardwright._compute.api": {"cardwright._render.json"},
        "cardwright._render.api": {"cardwright._compute.api"},
        "cardwright.workflows.site": {"cardwright.cli._app"},
        "cardwright.__main__": {"cardwright.cli"},
        "cardwright.cli._app": {"cardwright.cli._card_commands"},
    }
    assert violations(graph) == [
        "cardwright._compute.api imports cardwright._render.json: compute never imports render",
        "cardwright._render.api imports cardwright._compute.api: render takes results and never computes",
        "cardwright.schema.x imports cardwright._render.view: the schema knows nothing of computing or rendering",
        "cardwright.workflows.site imports cardwright.cli._app: nothing below the command line imports it",
    ]

"""The app's modules import each other one way: no circle, lazy imports included.

Every `import` in a module counts, wherever it stands (top level, inside a function, under
TYPE_CHECKING): a lazy import only hides a circle until the day someone moves it up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import musterm

PACKAGE = Path(musterm.__file__).resolve().parent


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, name: str, known: set[str]) -> set[str]:
    """The modules of `known` that the module `name` imports anywhere in `source`."""
    found: set[str] = set()
    package = name if name in {k.rsplit(".", 1)[0] for k in known if k.startswith(name + ".")} else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from a.b import c` imports the module a.b.c when there is one, else a name of a.b.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    known = set(sources)
    return {name: imported_modules(source, name, known) for name, source in sources.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def app_sources() -> dict[str, str]:
    return {module_name(path): path.read_text(encoding="utf-8") for path in sorted((PACKAGE / "app").rglob("*.py"))}


def test_the_app_has_no_import_circle() -> None:
    graph = import_graph(app_sources())
    assert len(graph) > 20, "the app's modules were found"
    assert circles(graph) == []


def test_the_graph_sees_lazy_and_relative_imports_and_reports_their_circle() -> None:
    """The check itself: a circle made only by a lazy import, or by a relative one, is found."""
    sources = {
        "musterm.app": "",
        "musterm.app.screen": "from musterm.app.widget import Widget\n",
        "musterm.app.widget": "def post():\n    from musterm.app.screen import Changed\n",
        "musterm.app.tabs": "",
        "musterm.app.tabs.one": "from . import two\n",
        "musterm.app.tabs.two": "if TYPE_CHECKING:\n    from .one import Tab\n",
        "musterm.app.alone": "import musterm.app.screen\n",
    }
    graph = import_graph(sources)
    assert graph["musterm.app.tabs.one"] == {"musterm.app.tabs.two"}
    assert circles(graph) == [
        ["musterm.app.screen", "musterm.app.widget"],
        ["musterm.app.tabs.one", "musterm.app.tabs.two"],
    ]

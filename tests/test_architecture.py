"""The module graph of the package: no import cycles, and dependencies point one way.

The source is parsed with :mod:`ast`, nothing is imported. Every import of a module of
the package counts, at module level or inside a function, except those under
``if TYPE_CHECKING:`` (the ``else:`` branch of that test does run, so it counts). An
import is resolved to a module of the package:

- ``import asteroid_spectra.a.b`` and ``from asteroid_spectra.a.b import name`` import
  ``asteroid_spectra.a.b`` (a package stands for its ``__init__``);
- ``from asteroid_spectra.a import b``, where ``b`` is a submodule, imports that submodule;
- ``from asteroid_spectra.a import name``, where the ``__init__`` of ``a`` attaches
  ``name`` lazily (``lazy_loader.attach(__name__, submod_attrs={"b": ["name"]})``),
  imports ``asteroid_spectra.a.b``, the module that runs when the name is first used;
- a lazy ``__init__`` itself imports every module it attaches (on attribute access).

The parent packages that Python imports on the way are not counted: they are lazy.

Layers (STYLE.md: ``schema/exceptions/config → data → spectra → models, cluster,
catalog → cli, api, viewer, report``): a module may import modules of its own layer or of
lower layers. The root ``__init__`` is the package's façade, above every layer: it may
import anything and nothing may import it.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

PACKAGE = "asteroid_spectra"
SRC = Path(__file__).resolve().parents[1] / "src"

LAYERS: Mapping[str, int] = {
    # 0: top-level modules
    "schema": 0,
    "exceptions": 0,
    "config": 0,
    "_version": 0,
    "extras": 0,
    "data": 1,
    "spectra": 2,
    "models": 3,
    "cluster": 3,
    "catalog": 3,
    "plotting": 3,
    "cli": 4,
    "api": 4,
    "viewer": 4,
    "report": 4,
}
"""Layer of each top-level module or subpackage (by its first name under the package)."""


# --- the walker ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Import:
    """One import of a module of the package by another."""

    importer: str
    imported: str
    path: Path
    line: int

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line}"


@dataclass(frozen=True)
class Unresolved:
    """An import of a name of the package that is no module of it."""

    importer: str
    target: str
    path: Path
    line: int


@dataclass(frozen=True)
class Graph:
    """The modules of a package (name to file), their imports, and unresolved imports."""

    root: Path
    package: str
    shown_from: Path
    modules: Mapping[str, Path]
    imports: tuple[Import, ...]
    unresolved: tuple[Unresolved, ...]


def find_modules(root: Path, package: str) -> dict[str, Path]:
    """Map module names (a package by its own name) to files, for the package under root."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _lazy_attrs(call: ast.Call) -> dict[str, list[str]] | None:
    """``submod_attrs`` of a ``lazy_loader.attach(...)`` call (literal dict), else None."""
    func = call.func
    attach = (
        isinstance(func, ast.Attribute)
        and func.attr == "attach"
        and isinstance(func.value, ast.Name)
        and func.value.id in {"lazy_loader", "lazy"}
    ) or (isinstance(func, ast.Name) and func.id == "attach")
    if not attach:
        return None
    attrs: dict[str, list[str]] = {}
    values = [k.value for k in call.keywords if k.arg == "submod_attrs"] + call.args[2:3]
    submodules = [k.value for k in call.keywords if k.arg == "submodules"] + call.args[1:2]
    for value in values:
        if isinstance(value, ast.Dict):
            for key, names in zip(value.keys, value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(names, ast.List | ast.Tuple):
                    attrs[key.value] = [n.value for n in names.elts if isinstance(n, ast.Constant)]
    for value in submodules:
        if isinstance(value, ast.List | ast.Tuple | ast.Set):
            for item in value.elts:
                if isinstance(item, ast.Constant):
                    attrs.setdefault(item.value, [])
    return attrs


class _Collector(ast.NodeVisitor):
    """Raw imports of a module: (target module name, imported names or None, line)."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.base = module if is_package else module.rpartition(".")[0]
        self.found: list[tuple[str, list[str] | None, int]] = []
        self.lazy: dict[str, list[str]] = {}

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:  # the else branch runs
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, None, node.lineno))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            parts = self.base.split(".")
            parts = parts[: len(parts) - node.level + 1]
            target = ".".join([*parts, node.module] if node.module else parts)
        else:
            target = node.module or ""
        self.found.append((target, [alias.name for alias in node.names], node.lineno))

    def visit_Call(self, node: ast.Call) -> None:
        lazy = _lazy_attrs(node)
        if lazy is not None:
            self.lazy.update(lazy)
            for submodule in lazy:
                self.found.append((f"{self.base}.{submodule}", None, node.lineno))
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            self.found.append((node.args[0].value, None, node.lineno))
        self.generic_visit(node)


def build_graph(root: Path, package: str, shown_from: Path | None = None) -> Graph:
    """Parse every module of `package` under `root` and resolve its imports of the package.

    File names in the reports are relative to `shown_from` (default `root`).
    """
    modules = find_modules(root, package)
    namespaces = {  # folders without an __init__ (models/): nothing runs on their import
        ".".join(path.relative_to(root).parts)
        for path in (root / package).rglob("*")
        if path.is_dir() and path.name != "__pycache__" and not (path / "__init__.py").exists()
    }
    collected = {}
    for name, path in modules.items():
        collector = _Collector(name, path.name == "__init__.py")
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        collected[name] = collector
    imports: list[Import] = []
    unresolved: list[Unresolved] = []
    for name, collector in collected.items():
        path = modules[name]
        for target, names, line in collector.found:
            if target != package and not target.startswith(package + "."):
                continue
            for imported in _resolve(target, names, modules, collected, namespaces):
                if imported is None:
                    unresolved.append(Unresolved(name, target, path, line))
                elif imported != name:
                    imports.append(Import(name, imported, path, line))
    return Graph(root, package, shown_from or root, modules, tuple(imports), tuple(unresolved))


def _resolve(
    target: str,
    names: list[str] | None,
    modules: Mapping[str, Path],
    collected: Mapping[str, _Collector],
    namespaces: set[str],
) -> list[str | None]:
    """The modules an import runs (None for one that does not exist)."""
    if names is None:  # import a.b.c: the module a.b.c
        if target in namespaces:
            return []
        return [target if target in modules else None]
    resolved: list[str | None] = []
    lazy = collected[target].lazy if target in collected else {}
    owner = {attr: sub for sub, attrs in lazy.items() for attr in attrs}
    for attr in names:
        if f"{target}.{attr}" in modules:  # a submodule
            resolved.append(f"{target}.{attr}")
        elif attr in owner and f"{target}.{owner[attr]}" in modules:  # lazily attached
            resolved.append(f"{target}.{owner[attr]}")
        else:  # a name defined by the module (or the package __init__) itself
            resolved.append(target if target in modules else None)
    return list(dict.fromkeys(resolved))


# --- the checks ----------------------------------------------------------------------------
def _strongly_connected(edges: Mapping[str, set[str]]) -> Iterator[list[str]]:
    """Tarjan's strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for after in sorted(edges.get(node, ())):
            if after not in index:
                yield from visit(after)
                low[node] = min(low[node], low[after])
            elif after in on_stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            yield sorted(component)

    for node in sorted(edges):
        if node not in index:
            yield from visit(node)


def find_cycles(graph: Graph) -> list[str]:
    """One readable shortest cycle per strongly connected component of the import graph."""
    edges: dict[str, set[str]] = {}
    first: dict[tuple[str, str], Import] = {}
    for item in graph.imports:
        edges.setdefault(item.importer, set()).add(item.imported)
        first.setdefault((item.importer, item.imported), item)
    reports = []
    for component in _strongly_connected(edges):
        if len(component) < 2:
            continue
        members = set(component)
        start = component[0]
        parent: dict[str, str | None] = {start: None}
        queue = deque([start])
        end = None
        while queue and end is None:  # breadth-first: the shortest way back to start
            node = queue.popleft()
            for after in sorted(edges[node] & members):
                if after == start:
                    end = node
                    break
                if after not in parent:
                    parent[after] = node
                    queue.append(after)
        chain: list[str] = []
        step: str | None = end
        while step is not None:
            chain.append(step)
            step = parent[step]
        chain = [*reversed(chain), start]
        steps = [f"{a} ({first[(a, b)].where(graph.shown_from)}) -> " for a, b in pairwise(chain)]
        cycle = "".join(steps) + chain[-1]
        reports.append(
            f"import cycle among {len(component)} modules ({', '.join(component)}): {cycle}"
        )
    return reports


def layer_of(module: str, package: str, layers: Mapping[str, int]) -> int | None:
    """Layer of a module; the root ``__init__`` is above all of them; None if in no layer."""
    if module == package:
        return max(layers.values()) + 1
    return layers.get(module.split(".")[1])


def _label(module: str, package: str, layer: int) -> str:
    return "the root __init__, above every layer" if module == package else f"layer {layer}"


def layer_violations(graph: Graph, layers: Mapping[str, int]) -> list[str]:
    """Imports of a higher layer, modules in no layer, and imports of modules in no layer."""
    reports = []
    package = graph.package
    unplaced = sorted(
        {m.split(".")[1] for m in graph.modules if layer_of(m, package, layers) is None}
    )  # (the root __init__ has a layer)
    for name in unplaced:
        reports.append(f"{package}.{name} is in no layer: add it to LAYERS or move its modules")
    for item in graph.imports:
        own = layer_of(item.importer, package, layers)
        other = layer_of(item.imported, package, layers)
        if own is None:
            continue  # reported above, as a whole
        source = f"{item.where(graph.shown_from)}: {item.importer}"
        if other is None:
            reports.append(
                f"{source} ({_label(item.importer, package, own)}) imports {item.imported}, "
                "which is in no layer"
            )
        elif other > own:
            reports.append(
                f"{source} ({_label(item.importer, package, own)}) imports {item.imported} "
                f"({_label(item.imported, package, other)})"
            )
    return reports


def unresolved_imports(graph: Graph) -> list[str]:
    return [
        f"{item.path.relative_to(graph.shown_from)}:{item.line}: {item.importer} imports "
        f"{item.target}, which is no module of the package"
        for item in graph.unresolved
    ]


# --- the package ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(SRC, PACKAGE, shown_from=SRC.parent)


def test_the_walker_sees_the_package(graph: Graph) -> None:
    # Guards against a walker that silently finds nothing (and so never fails).
    assert f"{PACKAGE}.spectra.spectrum" in graph.modules
    assert (
        Import(
            f"{PACKAGE}.spectra.io",
            f"{PACKAGE}.spectra.spectrum",
            SRC / PACKAGE / "spectra" / "io.py",
            next(
                number
                for number, text in enumerate(
                    (SRC / PACKAGE / "spectra" / "io.py").read_text(encoding="utf-8").splitlines(),
                    1,
                )
                if text.startswith("from asteroid_spectra.spectra.spectrum import")
            ),
        )
        in graph.imports
    )


def test_no_import_cycles(graph: Graph) -> None:
    cycles = find_cycles(graph)
    if cycles:
        pytest.fail("\n".join(cycles), pytrace=False)


def test_imports_follow_the_layers(graph: Graph) -> None:
    violations = layer_violations(graph, LAYERS)
    if violations:
        pytest.fail("\n".join(violations), pytrace=False)


def test_every_import_of_the_package_resolves(graph: Graph) -> None:
    missing = unresolved_imports(graph)
    if missing:
        pytest.fail("\n".join(missing), pytrace=False)


# --- the walker on a synthetic package ------------------------------------------------------
def write_package(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


TOY_LAYERS = {"low": 0, "high": 1, "lazy": 1, "space": 1}


def test_walker_finds_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "toy/__init__.py": "",
            "toy/low.py": "from toy import high\n",
            "toy/high.py": "def f():\n    import toy.lazy.part\n",
            "toy/lazy/__init__.py": "",
            "toy/lazy/part.py": "x = 1\n\n\ndef g():\n    from toy.low import y\n",
        },
    )
    graph = build_graph(tmp_path, "toy")
    assert find_cycles(graph) == [
        "import cycle among 3 modules (toy.high, toy.lazy.part, toy.low): "
        "toy.high (toy/high.py:2) -> toy.lazy.part (toy/lazy/part.py:5) -> "
        "toy.low (toy/low.py:1) -> toy.high"
    ]


def test_walker_finds_a_layer_violation_and_ignores_type_checking(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "toy/__init__.py": "",
            "toy/high.py": "class X: ...\n",
            "toy/low.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from toy.high import X\n"
                "def f():\n"
                "    from toy import high\n"
            ),
            "toy/other.py": (
                "import typing\n"
                "if typing.TYPE_CHECKING:\n"
                "    import toy.high\n"
                "else:\n"
                "    import toy.low\n"
            ),
        },
    )
    graph = build_graph(tmp_path, "toy")
    assert layer_violations(graph, TOY_LAYERS) == [
        "toy.other is in no layer: add it to LAYERS or move its modules",
        "toy/low.py:5: toy.low (layer 0) imports toy.high (layer 1)",
    ]
    assert {(i.importer, i.imported) for i in graph.imports} == {
        ("toy.low", "toy.high"),
        ("toy.other", "toy.low"),
    }
    assert find_cycles(graph) == []


def test_walker_follows_lazy_loader_and_relative_imports(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "toy/__init__.py": "",
            "toy/low.py": "from .lazy import thing\nfrom . import high\nfrom toy import missing\n",
            "toy/high.py": "",
            "toy/lazy/__init__.py": (
                "import lazy_loader\n"
                "__getattr__, __dir__, __all__ = lazy_loader.attach(\n"
                "    __name__, submod_attrs={'part': ['thing']}\n"
                ")\n"
            ),
            "toy/lazy/part.py": "thing = 1\n",
            "toy/space/mod.py": "import toy.space\nfrom toy.space import mod\n",
        },
    )
    graph = build_graph(tmp_path, "toy")
    assert {(i.importer, i.imported, i.line) for i in graph.imports} == {
        ("toy.low", "toy.lazy.part", 1),
        ("toy.low", "toy.high", 2),
        ("toy.low", "toy", 3),
        ("toy.lazy", "toy.lazy.part", 2),
    }  # toy.space (no __init__) runs nothing; toy.space.mod importing itself is no edge
    assert layer_violations(graph, TOY_LAYERS) == [
        "toy/low.py:1: toy.low (layer 0) imports toy.lazy.part (layer 1)",
        "toy/low.py:2: toy.low (layer 0) imports toy.high (layer 1)",
        "toy/low.py:3: toy.low (layer 0) imports toy (the root __init__, above every layer)",
    ]
    assert unresolved_imports(build_graph(tmp_path, "toy")) == []
    (tmp_path / "toy" / "high.py").write_text("import toy.gone\n", encoding="utf-8")
    assert unresolved_imports(build_graph(tmp_path, "toy")) == [
        "toy/high.py:1: toy.high imports toy.gone, which is no module of the package"
    ]

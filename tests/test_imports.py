"""Importing does nothing: the package ``__init__``s are lazy (``lazy_loader.attach``).

Each check of what an import loads runs in a fresh interpreter, since this one has already
imported everything.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

LAZY_PACKAGES = (
    "asteroid_spectra",
    "asteroid_spectra.api",
    "asteroid_spectra.catalog",
    "asteroid_spectra.cluster",
    "asteroid_spectra.data",
    "asteroid_spectra.plotting",
    "asteroid_spectra.report",
    "asteroid_spectra.spectra",
)


def loaded_after(statement: str) -> list[str]:
    """The modules a fresh interpreter has loaded after running `statement`."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stdout.splitlines()[-1])
    return modules


def top_level(modules: list[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


def test_units_do_not_import_sklearn() -> None:
    modules = loaded_after("import asteroid_spectra.spectra.units")
    assert "asteroid_spectra.spectra.units" in modules
    assert "sklearn" not in top_level(modules)


def test_cluster_does_not_import_torch() -> None:
    modules = loaded_after("import asteroid_spectra.cluster")
    assert "asteroid_spectra.cluster" in modules
    assert "torch" not in top_level(modules)


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_importing_a_package_loads_none_of_its_modules(package: str) -> None:
    parents = {".".join(package.split(".")[: i + 1]) for i in range(package.count(".") + 1)}
    loaded = {name for name in loaded_after(f"import {package}") if name.startswith("asteroid_")}
    assert loaded == parents


def attached(package: str) -> dict[str, str]:
    """Name -> module of the ``lazy_loader.attach`` call of a package's ``__init__``."""
    tree = ast.parse(_init_path(package).read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "attach"
    ]
    assert len(calls) == 1, f"{package}: expected one lazy_loader.attach call"
    (mapping,) = [k.value for k in calls[0].keywords if k.arg == "submod_attrs"]
    assert isinstance(mapping, ast.Dict)
    names = {}
    for keyword in calls[0].keywords:  # submodules=[...]: the subpackage itself
        if keyword.arg == "submodules":
            assert isinstance(keyword.value, ast.List)
            for value in keyword.value.elts:
                assert isinstance(value, ast.Constant)
                names[value.value] = f"{package}.{value.value}"
    for key, values in zip(mapping.keys, mapping.values, strict=True):
        assert isinstance(key, ast.Constant)
        assert isinstance(values, ast.List)
        for value in values.elts:
            assert isinstance(value, ast.Constant)
            names[value.value] = f"{package}.{key.value}"
    return names


def type_checking_imports(package: str) -> dict[str, str]:
    """Name -> module of the ``if TYPE_CHECKING:`` imports of a package's ``__init__``."""
    tree = ast.parse(_init_path(package).read_text(encoding="utf-8"))
    names = {}
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                for alias in statement.names:
                    # `import x as x` marks an explicit re-export for mypy.
                    assert alias.asname == alias.name, f"{package}: {alias.name} needs 'as'"
                    module = str(statement.module)
                    if (SRC.joinpath(*module.split("."), alias.name)).is_dir():  # a subpackage
                        module = f"{module}.{alias.name}"
                    names[alias.name] = module
    return names


def _init_path(package: str) -> Path:
    return SRC.joinpath(*package.split("."), "__init__.py")


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_type_checking_imports_match_the_lazy_names(package: str) -> None:
    # What mypy and readers see is what the package gives at run time.
    assert type_checking_imports(package) == attached(package)


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_exported_name_resolves(package: str) -> None:
    if package == "asteroid_spectra.api":
        pytest.importorskip("fastapi")
    module = importlib.import_module(package)
    names = attached(package)
    assert sorted(module.__all__) == sorted(names)
    assert sorted(dir(module)) == sorted(names)
    subpackages = {n for n in names if SRC.joinpath(*package.split("."), n).is_dir()}
    for name, source in names.items():
        if name in subpackages:  # attached as a submodule (asp.spectra)
            assert getattr(module, name) is importlib.import_module(source), name
            continue
        assert getattr(module, name) is getattr(importlib.import_module(source), name), name
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = module.no_such_name


def test_version_comes_from_the_version_module() -> None:
    import asteroid_spectra
    from asteroid_spectra import _version

    assert asteroid_spectra.__version__ == _version.__version__


def test_a_function_named_like_its_module_stays_the_function() -> None:
    # data.fetch is both a module and the function it defines: importing the module first
    # must not turn the package attribute into the module (lazy_loader >= 0.6 guards it).
    statement = (
        "import asteroid_spectra.data.fetch\n"
        'module = sys.modules["asteroid_spectra.data.fetch"]\n'
        "import asteroid_spectra.data as data\n"
        "from asteroid_spectra.data import fetch\n"
        "assert data.fetch is module.fetch is fetch, type(data.fetch)\n"
    )
    assert "asteroid_spectra.data.fetch" in loaded_after(statement)

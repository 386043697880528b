"""The layer rules of DESIGN.md §1, checked over the real import graph."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _package_of(path: Path) -> list[str]:
    """The dotted package a module's relative imports start from."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1]  # for a package's __init__, that is the package itself


def _imports(path: Path) -> set[str]:
    return _imported_by(path.read_text(encoding="utf-8"), _package_of(path))


def _imported_by(source: str, package: list[str]) -> set[str]:
    """Every module the source imports, its relative imports resolved from ``package``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - (node.level - 1)])
            if node.module:
                names.add(f"{base}.{node.module}")
            else:  # from . import x: each x may be a module
                names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


FORBIDDEN: dict[str, tuple[str, ...]] = {
    "counter_app/domain": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "counter_app.db",
        "counter_app.services",
        "counter_app.ui",
        "drivers",
        "escpos",
        "serial",
    ),
    "counter_app/db": ("PySide6", "counter_app.services", "counter_app.ui", "drivers"),
    "counter_app/services": ("PySide6", "counter_app.ui", "drivers", "escpos", "serial"),
    "counter_app/cli": ("PySide6", "sqlalchemy", "alembic", "counter_app.db"),
    "counter_app/ui": ("sqlalchemy", "alembic", "counter_app.db", "counter_app.cli"),
    "drivers": (
        "PySide6",
        "sqlalchemy",
        "counter_app.db",
        "counter_app.services",
        "counter_app.ui",
    ),
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_is_below_it(package: str) -> None:
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(package)
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package])
    ]
    assert bad == []


def test_qt_is_imported_only_under_ui() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("counter_app", "drivers")
        for path in _modules(package)
        if "counter_app/ui" not in str(path)
        and any(n.startswith("PySide6") for n in _imports(path))
    ]
    assert offenders == []
    ui = [
        p for p in _modules("counter_app/ui") if any(n.startswith("PySide6") for n in _imports(p))
    ]
    assert len(ui) >= 5  # the check sees the imports it guards against


def test_relative_imports_are_resolved_to_the_modules_they_name() -> None:
    source = "from . import money\nfrom ..db.models import Account\nfrom .. import cli\n"
    module = _package_of(ROOT / "counter_app" / "ui" / "screens" / "lookup.py")
    assert _imported_by(source, module) == {
        "counter_app.ui.screens.money",
        "counter_app.ui.db.models",
        "counter_app.ui.cli",
    }
    package = _package_of(ROOT / "counter_app" / "services" / "__init__.py")
    assert _imported_by(source, package) == {
        "counter_app.services.money",
        "counter_app.db.models",
        "counter_app.cli",
    }

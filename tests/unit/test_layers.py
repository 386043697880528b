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


# The device backends and simulators, and the libraries they wrap: only app.py builds them.
DEVICE_BACKENDS = (
    "drivers.printer",
    "drivers.printer_links",
    "drivers.drawer",
    "drivers.sim",
    "escpos",
    "serial",
)

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "counter_app/domain": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "counter_app.db",
        "counter_app.services",
        "counter_app.ui",
        "counter_app.reports",
        "drivers",
        "escpos",
        "serial",
        "reportlab",
    ),
    "counter_app/db": ("PySide6", "counter_app.services", "counter_app.ui", "drivers"),
    "counter_app/services": ("PySide6", "counter_app.ui", "drivers", "escpos", "serial"),
    "counter_app/cli": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "counter_app.db",
        *DEVICE_BACKENDS,  # the CLI gets its devices from app.py
    ),
    "counter_app/ui": (
        "sqlalchemy",
        "alembic",
        "counter_app.db",
        "counter_app.cli",
        "counter_app.config",  # settings reach devices through app.py, not the screen
        *DEVICE_BACKENDS,
    ),
    "counter_app/printing": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "counter_app.db",
        "counter_app.services",
        "counter_app.ui",
        "counter_app.cli",
        "counter_app.config",
        *DEVICE_BACKENDS,
    ),
    "counter_app/reports": (  # PDFs from the domain's values: no storage, devices or settings
        "PySide6",
        "sqlalchemy",
        "alembic",
        "counter_app.db",
        "counter_app.services",
        "counter_app.ui",
        "counter_app.cli",
        "counter_app.config",
        "counter_app.printing",
        "drivers",
    ),
    "drivers": (
        "PySide6",
        "sqlalchemy",
        "counter_app.config",
        "counter_app.app",
        "counter_app.db",
        "counter_app.services",
        "counter_app.printing",
        "counter_app.reports",
        "counter_app.ui",
        "counter_app.cli",
    ),
}

# Where a layer may use another package at all, it may use only these of its modules.
ONLY_THROUGH: dict[tuple[str, str], tuple[str, ...]] = {
    ("counter_app/ui", "drivers"): ("drivers.errors",),
    ("counter_app/ui", "counter_app.printing"): ("counter_app.printing.interfaces",),
    ("counter_app/printing", "drivers"): ("drivers.paper", "drivers.interfaces"),
    ("drivers", "counter_app"): ("counter_app.domain.errors",),  # CounterError, the base
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


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize(("layer", "other"), sorted(ONLY_THROUGH))
def test_a_layer_uses_another_package_only_through_the_modules_named_for_it(
    layer: str, other: str
) -> None:
    allowed = ONLY_THROUGH[layer, other]
    used = {(path, name) for path in _modules(layer) for name in _imports(path)}
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path, name in used
        if _within(name, other) and not any(_within(name, a) for a in allowed)
    ]
    assert bad == []
    assert any(_within(name, other) for _path, name in used)  # the check sees real imports


def test_drivers_take_from_counter_only_the_error_base_and_only_in_errors_py() -> None:
    takers = {
        str(path.relative_to(ROOT))
        for path in _modules("drivers")
        if any(_within(n, "counter_app") for n in _imports(path))
    }
    assert takers == {"drivers/errors.py"}


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

"""drivers/ imports no Qt, no SQLAlchemy, and from Counter only the error base class."""

from __future__ import annotations

import ast
from pathlib import Path

import drivers

ALLOWED_COUNTER = ("counter_app.domain.errors",)
FORBIDDEN = ("PySide6", "shiboken6", "sqlalchemy", "alembic")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_drivers_import_only_the_error_base_from_counter_and_never_qt_or_sqlalchemy():
    root = Path(drivers.__file__).parent
    files = sorted(root.rglob("*.py"))
    assert len(files) > 10
    bad = {
        f"{path.relative_to(root)}: {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
        or (name.startswith("counter_app") and not name.startswith(ALLOWED_COUNTER))
    }
    assert bad == set()

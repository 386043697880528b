"""The counter screen is assembled from parts: widgets own pixels, controllers own flows."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "counter_app" / "ui"


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(UI.rglob("*.py"))}


def test_no_mixin_class_is_left_in_the_ui() -> None:
    mixins = [
        f"{path.relative_to(UI)}:{node.name}"
        for path, tree in _trees().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name.endswith("Mixin")
    ]
    assert mixins == []


def test_no_ui_code_finds_a_method_by_its_name() -> None:
    by_name = [
        f"{path.relative_to(UI)}:{node.lineno}"
        for path, tree in _trees().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "setattr"}
    ]
    assert by_name == []


def test_widgets_call_no_use_case_that_writes() -> None:
    """Widgets may read (the header its totals); only controllers and dialogs write."""
    writers = [
        f"{path.relative_to(UI)}:{node.lineno}"
        for path, tree in _trees().items()
        if path.parent.name == "widgets"
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "WriteOp"
    ]
    assert writers == []

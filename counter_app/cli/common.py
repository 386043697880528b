"""Helpers shared by the command modules."""

from __future__ import annotations

import sys

from counter_app.app import build_context
from counter_app.services.context import Context


def context(*, upgrade: bool = True) -> Context:
    """Settings → database (migrated to the newest schema unless ``upgrade`` is false) →
    services context, as the GUI builds it."""
    return build_context(upgrade=upgrade)


def read_password(from_stdin: bool, prompt: str = "Password: ") -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        from counter_app.domain.errors import ValidationError

        raise ValidationError("The two passwords differ; nothing was changed")
    return first

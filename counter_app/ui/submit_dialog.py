"""A dialog whose Enter button runs one write op: the button waits while it runs; success
accepts the dialog, a refusal shows its message and lets the user try again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPushButton

from counter_app.ui.operations import NO_CHANGES, Changes, WriteOp
from counter_app.ui.widgets.common import Dialog, ErrorLabel


class SubmitDialog(Dialog):
    """Subclasses set ``self.button`` and ``self.error``, call ``submit_op`` from their
    ``submit``, and keep what came back in ``succeeded``."""

    button: QPushButton
    error: ErrorLabel

    def submit_op(self, fn: Callable[[], Any], changes: Changes = NO_CHANGES) -> None:
        self.button.setEnabled(False)
        WriteOp(self, fn, changes).success(self._succeeded).failure(
            self._refused
        ).run_in_background()

    def _succeeded(self, result: Any) -> None:
        self.error.show_error(None)
        self.succeeded(result)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.button.setEnabled(True)
        self.refused()
        self.error.show_error(error)

    def succeeded(self, result: Any) -> None:
        """Keep the result (the user, the session, the grant)."""
        raise NotImplementedError

    def refused(self) -> None:
        """Get ready to try again (e.g. clear the password); nothing by default."""

"""Supervisor override: the action named in words, username, password, reason; one Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.overrides import OverrideAction, OverrideGrant
from counter_app.services import overrides
from counter_app.services.context import Context
from counter_app.ui.submit_dialog import SubmitDialog
from counter_app.ui.widgets.common import ErrorLabel, big_label, default_button, text_field


class OverrideDialog(SubmitDialog):
    """Accepted with ``self.grant`` once a supervisor approved."""

    def __init__(
        self,
        ctx: Context,
        requested_by: int,
        action: OverrideAction,
        subject: str,
        description: str,
        parent: QWidget | None = None,
        *,
        cause: str = "",
        reason: str = "",
    ) -> None:
        """``description`` names the action, ``cause`` says why it needs a supervisor;
        ``reason`` already given (on the void or paid-out form) is not asked again."""
        super().__init__(parent)
        self.ctx, self.requested_by, self.action, self.subject = ctx, requested_by, action, subject
        self.grant: OverrideGrant | None = None
        self.setWindowTitle("Supervisor override")
        self.supervisor = text_field("Supervisor username")
        self.password = text_field("Supervisor password", secret=True)
        self.reason = text_field("Reason")
        self.reason.setText(reason)
        for field in (self.password, self.reason):
            field.returnPressed.connect(self.submit)
        self.error = ErrorLabel()
        self.button = default_button("Approve", self.submit)
        form = QFormLayout()
        form.addRow("&Supervisor", self.supervisor)
        form.addRow("&Password", self.password)
        if reason:
            self.reason.setParent(self)
            self.reason.hide()
        else:
            form.addRow("&Reason", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(big_label(description, 14, "Action"))
        if cause:
            why = QLabel(cause)
            why.setAccessibleName("Why a supervisor")
            why.setWordWrap(True)
            layout.addWidget(why)
        if reason:
            given = QLabel(f"Reason: {reason}")
            given.setAccessibleName("Reason given")
            given.setWordWrap(True)
            layout.addWidget(given)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button)

    def submit(self) -> None:
        who, pw, why = self.supervisor.text(), self.password.text(), self.reason.text()
        self.submit_op(
            lambda: overrides.grant(
                self.ctx,
                requested_by=self.requested_by,
                supervisor=who,
                password=pw,
                action=self.action,
                subject=self.subject,
                reason=why,
            )
        )

    def succeeded(self, result: Any) -> None:
        assert isinstance(result, OverrideGrant)
        self.grant = result

    def refused(self) -> None:
        self.password.clear()

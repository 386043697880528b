"""Login: username, password, the station name; a Caps Lock warning (Qt cannot read the key's
state, so it is inferred from the letters typed: upper case without Shift, or lower case
with it); lockout message with the minutes left. ``LockDialog`` is the same form for the
locked screen, and it cannot be dismissed: only the password opens it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.users import UserInfo
from counter_app.services import users
from counter_app.services.context import Context
from counter_app.ui.submit_dialog import SubmitDialog
from counter_app.ui.widgets.common import ErrorLabel, big_label, default_button, text_field


class LoginDialog(SubmitDialog):
    """Accepted with ``self.user`` set once the password checks out."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user: UserInfo | None = None
        self.setWindowTitle(f"Counter — log in — Station {ctx.station}")
        self.username = text_field("Username")
        self.password = text_field("Password", secret=True)
        self.password.installEventFilter(self)
        self.caps = QLabel("")
        self.caps.setObjectName("error")
        self.caps.setAccessibleName("Caps Lock warning")
        self.error = ErrorLabel()
        self.button = default_button("Log in", self.submit)
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(big_label("Counter", 20, "Counter"))
        layout.addWidget(QLabel(f"Station {ctx.station} · {ctx.settings.office.name}"))
        layout.addLayout(form)
        layout.addWidget(self.caps)
        layout.addWidget(self.error)
        layout.addWidget(self.button)
        self.resize(420, 260)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Watch the letters typed into the password for the Caps Lock warning."""
        if watched is self.password and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if len(text) == 1 and text.isalpha() and text.lower() != text.upper():
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.caps.setText("Caps Lock is on" if text.isupper() != shift else "")
        return super().eventFilter(watched, event)

    def submit(self) -> None:
        name, password = self.username.text(), self.password.text()
        if not name.strip() or not password:
            self.error.show_error("Enter your username and password")
            return
        self.error.show_error("Checking…")
        self.submit_op(lambda: users.authenticate(self.ctx, name, password))

    def succeeded(self, result: Any) -> None:
        assert isinstance(result, UserInfo)
        self.user = result

    def refused(self) -> None:
        self.password.clear()
        self.password.setFocus()


class LockDialog(LoginDialog):
    """The locked screen: the same cashier's password, and no way around it (Esc and the
    window's close button do nothing)."""

    def __init__(self, ctx: Context, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.username.setText(user.username)
        self.username.setReadOnly(True)
        self.button.setText("Unlock")
        self.setWindowTitle(f"Counter locked — {user.full_name}")
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.password.setFocus()

    def reject(self) -> None:
        """Esc: stay locked."""
        self.error.show_error("The screen is locked: enter your password to unlock it")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.result() == QDialog.DialogCode.Accepted:
            event.accept()
        else:
            event.ignore()
            self.reject()

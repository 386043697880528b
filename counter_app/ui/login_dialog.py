"""Login: username, password, the station name; lockout message with the minutes left."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.users import UserInfo
from counter_app.services import users
from counter_app.services.context import Context
from counter_app.ui.ops import DbOp
from counter_app.ui.widgets import ErrorLabel, big_label


class LoginDialog(QDialog):
    """Accepted with ``self.user`` set once the password checks out."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user: UserInfo | None = None
        self.setWindowTitle(f"Counter — log in — Station {ctx.station}")
        self.username = QLineEdit()
        self.username.setAccessibleName("Username")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.error = ErrorLabel()
        self.button = QPushButton("Log in")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(big_label("Counter", 20, "Counter"))
        layout.addWidget(QLabel(f"Station {ctx.station} · {ctx.settings.office.name}"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button)
        self.resize(420, 260)

    def submit(self) -> None:
        name, password = self.username.text(), self.password.text()
        if not name.strip() or not password:
            self.error.show_error("Enter your username and password")
            return
        self.button.setEnabled(False)
        self.error.show_error("Checking…")
        DbOp(self, lambda: users.authenticate(self.ctx, name, password)).success(
            self._logged_in
        ).failure(self._refused).run_in_background()

    def _logged_in(self, user: UserInfo) -> None:
        self.user = user
        self.error.show_error(None)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.error.show_error(error)

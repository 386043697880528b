"""QApplication set-up and the flow: log in → open (or resume) the drawer → counter screen."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog

from counter_app.domain.users import UserInfo
from counter_app.services import drawer
from counter_app.services.context import Context
from counter_app.ui.count_dialog import OpenDrawerDialog
from counter_app.ui.devices import Devices
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.main_window import MainWindow

STYLE = Path(__file__).resolve().parents[2] / "resources" / "counter.qss"


def apply_style(app: QApplication) -> None:
    """The application font (11 pt) and the style sheet from ``resources/``."""
    font = app.font()
    font.setPointSize(11)
    app.setFont(font)
    if STYLE.exists():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))


def start_counter(ctx: Context, user: UserInfo, devices: Devices) -> MainWindow | OpenDrawerDialog:
    """The counter screen if the user's drawer is open, else the open-drawer count first."""
    session = drawer.current_session(ctx, user.id)
    if session is not None:
        window = MainWindow(ctx, user, session, devices)
        window.show()
        return window
    dialog = OpenDrawerDialog(ctx, user)

    def opened() -> None:
        assert dialog.session is not None
        window = MainWindow(ctx, user, dialog.session, devices)
        dialog.setProperty("window", window)  # keep it alive
        window.show()

    dialog.accepted.connect(opened)
    dialog.show()
    return dialog


def run(ctx: Context, devices: Devices | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Counter")
    apply_style(app)
    devices = devices or Devices(None, None)
    login = LoginDialog(ctx)
    if login.exec() != QDialog.DialogCode.Accepted or login.user is None:
        return 0
    keep = start_counter(ctx, login.user, devices)  # noqa: F841 - owns the windows
    return app.exec()

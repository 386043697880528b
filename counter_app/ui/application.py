"""QApplication set-up and the flow: log in → open (or resume) the drawer → counter screen →
log out → log in again."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from importlib.resources import files

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from counter_app.domain.sessions import SessionInfo, earlier_session_notice
from counter_app.domain.users import UserInfo
from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.collector import collect_on_gui_thread
from counter_app.ui.count_dialog import OpenDrawerDialog
from counter_app.ui.devices import Devices
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.operations import ReadOp

STYLE = files("counter_app.resources") / "counter.qss"  # resources/, installed with Counter


def apply_style(app: QApplication) -> None:
    """The application font (11 pt) and the style sheet from ``resources/``."""
    font = app.font()
    font.setPointSize(11)
    app.setFont(font)
    if STYLE.is_file():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))


def freeze_startup_objects() -> int:
    """Collect once, then move every object alive now (modules, Qt wrappers, SQLAlchemy's
    metadata and compiled statements: ~130 k) to the collector's permanent generation, so a
    full collection that lands mid-transaction later scans only what was made since: about
    1 ms instead of 40-50 ms on the GUI thread (``benchmarks/gc_pause.py``). Returns how many
    objects were frozen. Called when the counter screen is up, the start-up work done."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def start_counter(
    ctx: Context,
    user: UserInfo,
    session: SessionInfo | None,
    devices: Devices,
    on_window: Callable[[MainWindow], None] = lambda _w: None,
    on_cancel: Callable[[], object] = lambda: None,
) -> MainWindow | OpenDrawerDialog:
    """The counter screen if the user's drawer ``session`` is open, else the open-drawer
    count first; ``on_window`` gets the window once it is shown, ``on_cancel`` runs if the
    count is abandoned. A drawer still open from an earlier business date is flagged over
    the counter ("Session of 11/30 still open: …"); the counter works on it meanwhile."""
    if session is not None:
        window = MainWindow(ctx, user, session, devices)
        window.show()
        on_window(window)
        notice = earlier_session_notice(session.business_date, ctx.today())
        if notice:  # the counter opens on it all the same, to finish that day and close it
            window.show_notice("Session still open", notice)
        return window
    dialog = OpenDrawerDialog(ctx, user)

    def opened() -> None:
        assert dialog.session is not None or dialog.supervising
        window = MainWindow(ctx, user, dialog.session, devices)
        dialog.setProperty("window", window)  # keep it alive
        window.show()
        on_window(window)
        if dialog.supervising:
            window.end_of_day.start()

    dialog.accepted.connect(opened)
    dialog.rejected.connect(on_cancel)
    dialog.show()
    return dialog


class CounterFlow(QObject):
    """Log in → (count the float) → counter screen → log out → log in again. Dismissing the
    login window ends the program (``on_quit``)."""

    def __init__(self, ctx: Context, devices: Devices, on_quit: Callable[[], None]) -> None:
        super().__init__()
        self.ctx, self.devices, self.on_quit = ctx, devices, on_quit
        self.login: LoginDialog | None = None
        self.screen: MainWindow | OpenDrawerDialog | None = None
        self.window: MainWindow | None = None

    def show_login(self) -> LoginDialog:
        login = LoginDialog(self.ctx)
        login.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        login.accepted.connect(lambda: self._logged_in(login))
        login.rejected.connect(self.on_quit)
        self.login = login
        login.show()
        return login

    def _logged_in(self, login: LoginDialog) -> None:
        user = login.user
        assert user is not None
        ReadOp(self, lambda: sessions.current_session(self.ctx, user.id)).success(
            lambda session: self._start(user, session)
        ).failure(self._not_started).run_in_background()

    def _start(self, user: UserInfo, session: SessionInfo | None) -> None:
        self.screen = start_counter(
            self.ctx, user, session, self.devices, self._counter_shown, self.show_login
        )

    def _not_started(self, error: Exception) -> None:
        """The drawer could not be looked up (the database went away): log in again."""
        self.show_login().error.show_error(error)

    def _counter_shown(self, window: MainWindow) -> None:
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.logged_out.connect(self.show_login)
        window.closed.connect(self.on_quit)
        self.window = window
        freeze_startup_objects()


def run(ctx: Context, devices: Devices | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Counter")
    collect_on_gui_thread(app)
    app.setQuitOnLastWindowClosed(False)  # between log out and the next login
    apply_style(app)
    flow = CounterFlow(ctx, devices or Devices(None, None), app.quit)
    flow.show_login()
    return app.exec()

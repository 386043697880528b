"""The status bar's lights: a coloured dot with a word (never colour alone), and behind each
the detail and the fix, shown when the light is clicked (or from F12 → Status)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from counter_app.domain.errors import OutcomeUnknown, StorageUnavailable
from counter_app.ui.operations import OPERATIONS

STATES = ("ok", "warn", "bad")


class StatusLight(QLabel):
    """``set("bad", "Printer: paper out", "Printer: paper out — load paper, then Reprint")``."""

    clicked = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.detail = ""
        self.setAccessibleName(f"{name} status")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setProperty("light", True)
        self.set("warn", f"{name} …", f"{name}: not checked yet")

    def set(self, state: str, text: str, detail: str = "") -> None:
        """Show ``text`` in the colour of ``state``; ``detail`` says what is wrong and what
        to do (defaults to ``text``)."""
        assert state in STATES, state
        self.setText(f"● {text}")
        self.detail = detail or text
        self.setToolTip(self.detail)
        self.setAccessibleDescription(self.detail)
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)

    @property
    def state(self) -> str:
        return str(self.property("state") or "")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


def short(message: str) -> str:
    """The part of a device message before its fix: "Printer: paper out — load paper" →
    "Printer: paper out"."""
    return message.split(" — ")[0].split(" (")[0]


class Lights(QObject):
    """The Database, Printer and Drawer lights. The Database light follows
    ``OPERATIONS.db_health`` by itself; the device controller sets the other two."""

    clicked = Signal(str)  # the detail of the light clicked

    def __init__(self, dialect: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialect = dialect
        self.db = StatusLight("Database")
        self.printer = StatusLight("Printer")
        self.drawer = StatusLight("Drawer")
        for light in self.all:
            light.clicked.connect(lambda light=light: self.clicked.emit(light.detail))
        OPERATIONS.db_health.connect(self._db_health)

    @property
    def all(self) -> tuple[StatusLight, StatusLight, StatusLight]:
        return self.db, self.printer, self.drawer

    def _db_health(self, error: Exception | None) -> None:
        if error is None:
            self.db.set("ok", "Database", f"Database ({self.dialect}): answering")
            return
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        if isinstance(error, StorageUnavailable):  # names the setting and the fix itself
            detail = f"Database ({self.dialect}): {first}"
        elif isinstance(error, OutcomeUnknown):  # something may have been posted: say so
            detail = (
                f"Database ({self.dialect}): the connection was lost while committing "
                f"({error.reason}) — the counter is checking what became of it"
            )
        else:
            detail = (
                f"Database ({self.dialect}): {first} — check the database server and the "
                "network, then try again (nothing was posted by the step that failed)"
            )
        self.db.set("bad", "Database: not answering", detail)

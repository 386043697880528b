"""The main window: title with the station, and the status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from counter_app.services.context import Context


class MainWindow(QMainWindow):
    """Counter's one main window."""

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"Counter — Station {ctx.station}")
        self.resize(1366, 768)
        self.db_status = QLabel(f"● Database {ctx.db.dialect}")
        self.db_status.setAccessibleName("Database status")
        self.statusBar().addPermanentWidget(self.db_status)

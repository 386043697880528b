"""QApplication set-up and the main loop."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from counter_app.services.context import Context
from counter_app.ui.main_window import MainWindow


def run(ctx: Context) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Counter")
    window = MainWindow(ctx)
    window.show()
    return app.exec()

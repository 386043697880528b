"""What the controllers share: who is at the counter, and one owner per open dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from counter_app.domain.sessions import SessionInfo
from counter_app.domain.users import UserInfo

NO_SESSION = "Log in and open a drawer first"


@dataclass(frozen=True)
class Staff:
    """The logged-in user and their open drawer session (either may be missing)."""

    user: UserInfo | None
    session: SessionInfo | None

    def at_drawer(self) -> tuple[UserInfo, SessionInfo] | None:
        """The user and session when both are there, else ``None`` (say ``NO_SESSION``)."""
        if self.user is None or self.session is None:
            return None
        return self.user, self.session


class DialogSlot(QObject):
    """Owns the one dialog a flow has open: opening the next deletes the one before, so a
    counter that runs all day does not collect dialogs (and their memory)."""

    def __init__(self, on_done: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dialog: QDialog | None = None
        self._on_done = on_done

    @property
    def current(self) -> QDialog | None:
        """The dialog, while it is on screen."""
        d = self._dialog
        return d if d is not None and shiboken6.isValid(d) and d.isVisible() else None

    def open(
        self,
        dialog: QDialog,
        accepted: Callable[[], None] | None = None,
        rejected: Callable[[], None] | None = None,
    ) -> None:
        """Show ``dialog`` window-modal; ``accepted`` / ``rejected`` run when it closes
        that way (default: ``on_done``, back to Find)."""
        self.discard()
        self._dialog = dialog
        dialog.accepted.connect(accepted or self._on_done)
        dialog.rejected.connect(rejected or self._on_done)
        dialog.open()

    def discard(self) -> None:
        """Close and delete the dialog this slot holds, if any."""
        old, self._dialog = self._dialog, None
        if old is not None and shiboken6.isValid(old):
            old.hide()
            old.deleteLater()

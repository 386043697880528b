"""The header line: station, cashier and session on the left, the session's totals so far
on the right. The totals refresh themselves after any write op that touched the session."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from counter_app.domain.sessions import SessionInfo
from counter_app.domain.users import UserInfo
from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.operations import OPERATIONS, Changes, ReadOp


def who_text(ctx: Context, user: UserInfo | None, session: SessionInfo | None) -> str:
    """Station, cashier, session and since when: "Station W02 · Maria Lopez (cashier) ·
    Session #418 open since 08:02"."""
    text = f"Station {ctx.station}"
    if user and session:
        opened = session.opened_at.astimezone(ctx.settings.zone)
        text += (
            f" · {user.full_name} ({user.role.value}) · Session "
            f"#{session.id} open since {opened:%H:%M}"
        )
    return text


class Header(QWidget):
    """``who`` and ``today`` labels; ``today`` follows ``OPERATIONS.changed``."""

    def __init__(
        self,
        ctx: Context,
        user: UserInfo | None,
        session: SessionInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.session = ctx, session
        self.who = QLabel(who_text(ctx, user, session))
        self.who.setObjectName("who")
        self.who.setAccessibleName("Station, cashier and session")
        self.today = QLabel("")
        self.today.setObjectName("who")
        self.today.setAccessibleName("Session totals")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.who)
        layout.addStretch(1)
        layout.addWidget(self.today)
        OPERATIONS.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.session:
            self.refresh()

    def refresh(self) -> None:
        """Read the session's totals again (off the GUI thread)."""
        if self.session is None:
            return
        sid = self.session.id
        ReadOp(self, lambda: sessions.session_totals(self.ctx, sid)).success(
            lambda t: self.today.setText(f"Today: {t.receipts} receipts · {t.collected.format()}")
        ).run_in_background()

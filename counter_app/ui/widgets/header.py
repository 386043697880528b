"""The header line: station, cashier and session on the left; the business date and the
session's totals so far on the right. Both refresh themselves after any write op that
touched the session."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter_app.domain.sessions import SessionInfo, earlier_session_notice
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


def business_date_text(day: dt.date) -> str:
    return f"Business date {day:%m/%d/%Y}"


class Header(QWidget):
    """``who``, ``day`` (the business date everything here belongs to) and ``today`` (the
    session's totals: that business day's) labels; ``today`` follows
    ``OPERATIONS.changed``."""

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
        self.day = QLabel("")
        self.day.setObjectName("who")
        self.day.setAccessibleName("Business date")
        self.today = QLabel("")
        self.today.setObjectName("who")
        self.today.setAccessibleName("Session totals")
        for right in (self.day, self.today):
            right.setAlignment(Qt.AlignmentFlag.AlignRight)
        day_and_totals = QVBoxLayout()  # stacked: the who-line keeps the width it needs
        day_and_totals.setSpacing(0)
        day_and_totals.addWidget(self.day)
        day_and_totals.addWidget(self.today)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.who, 0, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)
        layout.addLayout(day_and_totals)
        OPERATIONS.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.session:
            self.refresh()

    def refresh(self) -> None:
        """Show the business date; read the session's totals again (off the GUI thread).
        Without a session (the back office), the station's business date is read."""
        if self.session is None:
            ReadOp(self, lambda: sessions.business_date(self.ctx)).success(
                self._show_day
            ).run_in_background()
            return
        self._show_day(self.session.business_date)
        sid = self.session.id
        ReadOp(self, lambda: sessions.session_totals(self.ctx, sid)).success(
            lambda t: self.today.setText(f"Today: {t.receipts} receipts · {t.collected.format()}")
        ).run_in_background()

    def _show_day(self, day: dt.date) -> None:
        """The business date, in words and amber when it is a drawer's of an earlier date."""
        notice = earlier_session_notice(day, self.ctx.today()) if self.session else ""
        self.day.setText(business_date_text(day) + (" (earlier day)" if notice else ""))
        self.day.setToolTip(notice)
        self.day.setAccessibleDescription(notice)
        self.day.setProperty("state", "warn" if notice else "")
        self.day.style().unpolish(self.day)
        self.day.style().polish(self.day)

"""The cashier's close: the blind count in the wizard, its result, a recount (the earlier
count is kept) or a supervisor's approval through the override dialog, then the Z tape on
the receipt printer and the drawer balancing report in preview. Every figure comes from
``services.closeout``; nothing is computed here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget

from counter_app.domain.end_of_day import CloseResult, CountSheet, DrawerReport
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.report_figures import ChainHead
from counter_app.services import audit, closeout
from counter_app.services.context import Context
from counter_app.ui.close_wizard import CloseDrawerWizard
from counter_app.ui.controllers.common import NO_SESSION, DialogSlot, Staff
from counter_app.ui.controllers.devices import DeviceController
from counter_app.ui.controllers.reports import ReportPreviews
from counter_app.ui.operations import Changes, ReadOp, WriteOp
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.widgets.search_pane import SearchPane


class CloseoutController(QObject):
    """Owns the close-drawer wizard and the override asked from it."""

    drawer_closed = Signal()  # the drawer is closed and its report was looked at

    def __init__(
        self,
        ctx: Context,
        staff: Staff,
        pane: SearchPane,
        devices: DeviceController,
        previews: ReportPreviews,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.staff, self.pane = ctx, staff, pane
        self.devices, self.previews, self.window = devices, previews, parent
        self.wizard = DialogSlot(pane.focus, self)
        self.override = DialogSlot(lambda: None, self)  # back to the wizard under it
        self.keys: list[QAction] = []  # F5 recount, F9 supervisor: on each wizard

    @property
    def current(self) -> CloseDrawerWizard | None:
        shown = self.wizard.current
        return shown if isinstance(shown, CloseDrawerWizard) else None

    @property
    def dialogs(self) -> tuple[QDialog | None, ...]:
        return self.override.current, self.wizard.current

    def start(self, cancelled: Callable[[], None] | None = None) -> None:
        """Ctrl+W (or Yes at log out): the count sheet, then the wizard."""
        if (who := self.staff.at_drawer()) is None:
            self.pane.say(NO_SESSION)
            return
        user, session = who
        self.pane.say(f"Closing drawer session #{session.id}…")
        ReadOp(self, lambda: closeout.count_sheet(self.ctx, session.id, user.id)).success(
            lambda sheet: self._show(sheet, cancelled)
        ).failure(self.pane.say).run_in_background()

    def _show(self, sheet: CountSheet, cancelled: Callable[[], None] | None) -> None:
        wizard = CloseDrawerWizard(sheet, self.window)
        wizard.addActions(self.keys)
        wizard.submit_requested.connect(lambda: self._submit(wizard))
        wizard.recount_button.clicked.connect(self.recount)
        wizard.approval_button.clicked.connect(self.ask_approval)
        self.pane.say(
            f"Count drawer session #{sheet.session.id}: the expected figures show after Submit"
        )

        def left() -> None:  # Esc: before Submit nothing is stored; once closed, as Done
            if wizard.close_result is not None and wizard.close_result.closed:
                self._finished(wizard)
            else:
                (cancelled or self.pane.focus)()

        self.wizard.open(wizard, lambda: self._finished(wizard), left)

    def _submit(self, wizard: CloseDrawerWizard) -> None:
        assert self.staff.user is not None
        count = wizard.count()
        sid, uid = wizard.sheet.session.id, self.staff.user.id
        who, password = wizard.verifier.text().strip(), wizard.verifier_password.text()
        WriteOp(
            wizard,
            lambda: closeout.submit_count(
                self.ctx, sid, uid, count, verifier=who, verifier_password=password
            ),
            Changes(session=True),
        ).success(wizard.show_result).failure(wizard.show_refusal).run_in_background()

    def recount(self) -> None:
        """F5 on an over-tolerance result: back to the grid, the stored count kept."""
        wizard = self.current
        if wizard is not None and wizard.recount():
            self.pane.say("Recount: the earlier count is kept with the session")

    def ask_approval(self) -> None:
        """F9 on an over-tolerance result: a supervisor approves it (override, one reason)."""
        wizard = self.current
        if wizard is None or not wizard.waiting_for_approval or self.staff.user is None:
            return
        assert wizard.close_result is not None
        result, uid = wizard.close_result, self.staff.user.id
        off = [w for w in result.words if not w.startswith("Over tolerance:")]
        dialog = OverrideDialog(
            self.ctx,
            uid,
            OverrideAction.VARIANCE,
            closeout.variance_subject(result.session_id),
            f"Approve the over/short of session #{result.session_id}",
            wizard,
            cause=f"{'; '.join(off)}: beyond the tolerance a supervisor approves the difference",
        )

        def approve() -> None:
            if dialog.grant is None:
                return
            grant = dialog.grant.id
            WriteOp(
                wizard,
                lambda: closeout.approve_variance(self.ctx, result.session_id, uid, grant_id=grant),
                Changes(session=True),
            ).success(wizard.show_result).failure(wizard.show_refusal).run_in_background()

        self.override.open(dialog, approve)

    def _finished(self, wizard: CloseDrawerWizard) -> None:
        """Done on a closed drawer: the Z tape prints, the report opens in preview."""
        result: CloseResult | None = wizard.close_result
        if result is None or not result.closed or self.staff.user is None:
            self.pane.focus()
            return
        sid, uid, day = result.session_id, self.staff.user.id, wizard.sheet.session.business_date

        def read() -> tuple[DrawerReport, ChainHead | None]:
            return closeout.z_read(self.ctx, sid, uid), audit.chain_head(self.ctx, day)

        ReadOp(self, read).success(lambda z: self.devices.print_ztape(*z)).failure(
            self.pane.say
        ).run_in_background()
        self.pane.say(f"Drawer session #{sid} closed: the Z tape prints; the report opens…")

        def not_shown(error: Exception) -> None:
            self.pane.say(f"The drawer balancing report did not open: {error}")
            self.drawer_closed.emit()

        self.previews.show(
            self.previews.drawer(sid, uid), self.window, not_shown, self.drawer_closed.emit
        )

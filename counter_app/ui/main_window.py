"""The main window: find an account and see what the cashier works from.

Payment entry, tenders and the drawer dialogs build on this window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.errors import CounterError
from counter_app.services import lookup
from counter_app.services.context import Context
from counter_app.services.lookup import SearchResult
from counter_app.ui.ops import DbOp

ICONS = {"warn": "⚠", "stop": "⛔", "info": "ℹ"}


class MainWindow(QMainWindow):
    """Counter's one main window."""

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"Counter — Station {ctx.station}")
        self.resize(1366, 768)

        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Account number, name, address, meter, phone — or scan a stub"
        )
        self.search.setAccessibleName("Find account")
        self.search.returnPressed.connect(self.run_search)
        self.message = QLabel("")
        self.message.setAccessibleName("Search message")
        self.results = QListWidget()
        self.results.setAccessibleName("Results")
        self.results.currentItemChanged.connect(self._show_selected)
        self.detail = QLabel("Find an account to see its balance.")
        self.detail.setAccessibleName("Account")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setWordWrap(True)
        big = QFont(self.font())
        big.setPointSize(13)
        for w in (self.search, self.detail):
            w.setFont(big)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSize(11)
        self.results.setFont(fixed)  # columns of numbers and amounts line up

        find_row = QHBoxLayout()
        label = QLabel("[F2] Find:")
        label.setBuddy(self.search)
        find_row.addWidget(label)
        find_row.addWidget(self.search, 1)
        splitter = QSplitter()
        splitter.addWidget(self.results)
        splitter.addWidget(self.detail)
        splitter.setSizes([760, 600])
        body = QVBoxLayout()
        body.addLayout(find_row)
        body.addWidget(self.message)
        body.addWidget(splitter, 1)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)
        QShortcut(QKeySequence("F2"), self, activated=self.search.setFocus)

        self.db_status = QLabel(f"● Database {ctx.db.dialect}")
        self.db_status.setAccessibleName("Database status")
        self.statusBar().addPermanentWidget(self.db_status)
        self.search.setFocus()

    # --- search -------------------------------------------------------------------------
    def run_search(self) -> None:
        query = self.search.text()
        self.message.setText("Searching…")
        DbOp(self, lambda: lookup.search(self.ctx, query)).success(self._show_results).failure(
            self._show_error
        ).run_in_background()

    def _show_results(self, result: SearchResult) -> None:
        self.results.clear()
        for hit in result.hits:
            flag = "" if hit.status.value == "active" else hit.status.label
            item = QListWidgetItem(
                f"{hit.number}  {hit.customer_name:<22.22}  {hit.service_address:<20.20}  "
                f"{hit.balance.format():>11}  {flag}"
            )
            item.setData(Qt.ItemDataRole.UserRole, hit.number)
            self.results.addItem(item)
        scan = (
            f"Stub scanned: {result.scan.account_number}, due {result.scan.amount_due.format()} — "
            if result.scan
            else ""
        )
        self.message.setText(f"{scan}{len(result.hits)} found" if result.hits else "Nothing found")
        if result.hits:
            self.results.setCurrentRow(0)

    def _show_error(self, error: Exception) -> None:
        self.message.setText(str(error) if isinstance(error, CounterError) else f"Error: {error}")

    def _show_selected(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        DbOp(self, lambda: lookup.get_account(self.ctx, number)).success(
            self._show_account
        ).failure(self._show_error).run_in_background()

    def _show_account(self, a: AccountSummary) -> None:
        aging = a.aging
        badges = "".join(
            f"<p style='font-weight:bold'>{ICONS[b.level]} {b.text}</p>" for b in a.badges()
        )
        due = f" due {a.due_date:%m/%d}" if a.due_date else ""
        last = "".join(
            f"<br>Paid {p.paid_at.astimezone(self.ctx.settings.zone):%m/%d} {p.amount.format()} "
            f"{p.tenders} #{p.receipt_number}{' (VOID)' if p.voided else ''}"
            for p in a.last_payments
        )
        self.detail.setText(
            f"<h2>ACCOUNT {a.number} · {a.status.label}</h2>"
            f"<p>{a.customer_name} · {a.service_address} · meter {a.meter_number}</p>"
            f"<p style='font-size:20pt'><b>Balance {a.balance.format()}</b>{due}</p>"
            f"<p>Aging: current {aging.current} · 31–60 {aging.days_31_60} · "
            f"61–90 {aging.days_61_90} · 90+ {aging.days_over_90}</p>"
            f"<p>Deposit {a.deposit.format()} held · Credit {a.credit.format()}</p>"
            f"{badges}<p>{last[4:] if last else 'No payments at the counter yet'}</p>"
        )

"""What tests share, in one module: the town's clock and context, accounts written as the
services write them, payments, the PostgreSQL test server, device settings and stations, and
what a cashier does on the screen. Fixtures live in ``conftest.py`` files and ``town.py``;
test modules import helpers from here only."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import os
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from argon2.profiles import CHEAPEST
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, create_engine, select, update
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from counter_app.app import build_passwords, gui_devices
from counter_app.config import DrawerSettings, PrinterSettings, Settings
from counter_app.db import migrate
from counter_app.db.engine import Database, make_engine
from counter_app.db.models import Account, Base, Charge, DrawerSession, SearchWord
from counter_app.domain.account_number import parse_account_number
from counter_app.domain.billing_records import with_search_keys
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.search_keys import search_words
from counter_app.domain.sessions import SessionState
from counter_app.domain.tenders import TenderEntry
from counter_app.domain.users import UserInfo
from counter_app.services import overrides, search_index, sessions, voids
from counter_app.services.context import Context
from counter_app.services.passwords import Passwords
from counter_app.services.posting import (
    PaymentRequest,
    Posted,
    new_idempotency_key,
    post_transaction,
)
from counter_app.ui.devices import Devices
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.tender_dialog import TenderDialog
from drivers.sim.drawer import DrawerSimulator
from drivers.sim.job import Job
from drivers.sim.printer import PrinterSimulator

# --- the town's time and context ----------------------------------------------------------
NOW = dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)  # 10:00 in Chicago
FLOAT = {"20": 5, "10": 5, "5": 4, "1": 20, "0.25": 40}  # $200.00
# argon2's cheapest parameters (time 1, memory 8 KiB, 1 lane): a hash in microseconds, not
# the ~0.3 s of the recommended cost a station uses
PASSWORD_COST = CHEAPEST


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def context_for(db: Database, settings: Settings, clock: Callable[[], dt.datetime]) -> Context:
    """A test's ``Context``: passwords hashed by the composition root's hasher at the cheap
    ``PASSWORD_COST``."""
    return Context(db=db, settings=settings, clock=clock, passwords=build_passwords(PASSWORD_COST))


def with_settings(ctx: Context, **changes: Any) -> Context:
    """``ctx`` with some settings changed (same database, clock and hasher)."""
    return dataclasses.replace(ctx, settings=ctx.settings.model_copy(update=changes))


# --- accounts as the services write them --------------------------------------------------
@dataclass
class Town:
    cashier: UserInfo
    supervisor: UserInfo
    session_id: int


def add_account(
    ctx: Context,
    number: str,
    name: str,
    address: str,
    *,
    meter: str = "",
    phone: str = "",
    status: str = "active",
    shutoff_date: dt.date | None = None,
    credit: int = 0,
    deposit: int = 0,
    checks_not_accepted: bool = False,
    charges: list[tuple[str, str, str, int, int]] = (),  # type: ignore[assignment]
) -> int:
    """Insert an account with charges (kind, bill date, due date, amount, open) in cents; its
    search keys and words come from the code imports use."""
    with ctx.db.write() as s:
        fields = {
            "number": parse_account_number(number),
            "customer_name": name,
            "service_address": address,
            "meter_number": meter,
            "phone": phone,
        }
        acct = Account(
            **with_search_keys(fields),
            status=status,
            shutoff_date=shutoff_date,
            credit_cents=credit,
            deposit_cents=deposit,
            checks_not_accepted=checks_not_accepted,
        )
        s.add(acct)
        s.flush()
        search_index.replace_words(s, [(acct.id, name, address)])
        for i, (kind, bill, due, amount, open_) in enumerate(charges):
            s.add(
                Charge(
                    external_id=f"{number}-{i}",
                    account_id=acct.id,
                    kind=kind,
                    bill_date=dt.date.fromisoformat(bill),
                    due_date=dt.date.fromisoformat(due),
                    amount_cents=amount,
                    open_cents=open_,
                )
            )
        return acct.id


def stored_words(ctx: Context) -> dict[int, set[str]]:
    """The ``search_words`` table: each account's words, by account id."""
    found: dict[int, set[str]] = {}
    with ctx.db.read() as s:
        for word, account_id in s.execute(select(SearchWord.word, SearchWord.account_id)):
            found.setdefault(account_id, set()).add(word)
    return found


def expected_words(ctx: Context) -> dict[int, set[str]]:
    """What ``search_words`` should hold: the words of every account's name and address."""
    with ctx.db.read() as s:
        rows = s.execute(select(Account.id, Account.customer_name, Account.service_address))
        return {id_: search_words(name, address) for id_, name, address in rows}


# --- payments -----------------------------------------------------------------------------
def cash(amount: str) -> TenderEntry:
    return TenderEntry(TenderKind.CASH, Money.parse(amount))


def check(amount: str, number: str) -> TenderEntry:
    return TenderEntry(TenderKind.CHECK, Money.parse(amount), reference=number)


def pay(
    ctx: Context,
    town: Town,
    items: list[tuple[str, str]],
    tenders: list[TenderEntry],
    key: str | None = None,
) -> Posted:
    """Post a transaction at the town cashier's drawer: (account, amount) items."""
    return post_transaction(
        ctx,
        session_id=town.session_id,
        user_id=town.cashier.id,
        payments=[PaymentRequest(n, Money.parse(a)) for n, a in items],
        tenders=tenders,
        idempotency_key=key or new_idempotency_key(),
    )


def grant(
    ctx: Context,
    town: Town,
    action: OverrideAction,
    subject: str,
    *,
    requested_by: int | None = None,
    supervisor: str = "sam",
    password: str = "supervisor123",
    reason: str = "customer asked",
) -> int:
    """A supervisor's grant of ``action`` on ``subject``, asked for by the town's cashier
    unless ``requested_by`` says who."""
    return overrides.grant(
        ctx,
        requested_by=town.cashier.id if requested_by is None else requested_by,
        supervisor=supervisor,
        password=password,
        action=action,
        subject=subject,
        reason=reason,
    ).id


def void_with_grant(ctx: Context, town: Town, number: str) -> Posted:
    """The town's cashier voids receipt ``number`` ("Wrong account") with Sam's grant."""
    return voids.void_receipt(
        ctx,
        receipt_number=number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, voids.void_subject(number)),
        reason_code="Wrong account",
    )


def returned_with_grant(ctx: Context, town: Town, number: str, check_number: str) -> Posted:
    """Sam reverses receipt ``number``'s check ``check_number`` the bank returned, with his
    own grant ("bank returned it")."""
    return voids.reverse_returned_check(
        ctx,
        receipt_number=number,
        check_number=check_number,
        user_id=town.supervisor.id,
        grant_id=grant(
            ctx,
            town,
            OverrideAction.NSF_REVERSAL,
            voids.nsf_subject(number, check_number),
            requested_by=town.supervisor.id,
            reason="bank returned it",
        ),
    )


# --- the business date --------------------------------------------------------------------
def count_drawer(ctx: Context, session_id: int) -> None:
    """A drawer counted and handed in at the end of its day (there is no close step yet):
    its station is no longer on its business date, and its checks go to the bank."""
    with ctx.db.write() as s:
        s.execute(
            update(DrawerSession)
            .where(DrawerSession.id == session_id)
            .values(state=SessionState.COUNTED.value, counted_at=ctx.now())
        )


def evening_drawer(ctx: Context, town: Town, clock: Clock) -> Town:
    """The town with Maria's morning drawer handed in and a new one opened at 6 pm on 11/23
    (Chicago); the clock is left at 11:50 pm, ten minutes before midnight."""
    count_drawer(ctx, town.session_id)
    clock.now = NOW + dt.timedelta(hours=8)
    evening = sessions.open_session(ctx, town.cashier.id, FLOAT)
    clock.advance(hours=5, minutes=50)
    return dataclasses.replace(town, session_id=evening.id)


# --- races --------------------------------------------------------------------------------
T = TypeVar("T")


class CountingPasswords(Passwords):
    """The real hasher at the cheap test cost, counting each check against a stored hash;
    ``delay`` seconds per check stand for a station's real argon2 cost (the window a race
    needs). Handed to the services through the ``Context``, never patched in."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(PASSWORD_COST)
        self.delay = delay
        self.checked = 0
        self._count_lock = threading.Lock()

    def verify(self, pw_hash: str, password: str) -> bool:
        with self._count_lock:
            self.checked += 1
        time.sleep(self.delay)
        return super().verify(pw_hash, password)


def with_passwords(ctx: Context, passwords: Passwords) -> Context:
    """``ctx`` with another password hasher (same database, settings and clock)."""
    return dataclasses.replace(ctx, passwords=passwords)


def in_parallel(count: int, work: Callable[[int], T], timeout: float = 120) -> list[T | Exception]:
    """Run ``work(0)`` … ``work(count - 1)`` on ``count`` threads released at the same moment;
    each one's result, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list[T | Exception] = [RuntimeError("did not finish")] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # the caller asserts on what each thread got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


# --- PostgreSQL ---------------------------------------------------------------------------
def worker() -> str:
    """This pytest-xdist worker's name (``main`` without xdist)."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


class PostgresServer:
    """A reachable server on which this test process makes throwaway databases."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.template = f"counter_tpl_{worker()}_{os.getpid()}"
        self._names = itertools.count(1)
        self.scratch = ScratchDatabase(self)

    def url_for(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def build_template(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(sql(f'DROP DATABASE IF EXISTS "{self.template}"'))
            conn.execute(sql(f'CREATE DATABASE "{self.template}"'))
        engine = make_engine(self.url_for(self.template), poolclass=NullPool)
        migrate.upgrade(engine)
        engine.dispose()

    def new_database(self) -> str:
        name = f"{self.template}_{next(self._names)}"
        with self.admin.connect() as conn:
            conn.execute(sql(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
            # a test's commits need not wait for the disk: nothing here outlives a crash
            conn.execute(sql(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.scratch.close()
        self.drop(self.template)
        self.admin.dispose()


class ScratchDatabase:
    """This test process's working copy of the template, handed to one test after another.

    Between tests its rows are deleted and its sequences restarted (~40 ms), which puts it
    back in the template's state, instead of dropping it and copying the template again
    (~250 ms). It is made anew instead after a failed test, and after one that left the
    schema or the planner's statistics other than they were (a migration test, an ANALYZE
    after a bulk load), so every test starts from exactly the migrated template.
    """

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.name: str | None = None
        self._engine: Engine | None = None
        self._fresh: tuple[list[tuple[object, ...]], ...] = ()

    def take(self) -> str:
        """The URL of the database, in the template's state."""
        if self.name is None:
            self.name = self.server.new_database()
            self._engine = create_engine(self.server.url_for(self.name), pool_size=1)
            self._fresh = self._state()
        return self.server.url_for(self.name)

    def give_back(self, *, passed: bool) -> None:
        """Empty the database for the next test, or drop it if it may differ from new."""
        if self.name is None:
            return
        try:
            if passed and self._state() == self._fresh:
                self._empty()
                return
        except Exception:  # whatever the test left, a new copy starts clean
            pass
        self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self.name is not None:
            self.server.drop(self.name)
            self.name = None

    def _state(self) -> tuple[list[tuple[object, ...]], ...]:
        """What deleting rows leaves alone: the tables, indexes and sequences (a test that
        drops an index to forge a state gets a new copy after it), the planner's row
        estimates (set by ANALYZE) and the schema revision."""
        assert self._engine is not None
        with self._engine.connect() as conn:
            relations = conn.execute(
                sql(
                    "SELECT relname, relkind, reltuples FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i', 'S') "
                    "ORDER BY relname"
                )
            ).all()
            revision = conn.execute(sql("SELECT version_num FROM alembic_version")).all()
        return [tuple(r) for r in relations], [tuple(r) for r in revision]

    def _empty(self) -> None:
        assert self._engine is not None and self.name is not None
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with self._engine.begin() as conn:
            # connections a test left open (a thread's unit of work) would hold locks
            conn.execute(
                sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )
            sequences = conn.execute(
                sql("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            ).scalars()
            conn.exec_driver_sql(
                "; ".join(
                    [f'DELETE FROM "{t}"' for t in tables]
                    + [f'ALTER SEQUENCE "{s}" RESTART' for s in sequences]
                )
            )


# --- a database that goes away --------------------------------------------------------
COMMIT_QUERY = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # psycopg's COMMIT: a simple-query message


class PostgresProxy:
    """A TCP proxy on 127.0.0.1 in front of PostgreSQL, cut like a network: ``cut()`` drops
    every connection and refuses new ones (they are closed at once) until ``restore()``;
    ``cut_at_commit(forward=...)`` drops the next connection that sends COMMIT, after passing
    it on (the server commits, its answer is lost) or before (it never commits)."""

    def __init__(self, url: str) -> None:
        self.target = make_url(url)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = False
        self._at_commit: bool | None = None  # forward the COMMIT before cutting?
        self.commits_cut = 0
        self._links: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        """The target's URL through the proxy (no TLS or GSS, so COMMIT can be seen)."""
        through = self.target.set(host="127.0.0.1", port=self.port).update_query_dict(
            {"sslmode": "disable", "gssencmode": "disable"}
        )
        return through.render_as_string(hide_password=False)

    def cut(self) -> None:
        with self._lock:
            self.down = True
            links, self._links = self._links, []
        for pair in links:
            _close(*pair)

    def restore(self) -> None:
        self.down = False

    def cut_at_commit(self, *, forward: bool) -> None:
        self._at_commit = forward

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            if self.down:
                client.close()
                continue
            host, port = self.target.host or "127.0.0.1", self.target.port or 5432
            try:
                server = socket.create_connection((host, port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._links.append((client, server))
            held = threading.Event()  # set: the server's answers no longer reach the client
            for args in ((client, server, held, True), (server, client, held, False)):
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(
        self, src: socket.socket, dst: socket.socket, held: threading.Event, up: bool
    ) -> None:
        try:
            while data := src.recv(65536):
                if up and self._at_commit is not None and COMMIT_QUERY in data:
                    forward, self._at_commit = self._at_commit, None
                    held.set()
                    self.commits_cut += 1
                    if forward:
                        dst.sendall(data)
                        time.sleep(0.2)  # the server reads and carries out the COMMIT
                    break
                if held.is_set():
                    break
                dst.sendall(data)
        except OSError:
            pass
        _close(src, dst)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


class DatabaseFault:
    """A station's database that a test makes go away and come back, really: on PostgreSQL
    through a ``PostgresProxy``; on SQLite by putting the file out of reach (moved away, a
    folder in its place, the station's pooled connections closed, as a share that went
    away). A COMMIT whose answer is lost is cut by the proxy on PostgreSQL; on SQLite, a
    local file that commits atomically, no real fault does that, so ``lose_commit_answer``
    wraps the dialect's ``do_commit`` to raise a disk I/O error (the one mock)."""

    def __init__(self, ctx: Context) -> None:
        self.proxy: PostgresProxy | None = None
        if ctx.db.is_postgres:
            self.proxy = PostgresProxy(ctx.db.url)
            ctx = dataclasses.replace(ctx, db=Database.from_url(self.proxy.url))
        self.ctx = ctx
        self.path = Path(ctx.db.engine.url.database or "")
        self.away = self.path.with_name(self.path.name + ".away")
        self._real_commit = ctx.db.engine.dialect.do_commit

    def cut(self) -> None:
        if self.proxy is not None:
            self.proxy.cut()
            return
        self.ctx.db.dispose()
        self.away.mkdir()
        for part in self.path.parent.glob(self.path.name + "*"):
            if part != self.away:
                part.rename(self.away / part.name)
        self.path.mkdir()  # a folder where the file was: "unable to open database file"

    def restore(self) -> None:
        if self.proxy is not None:
            self.proxy.restore()
            return
        self.path.rmdir()
        for part in self.away.iterdir():
            part.rename(self.path.parent / part.name)
        self.away.rmdir()

    def lose_commit_answer(self, *, committed: bool) -> None:
        """The next COMMIT's answer never comes; the COMMIT itself is carried out if
        ``committed``."""
        if self.proxy is not None:
            self.proxy.cut_at_commit(forward=committed)
            return
        dialect, real = self.ctx.db.engine.dialect, self._real_commit

        def lost(dbapi_connection: Any) -> None:
            dialect.do_commit = real  # type: ignore[method-assign]
            if committed:
                real(dbapi_connection)
            else:
                dbapi_connection.rollback()
            raise sqlite3.OperationalError("disk I/O error")

        dialect.do_commit = lost  # type: ignore[method-assign]

    def close(self) -> None:
        self.ctx.db.engine.dialect.do_commit = self._real_commit  # type: ignore[method-assign]
        if self.proxy is None and self.away.exists():
            self.restore()
        if self.proxy is not None:
            self.ctx.db.dispose()
            self.proxy.close()


# --- devices on the simulators ------------------------------------------------------------
OFFICE_TZ = ZoneInfo("America/Chicago")
FAST = 0.5  # seconds: the timeout tests give the drivers


def printer_settings(url: str, **changes: Any) -> PrinterSettings:
    return PrinterSettings(url=url, timeout_s=FAST, **changes)


@dataclass
class Station:
    """The station's context (its settings point at the simulators) and its devices."""

    ctx: Context
    devices: Devices
    printer: PrinterSimulator
    drawer: DrawerSimulator


def station_for(
    ctx: Context,
    printer_sim: PrinterSimulator,
    drawer_sim: DrawerSimulator,
    *,
    require_closed: bool = False,
) -> Station:
    ctx = with_settings(
        ctx,
        printer=PrinterSettings(url=printer_sim.url, timeout_s=1),
        drawer=DrawerSettings(
            backend="serial", url=drawer_sim.url, timeout_s=0.5, require_closed=require_closed
        ),
    )
    return Station(ctx, gui_devices(ctx.settings), printer_sim, drawer_sim)


# --- screenshots --------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
# read at import: the autouse settings fixture removes COUNTER_* from each test's environment
SCREENSHOTS = os.environ.get("COUNTER_SCREENSHOTS", "")


def screenshot_dir() -> Path:
    """Where screenshots go: ``$COUNTER_SCREENSHOTS`` (relative to the project), else tmp."""
    if SCREENSHOTS:
        return ROOT / SCREENSHOTS
    return Path(tempfile.gettempdir()) / "counter-screenshots"


def screenshot(widget: QWidget, name: str, dialect: str) -> Path | None:
    """Save what the user sees (once, from the SQLite run); returns the file."""
    if dialect != "sqlite":
        return None
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path


# --- what a cashier does on the screen: real widgets, keys typed with qtbot ----------------
WAIT = 10_000
D = TypeVar("D", bound=QWidget)


def login(qtbot: QtBot, ctx: Context, name: str, password: str) -> LoginDialog:
    """Type the credentials (not yet submitted)."""
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, name)
    qtbot.keyClicks(dialog.password, password)
    return dialog


def submit(qtbot: QtBot, dialog: LoginDialog) -> None:
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)


def cashier_window(
    qtbot: QtBot, ctx: Context, town: Town, devices: Devices | None = None
) -> MainWindow:
    """The counter screen of the town's cashier on their open drawer, shown and active."""
    session = sessions.current_session(ctx, town.cashier.id)
    return show_window(qtbot, MainWindow(ctx, town.cashier, session, devices))


def show_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    return window


def find(qtbot: QtBot, window: MainWindow, query: str) -> None:
    """Type a query (or a stub's scan line) into Find and press Enter."""
    window.focus_search()
    qtbot.keyClicks(window.search, query)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.message.text() != "Searching…", timeout=WAIT)


def add_first_result(qtbot: QtBot, window: MainWindow) -> None:
    lines = len(window.cart.lines)
    qtbot.waitUntil(lambda: window.results.count() > 0, timeout=WAIT)
    window.results.setFocus()
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == lines + 1, timeout=WAIT)


def find_and_add(qtbot: QtBot, window: MainWindow, query: str) -> None:
    find(qtbot, window, query)
    add_first_result(qtbot, window)


def tender(qtbot: QtBot, window: MainWindow, key: Qt.Key, amount: str, number: str = "") -> None:
    """Press a tender key, type the amount (and number), Enter."""
    qtbot.keyClick(window, key)
    dialog = window.dialog
    assert isinstance(dialog, TenderDialog), window.message.text()
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, amount)
    if number:
        qtbot.keyClicks(dialog.reference, number)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)


def type_amount(qtbot: QtBot, window: MainWindow, amount: str) -> None:
    """Tab from Find to the last account's amount, type it, Enter."""
    window.focus_search()
    qtbot.keyClick(window.search, Qt.Key.Key_Tab)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor is not window.search
    editor.selectAll()
    qtbot.keyClicks(editor, amount)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def approve(qtbot: QtBot, dialog: OverrideDialog, who: str, password: str) -> None:
    """The supervisor types their name and password (and a reason if none was given), Enter."""
    fields = [(dialog.supervisor, who), (dialog.password, password)]
    if not dialog.reason.text():
        fields.append((dialog.reason, "wrong account"))
    for field, text in fields:
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(fields[-1][0], Qt.Key.Key_Return)


def opened(qtbot: QtBot, window: MainWindow, kind: type[D]) -> D:
    """The dialog of ``kind`` the window has open (waiting for it)."""
    qtbot.waitUntil(
        lambda: isinstance(window.dialog, kind) and window.dialog.isVisible(), timeout=WAIT
    )
    assert isinstance(window.dialog, kind)
    return window.dialog


def keep_drawer_open(qtbot: QtBot, window: MainWindow) -> None:
    """Log out asked whether to close the open drawer: "Log out, drawer stays open"."""
    box = opened(qtbot, window, QMessageBox)
    assert "is still open" in box.text(), box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)


def printed_jobs(qtbot: QtBot, sim: PrinterSimulator, count: int) -> list[Job]:
    """The simulator's first ``count`` jobs, letting the GUI run while they come."""
    qtbot.waitUntil(lambda: len(sim.jobs) >= count, timeout=WAIT)
    return sim.jobs


def scan(qtbot: QtBot, text: str) -> None:
    """A keyboard-wedge scanner: each character goes to whichever widget has focus."""
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClicks(widget, char)


# --- what does not fit -------------------------------------------------------------------
def clipped(widget: QWidget) -> list[str]:
    """Every label or button shown under ``widget`` (itself included) whose text needs more
    room than it has: cut off, elided by the layout, or wrapped past its height."""
    found = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if not w.isVisible() or not isinstance(w, QLabel | QAbstractButton) or not w.text():
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            short = w.heightForWidth(w.width()) > w.height() + 1
        else:
            hint = w.sizeHint()
            short = hint.width() > w.width() + 1 or hint.height() > w.height() + 1
        if short:
            found.append(f"{type(w).__name__} {w.accessibleName() or w.text()[:60]!r}")
    return found

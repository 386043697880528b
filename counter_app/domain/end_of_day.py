"""What the end-of-day services hand out: the count sheet, a close's result, the X / Z read
of a session (the same figures the Z tape and the drawer balancing report print), and the
supervisor's day of sessions. Plain values only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from counter_app.domain.closeout import Balance, SessionActivity, TapeCheck
from counter_app.domain.counts import CountItem, CountKind
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import (
    Movement,
    MovementKind,
    SessionInfo,
    SessionKind,
    SessionState,
)


@dataclass(frozen=True)
class CountSheet:
    """What the close-count screen shows before the count: no expected figure, only the
    checks and money orders to tick."""

    session: SessionInfo
    items: tuple[CountItem, ...]
    dual_control: bool  # a second person must verify the count


@dataclass(frozen=True)
class CountRecord:
    """One stored count (never overwritten): attempt 1, 2, … of its kind."""

    id: int
    session_id: int
    kind: CountKind
    attempt: int
    counted_by: str
    verified_by: str  # "" without dual control
    counted_at: dt.datetime  # aware UTC
    cash: Mapping[str, int]  # denomination code → count
    counted: Mapping[TenderKind, Money]  # per tender; empty for a batch tape
    expected: Mapping[TenderKind, Money]  # as they stood when the count was stored
    card_batch: Money
    ticked: tuple[int, ...]  # tender ids
    tape: TapeCheck | None = None  # a batch's tape

    @property
    def over_short(self) -> Money:
        if self.tape is not None:
            return self.tape.over_short
        return total(self.counted.get(k, Money(0)) - v for k, v in self.expected.items())


@dataclass(frozen=True)
class CloseResult:
    """What a submitted count (or tape, or approval) did: shown only once it is stored."""

    session_id: int
    state: SessionState
    count: CountRecord
    balance: Balance | None  # a drawer's over/short per tender (None: a batch's tape)
    missing: tuple[CountItem, ...] = ()  # listed checks / money orders not ticked

    @property
    def closed(self) -> bool:
        return self.state is SessionState.CLOSED

    @property
    def words(self) -> tuple[str, ...]:
        """Over/short in words, the missing items named, and what to do next."""
        said: list[str] = []
        if self.balance is not None:
            said.extend(self.balance.words)
        elif self.count.tape is not None:
            said.append(self.count.tape.words)
        said.extend(f"Not in the drawer: {item.words}" for item in self.missing)
        if self.state is SessionState.COUNTED:
            said.append("Over tolerance: recount, or a supervisor approves the difference")
        return tuple(said)


@dataclass(frozen=True)
class VoidedReceipt:
    """A receipt voided in the session, with the void's own slip."""

    receipt: str
    void_receipt: str
    amount: Money
    at: dt.datetime
    reason: str
    approved_by: str


@dataclass(frozen=True)
class StepRecord:
    """A session's change of state as recorded: closed within tolerance, a variance
    approved, reopened, deposited."""

    id: int
    from_state: SessionState
    to_state: SessionState
    at: dt.datetime
    by: str
    approved_by: str
    reason: str
    count_id: int | None


@dataclass(frozen=True)
class DrawerReport:
    """A session's X read (any time) or Z (at the close): the one set of figures."""

    session: SessionInfo
    activity: SessionActivity
    expected: Mapping[TenderKind, Money]
    receipts: int  # payments posted
    voids: tuple[VoidedReceipt, ...]
    movements: tuple[Movement, ...]  # paid-ins, paid-outs, drops and no-sales, in order
    counts: tuple[CountRecord, ...]  # open and close counts, every attempt
    steps: tuple[StepRecord, ...]
    balance: Balance  # the last close count's over/short, or expected only before one
    at: dt.datetime  # when it was read

    @property
    def no_sales(self) -> tuple[Movement, ...]:
        return tuple(m for m in self.movements if m.kind is MovementKind.NO_SALE)

    @property
    def close_counts(self) -> tuple[CountRecord, ...]:
        return tuple(c for c in self.counts if c.kind is CountKind.CLOSE)


@dataclass(frozen=True)
class SessionSummary:
    """One line of the supervisor's end-of-day table."""

    id: int
    kind: SessionKind
    cashier: str
    station: str
    business_date: dt.date
    state: SessionState
    collected: Money  # net of voids and change
    over_short: Money | None  # the last close count's; None before one
    deposit_slip: str = ""

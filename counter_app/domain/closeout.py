"""The one expected-figures computation (DESIGN §3), and over/short against a count.

Every figure of a drawer — the X read, the close, the Z tape, the reports, the supervisor's
screen — comes from ``expected_figures`` over a ``SessionActivity``:

    expected cash = opening float + cash tendered − change given
                    + paid-ins − paid-outs − drops          (no-sales move no money)

where "cash tendered" is net: a void or a refund hands cash back as a negative cash tender,
so it is already taken off. Checks, money orders and card are their tenders net of voids.
Only the four drawer tenders count (a refund paid by a mailed check is no drawer's money),
and a returned check never counts: it is a reversal in a batch session, the bank's
chargeback, and never touches a drawer or a deposit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import MovementKind
from counter_app.domain.transactions import TransactionKind

# The tenders a drawer (or a batch) holds and a count checks, in the order they are shown.
DRAWER_TENDERS: tuple[TenderKind, ...] = (
    TenderKind.CASH,
    TenderKind.CHECK,
    TenderKind.MONEY_ORDER,
    TenderKind.CARD,
)
DRAWER_TENDER_VALUES: tuple[str, ...] = tuple(k.value for k in DRAWER_TENDERS)
# Transactions whose tenders never reach a drawer's expected figures: a returned check.
NOT_IN_DRAWER: frozenset[str] = frozenset({TransactionKind.NSF_REVERSAL.value})


def _zeroes() -> dict[TenderKind, Money]:
    return {kind: Money(0) for kind in DRAWER_TENDERS}


@dataclass(frozen=True)
class SessionActivity:
    """What a session did, as the expected figures are computed from it.

    ``tendered`` is net per drawer tender: positive taken, negative handed back by voids
    and refunds. ``returned_checks`` (NSF reversals, negative) is shown, never expected."""

    opening_float: Money = field(default_factory=Money.zero)
    tendered: Mapping[TenderKind, Money] = field(default_factory=_zeroes)
    change_given: Money = field(default_factory=Money.zero)
    paid_in: Money = field(default_factory=Money.zero)
    paid_out: Money = field(default_factory=Money.zero)
    drops: Money = field(default_factory=Money.zero)
    returned_checks: Money = field(default_factory=Money.zero)

    def tendered_of(self, kind: TenderKind) -> Money:
        return self.tendered.get(kind, Money(0))

    @property
    def collected(self) -> Money:
        """Net money taken in by every drawer tender, change given back already out."""
        return total(self.tendered.values()) - self.change_given


def activity_from(
    opening_float: Money,
    tender_sums: Iterable[tuple[str, str, Money]],
    change_given: Money,
    movements: Iterable[tuple[str, Money]],
) -> SessionActivity:
    """A session's activity from set-based sums: ``tender_sums`` as (transaction kind,
    tender kind, summed amount) rows, ``movements`` as (movement kind, summed amount).

    Tenders of a kind no drawer holds are left out; a returned check's reversal goes to
    ``returned_checks`` only; a no-sale moves no money whatever was recorded with it."""
    tendered = _zeroes()
    returned = Money(0)
    drawer_kinds = {k.value: k for k in DRAWER_TENDERS}
    for transaction_kind, tender_kind, amount in tender_sums:
        kind = drawer_kinds.get(tender_kind)
        if kind is None:
            continue
        if transaction_kind in NOT_IN_DRAWER:
            returned += amount
            continue
        tendered[kind] += amount
    moved = {k: Money(0) for k in MovementKind}
    for movement_kind, amount in movements:
        moved[MovementKind(movement_kind)] += amount
    return SessionActivity(
        opening_float=opening_float,
        tendered=tendered,
        change_given=change_given,
        paid_in=moved[MovementKind.PAID_IN],
        paid_out=moved[MovementKind.PAID_OUT],
        drops=moved[MovementKind.DROP],
        returned_checks=returned,
    )


def expected_figures(activity: SessionActivity) -> dict[TenderKind, Money]:
    """THE expected figure of each drawer tender (see the module's docstring)."""
    expected = {kind: activity.tendered_of(kind) for kind in DRAWER_TENDERS}
    expected[TenderKind.CASH] = (
        activity.opening_float
        + activity.tendered_of(TenderKind.CASH)
        - activity.change_given
        + activity.paid_in
        - activity.paid_out
        - activity.drops
    )
    return expected


def day_activity(sessions: Mapping[int, SessionActivity]) -> SessionActivity:
    """Several sessions' activity added up, each session once (keyed by its id, so a
    second close the same day cannot count an earlier session again)."""
    tendered = _zeroes()
    for activity in sessions.values():
        for kind in DRAWER_TENDERS:
            tendered[kind] += activity.tendered_of(kind)
    rows = list(sessions.values())
    return SessionActivity(
        opening_float=total(a.opening_float for a in rows),
        tendered=tendered,
        change_given=total(a.change_given for a in rows),
        paid_in=total(a.paid_in for a in rows),
        paid_out=total(a.paid_out for a in rows),
        drops=total(a.drops for a in rows),
        returned_checks=total(a.returned_checks for a in rows),
    )


def opening_difference(counted_float: Money, handed_over: Money) -> Money:
    """What the opening count found over (+) or short (−) of the float handed over. It is
    reported once, at the open: the close's expected cash starts from the counted float,
    so the difference is never counted again at the close."""
    return counted_float - handed_over


# --- over / short -------------------------------------------------------------------------
def over_short_words(label: str, over_short: Money, tolerance: Money) -> str:
    """``Cash short $3.00 — within tolerance``, ``Check over $5.00 — over tolerance``,
    ``Card balanced``."""
    if not over_short:
        return f"{label} balanced"
    side = "over" if over_short.is_positive else "short"
    within = "within" if abs(over_short) <= tolerance else "over"
    return f"{label} {side} {abs(over_short).format()} — {within} tolerance"


@dataclass(frozen=True)
class TenderBalance:
    """One tender's expected figure and, once counted, what was counted."""

    kind: TenderKind
    expected: Money
    counted: Money | None = None
    tolerance: Money = field(default_factory=Money.zero)

    @property
    def over_short(self) -> Money | None:
        """Counted minus expected (negative: short); None before a count."""
        return None if self.counted is None else self.counted - self.expected

    @property
    def within_tolerance(self) -> bool:
        over_short = self.over_short
        return over_short is None or abs(over_short) <= self.tolerance

    @property
    def words(self) -> str:
        if self.over_short is None:
            return f"{self.kind.label} expected {self.expected.format()}"
        return over_short_words(self.kind.label, self.over_short, self.tolerance)


@dataclass(frozen=True)
class Balance:
    """Expected against counted, per drawer tender (``lines`` in ``DRAWER_TENDERS`` order)."""

    lines: tuple[TenderBalance, ...]

    def line(self, kind: TenderKind) -> TenderBalance:
        return next(line for line in self.lines if line.kind is kind)

    @property
    def counted(self) -> bool:
        return all(line.counted is not None for line in self.lines)

    @property
    def within_tolerance(self) -> bool:
        return all(line.within_tolerance for line in self.lines)

    @property
    def expected_total(self) -> Money:
        return total(line.expected for line in self.lines)

    @property
    def over_short(self) -> Money:
        """All tenders' over/short together (zero before a count)."""
        return total(line.over_short or Money(0) for line in self.lines)

    @property
    def words(self) -> tuple[str, ...]:
        """One sentence per tender that is not balanced (all balanced: one sentence)."""
        off = tuple(line.words for line in self.lines if line.over_short)
        return off or ("Every tender balanced",)


def balance(
    expected: Mapping[TenderKind, Money],
    counted: Mapping[TenderKind, Money] | None = None,
    tolerances: Mapping[TenderKind, Money] | None = None,
) -> Balance:
    """Over/short of a count against the expected figures; without ``counted``, the
    expected figures alone (an X read)."""
    tolerances = tolerances or {}
    return Balance(
        tuple(
            TenderBalance(
                kind,
                expected.get(kind, Money(0)),
                None if counted is None else counted.get(kind, Money(0)),
                tolerances.get(kind, Money(0)),
            )
            for kind in DRAWER_TENDERS
        )
    )


# --- a batch's adding-machine tape --------------------------------------------------------
@dataclass(frozen=True)
class Tape:
    """A batch's 10-key tape: how many items and their total ("47 items, $6,212.40")."""

    items: int
    total: Money

    @property
    def words(self) -> str:
        return f"{self.items} item{'s' if self.items != 1 else ''}, {self.total.format()}"


@dataclass(frozen=True)
class TapeCheck:
    """The tape against what the batch posted: it closes only when both match."""

    tape: Tape
    posted: Tape

    @property
    def matches(self) -> bool:
        return self.tape == self.posted

    @property
    def over_short(self) -> Money:
        return self.tape.total - self.posted.total

    @property
    def words(self) -> str:
        if self.matches:
            return f"Tape {self.tape.words} matches what was posted"
        return f"Tape {self.tape.words}; posted {self.posted.words}: recount or approve"

"""The plan of a demo business day, made from a seed: what each drawer takes and when, what
is voided, paid in and out and dropped, how each drawer closes, the mail batch, and the
check the bank returns. Pure: ``services.demo_day`` plays it through the real services.

The same seed, accounts and payment count give the same plan. Times are minutes after the
office opens (``OPENS``), in the office's zone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from counter_app.domain.denominations import BY_CODE, count_total
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import MovementKind
from counter_app.domain.tenders import TenderEntry

OPENS = dt.time(8, 0)
FIRST_PAYMENT, LAST_PAYMENT = 5, 8 * 60 + 45  # 8:05 … 16:45
MAIL_AT = 60  # 9:00: the morning's mail is posted as one batch
CLOSES_AT = 9 * 60  # 17:00: the drawers are counted
RETURNED_AT = CLOSES_AT + 30  # the bank's call about a check, before the batch is taped
TAPE_AT = RETURNED_AT + 10
DEPOSIT_AT = TAPE_AT + 10
VOID_AFTER = 3  # minutes: a wrong account noticed at once
MAX_PAYMENTS = 100_000
MAIL_SHARE = 10  # one payment in ten comes by mail
VOID_EVERY = 150  # about one drawer payment in this many is voided
FLOAT = {"20": 5, "10": 5, "5": 8, "1": 40, "0.25": 40, "0.10": 50, "0.05": 40, "0.01": 50}
COUNTED_IN = ("20", "10", "5", "1", "0.25", "0.10", "0.05", "0.01")  # what a cashier counts
BANKS = ("First Riverton Bank", "Valley Credit Union", "Cascade Savings", "US Bank")
DROP_KEEPS = Money(30000)  # a drop leaves this much cash taken in the drawer
DROPS_AT = (4 * 60, 7 * 60)  # 12:00 and 15:00


class CloseKind(StrEnum):
    """How a drawer of the demo day closes."""

    BALANCED = "balanced"  # counted as expected: closes at once
    SHORT = "short"  # short beyond the tolerance: a supervisor approves it
    DUAL = "dual"  # balanced, the count verified by a second person


@dataclass(frozen=True)
class Payable:
    """An account the day may take a payment on, and what it owes now."""

    number: str
    owed: Money


@dataclass(frozen=True)
class PlannedPayment:
    minute: int
    account_number: str
    amount: Money
    tender: TenderEntry  # cash: the amount handed over (change is given)
    voided: bool = False


@dataclass(frozen=True)
class PlannedMovement:
    minute: int
    kind: MovementKind
    amount: Money
    reason: str


@dataclass(frozen=True)
class DrawerPlan:
    station: str
    cashier: str  # username
    close: CloseKind
    short: Money  # how much the count comes up short (SHORT only)
    payments: tuple[PlannedPayment, ...]
    movements: tuple[PlannedMovement, ...]
    float_counts: Mapping[str, int] = field(default_factory=lambda: dict(FLOAT))


@dataclass(frozen=True)
class DayPlan:
    drawers: tuple[DrawerPlan, ...]
    mail: tuple[PlannedPayment, ...]
    returned: int  # index in ``drawers[0].payments`` of the check the bank returns

    @property
    def payments(self) -> int:
        return sum(len(d.payments) for d in self.drawers) + len(self.mail)

    @property
    def voids(self) -> int:
        return sum(p.voided for d in self.drawers for p in d.payments)


def at(business_date: dt.date, minute: int, zone: dt.tzinfo) -> dt.datetime:
    """The aware UTC time ``minute`` minutes after the office opens on ``business_date``."""
    opened = dt.datetime.combine(business_date, OPENS, tzinfo=zone)
    return (opened + dt.timedelta(minutes=minute)).astimezone(dt.UTC)


def check_size(payments: int) -> None:
    if not 20 <= payments <= MAX_PAYMENTS:
        raise ValidationError(f"A demo day has 20 to {MAX_PAYMENTS:,} payments, not {payments:,}")


def plan_day(
    payables: Sequence[Payable],
    payments: int,
    seed: int,
    drawers: Sequence[tuple[str, str, CloseKind]],
    short_beyond: Money,
) -> DayPlan:
    """The day: ``payments`` payments on ``payables`` (mail one in ``MAIL_SHARE``, the rest
    shared by ``drawers`` — (station, cashier, how it closes)), a SHORT drawer short by more
    than ``short_beyond``."""
    check_size(payments)
    if not payables:
        raise ValidationError("A demo day needs accounts to take payments on: load a demo city")
    rng = random.Random(seed)
    mail_count = max(1, payments // MAIL_SHARE)
    at_counter = payments - mail_count
    planned = []
    for i, (station, cashier, close) in enumerate(drawers):
        count = at_counter // len(drawers) + (1 if i < at_counter % len(drawers) else 0)
        taken = _drawer_payments(rng, payables, count)
        short = (
            short_beyond + Money(rng.randrange(100, 900)) if close is CloseKind.SHORT else Money(0)
        )
        planned.append(DrawerPlan(station, cashier, close, short, taken, _movements(rng, taken)))
    mail = tuple(
        PlannedPayment(MAIL_AT, p.number, amount, _mail_tender(rng, amount))
        for p, amount in (_pick(rng, payables) for _ in range(mail_count))
    )
    checks = [
        i
        for i, p in enumerate(planned[0].payments)
        if p.tender.kind is TenderKind.CHECK and not p.voided
    ]
    if not checks:
        raise ValidationError(
            f"A demo day of {payments} payments is too small for a returned check"
        )
    return DayPlan(tuple(planned), mail, rng.choice(checks))


def _pick(rng: random.Random, payables: Sequence[Payable]) -> tuple[Payable, Money]:
    """An account and what is paid on it: the balance owed most often, else part of it or a
    round sum (a payment ahead)."""
    payable = rng.choice(payables)
    roll = rng.random()
    if payable.owed.is_positive and roll < 0.7:
        return payable, payable.owed
    if payable.owed.cents > 2000 and roll < 0.85:
        return payable, Money(rng.randrange(1000, payable.owed.cents, 5))
    return payable, Money(rng.choice((2500, 4000, 5000, 7500, 10000)))


def _drawer_payments(
    rng: random.Random, payables: Sequence[Payable], count: int
) -> tuple[PlannedPayment, ...]:
    minutes = sorted(rng.randint(FIRST_PAYMENT, LAST_PAYMENT) for _ in range(count))
    taken = []
    for minute in minutes:
        payable, amount = _pick(rng, payables)
        taken.append(
            PlannedPayment(
                minute,
                payable.number,
                amount,
                _counter_tender(rng, amount),
                voided=rng.randrange(VOID_EVERY) == 0 and minute < LAST_PAYMENT - VOID_AFTER,
            )
        )
    return tuple(taken)


def _counter_tender(rng: random.Random, amount: Money) -> TenderEntry:
    roll = rng.random()
    if roll < 0.45:  # cash, handed over in round notes: change is given
        step = rng.choice((100, 500, 2000))
        tendered = Money(-(-amount.cents // step) * step)
        return TenderEntry(TenderKind.CASH, tendered)
    if roll < 0.75:
        return _check(rng, amount)
    if roll < 0.82:
        return TenderEntry(
            TenderKind.MONEY_ORDER, amount, reference=f"MO-{rng.randrange(10**6):06d}"
        )
    return TenderEntry(
        TenderKind.CARD,
        amount,
        card_last4=f"{rng.randrange(10**4):04d}",
        auth_code=f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randrange(10**5):05d}",
    )


def _check(rng: random.Random, amount: Money) -> TenderEntry:
    return TenderEntry(
        TenderKind.CHECK, amount, reference=str(rng.randrange(1001, 9999)), bank=rng.choice(BANKS)
    )


def _mail_tender(rng: random.Random, amount: Money) -> TenderEntry:
    """A check (the payments file has no bank column) or a money order."""
    if rng.random() < 0.9:
        return TenderEntry(TenderKind.CHECK, amount, reference=str(rng.randrange(1001, 9999)))
    return TenderEntry(TenderKind.MONEY_ORDER, amount, reference=f"MO-{rng.randrange(10**6):06d}")


def _movements(rng: random.Random, taken: Sequence[PlannedPayment]) -> tuple[PlannedMovement, ...]:
    """A paid-in, a paid-out, a no-sale, and a drop of the cash taken beyond ``DROP_KEEPS``
    at noon and at three (whole $100s)."""
    moves = [
        PlannedMovement(rng.randint(90, 150), MovementKind.PAID_IN, Money(2000), "Copy fees"),
        PlannedMovement(
            rng.randint(300, 360),
            MovementKind.PAID_OUT,
            Money(rng.randrange(500, 2000, 5)),
            "Postage for certified letters",
        ),
        PlannedMovement(rng.randint(200, 260), MovementKind.NO_SALE, Money(0), "Change for a $20"),
    ]
    dropped = Money(0)
    for minute in DROPS_AT:
        cash = Money(
            sum(
                p.amount.cents
                for p in taken
                if p.minute < minute and p.tender.kind is TenderKind.CASH and not p.voided
            )
        )
        spare = (cash - dropped - DROP_KEEPS).cents // 10000 * 10000
        if spare > 0:
            moves.append(
                PlannedMovement(minute, MovementKind.DROP, Money(spare), "Drop to the safe")
            )
            dropped += Money(spare)
    return tuple(sorted(moves, key=lambda m: m.minute))


def cash_count(amount: Money, float_counts: Mapping[str, int] | None = None) -> dict[str, int]:
    """``amount`` counted out in the bills and coin a cashier counts, largest first; with
    ``float_counts``, the float's own bills and coin first (so the float can be kept back
    exactly), when the drawer holds that much."""
    if amount.is_negative:
        raise ValidationError(f"A drawer cannot hold {amount.format()} in cash")
    counts = dict(float_counts or {})
    left = (amount - count_total(counts)).cents
    if left < 0:
        counts, left = {}, amount.cents
    for code in COUNTED_IN:
        value = BY_CODE[code].value.cents
        if left >= value:
            more, left = divmod(left, value)
            counts[code] = counts.get(code, 0) + more
    return counts

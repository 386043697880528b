"""Drawer sessions and cash movements as the services hand them out; the session states
and the steps allowed between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.errors import ValidationError
from counter_app.domain.labels import LabelledEnum
from counter_app.domain.money import Money
from counter_app.domain.text import untrusted_text_refusal


class SessionKind(StrEnum):
    DRAWER = "drawer"  # a cashier's drawer at a station
    BATCH = "batch"  # no drawer: mail and lockbox payments, reversals away from a drawer


class SessionState(LabelledEnum):
    """open → counted → closed → deposited; back to open only by a supervisor override."""

    OPEN = "open", "open"
    COUNTED = "counted", "counted"
    CLOSED = "approved", "closed"  # stored as "approved" (the schema's word): count approved
    DEPOSITED = "deposited", "deposited"


# The steps a session may take, as data: each state's next state(s).
SESSION_STEPS: Mapping[SessionState, frozenset[SessionState]] = {
    SessionState.OPEN: frozenset({SessionState.COUNTED}),
    SessionState.COUNTED: frozenset({SessionState.CLOSED}),
    SessionState.CLOSED: frozenset({SessionState.DEPOSITED}),
    SessionState.DEPOSITED: frozenset(),
}
# Steps back that need a supervisor's override (reopen): never once deposited.
OVERRIDE_STEPS: Mapping[SessionState, frozenset[SessionState]] = {
    SessionState.COUNTED: frozenset({SessionState.OPEN}),
    SessionState.CLOSED: frozenset({SessionState.OPEN}),
}


class SessionStepRefused(ValidationError):
    """A session asked to move to a state it may not reach from where it is."""

    def __init__(self, current: SessionState, target: SessionState, *, needs_override: bool):
        self.current, self.target, self.needs_override = current, target, needs_override
        if needs_override:
            text = f"Reopening a {current.label} session needs a supervisor override"
        else:
            text = f"A {current.label} session cannot become {target.label}"
        super().__init__(text)


def check_step(
    current: SessionState, target: SessionState, *, override: bool = False
) -> SessionState:
    """``target`` when a session in ``current`` may move there (a step back only with
    ``override``); otherwise ``SessionStepRefused``."""
    if target in SESSION_STEPS[current]:
        return target
    back = target in OVERRIDE_STEPS.get(current, frozenset())
    if back and override:
        return target
    raise SessionStepRefused(current, target, needs_override=back)


class MovementKind(LabelledEnum):
    PAID_IN = "paid_in", "Paid-in"
    PAID_OUT = "paid_out", "Paid-out"
    DROP = "drop", "Drop"
    NO_SALE = "no_sale", "No sale"


def check_movement(kind: MovementKind, amount: Money, reason: str) -> tuple[Money, str]:
    """A cash movement's amount (zero for a no-sale) and reason as recorded; refuses one
    with no reason, or with an amount not over zero."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(f"{kind.label}: enter the reason")
    if refusal := untrusted_text_refusal(f"{kind.label} reason", reason):
        raise ValidationError(refusal)
    if kind is MovementKind.NO_SALE:
        return Money(0), reason
    if not amount.is_positive:
        raise ValidationError(f"{kind.label}: the amount must be more than zero")
    return amount, reason


@dataclass(frozen=True)
class SessionInfo:
    id: int
    kind: SessionKind
    user_id: int
    cashier: str
    station: str
    business_date: dt.date
    state: SessionState
    opened_at: dt.datetime
    opening_float: Money


def earlier_session_notice(business_date: dt.date, today: dt.date) -> str:
    """What login says of a drawer still open from an earlier business date (the counter
    still opens on it, to finish that day and close it); "" for a drawer of today."""
    if business_date >= today:
        return ""
    return (
        f"Session of {business_date:%m/%d} still open: close it before today's work. Until "
        f"it is closed, everything at this station belongs to {business_date:%m/%d/%Y}"
    )


@dataclass(frozen=True)
class Movement:
    """A cash movement as recorded, and what its slip prints."""

    id: int
    session_id: int
    kind: MovementKind
    amount: Money
    reason: str
    at: dt.datetime  # aware UTC
    station: str
    cashier: str
    approved_by: str = ""  # the supervisor of a paid-out over the limit


@dataclass(frozen=True)
class SessionTotals:
    """What the status bar shows: receipts posted and money taken in this session."""

    receipts: int
    collected: Money


def paid_out_cause(
    amount: Money, paid_out_before: Money, *, per_paid_out: Money, per_session: Money
) -> str | None:
    """Why a paid-out of ``amount`` needs a supervisor (None when it does not): one over the
    limit for a single paid-out, or one that takes the session's paid-outs past its limit
    (eight $25.00 paid-outs are no smaller than one of $200.00)."""
    subject = f"{MovementKind.PAID_OUT.label} {amount.format()}"
    if amount > per_paid_out:
        return f"{subject} is over the {per_paid_out.format()} limit a cashier pays out alone"
    if paid_out_before + amount > per_session:
        return (
            f"{subject} brings this drawer's paid-outs to {(paid_out_before + amount).format()},"
            f" over the {per_session.format()} a cashier pays out alone in a session"
        )
    return None

"""Drawer sessions and cash movements as the services hand them out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.money import Money


class MovementKind(StrEnum):
    PAID_IN = "paid_in"
    PAID_OUT = "paid_out"
    DROP = "drop"
    NO_SALE = "no_sale"

    @property
    def label(self) -> str:
        return {"paid_in": "Paid-in", "paid_out": "Paid-out", "drop": "Drop", "no_sale": "No sale"}[
            self.value
        ]


@dataclass(frozen=True)
class SessionInfo:
    id: int
    kind: str  # "drawer" or "batch"
    user_id: int
    cashier: str
    station: str
    business_date: dt.date
    state: str
    opened_at: dt.datetime
    opening_float: Money


@dataclass(frozen=True)
class Movement:
    id: int
    session_id: int
    kind: MovementKind
    amount: Money
    reason: str


@dataclass(frozen=True)
class SessionTotals:
    """What the status bar shows: receipts posted and money taken in this session."""

    receipts: int
    collected: Money

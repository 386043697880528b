"""Applying a payment to an account's open charges: oldest bill first, fees first within a
bill (a setting), the remainder as credit on the account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from counter_app.domain.money import Money, total

FEE_KINDS = frozenset({"late_fee", "nsf_fee", "reconnect_fee"})


@dataclass(frozen=True)
class OpenCharge:
    id: int
    kind: str
    bill_date: dt.date
    due_date: dt.date
    open: Money


@dataclass(frozen=True)
class Applied:
    """``charge_id`` None means credit on account."""

    charge_id: int | None
    amount: Money


def payment_order(charges: Sequence[OpenCharge], *, fees_first: bool) -> list[OpenCharge]:
    """The order a payment pays charges in."""

    def key(c: OpenCharge) -> tuple[dt.date, int, dt.date, int]:
        fee_rank = 0 if (fees_first and c.kind in FEE_KINDS) else 1
        return (c.bill_date, fee_rank, c.due_date, c.id)

    return sorted((c for c in charges if c.open.is_positive), key=key)


def pour(amount: Money, rooms: Iterable[tuple[int | None, Money]]) -> tuple[list[Applied], Money]:
    """``amount`` spread over ``rooms`` — (charge id, at most) — in order, each filled before
    the next; returns the parts and what is left over."""
    left = amount
    parts: list[Applied] = []
    for charge_id, room in rooms:
        if not left:
            break
        part = left.min(room)
        parts.append(Applied(charge_id, part))
        left -= part
    return parts, left


def allocate(amount: Money, charges: Sequence[OpenCharge], *, fees_first: bool) -> list[Applied]:
    """Split ``amount`` over ``charges``; whatever is left over is one credit line."""
    if amount.is_negative:
        raise ValueError("allocate takes a positive amount")
    ordered = payment_order(charges, fees_first=fees_first)
    applied, left = pour(amount, ((c.id, c.open) for c in ordered))
    if left:
        applied.append(Applied(None, left))
    return applied


def credit_of(applied: Sequence[Applied]) -> Money:
    """The part of an allocation left as credit on account."""
    return total(a.amount for a in applied if a.charge_id is None)

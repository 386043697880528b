"""Reversal arithmetic, pure: what a void or a returned check takes back from each charge
and from the credit, which tenders go back, and what cash leaves the drawer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from counter_app.domain.allocation import Applied, pour
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.refusals import CreditAlreadyUsed


@dataclass(frozen=True)
class PaidPart:
    """One allocation of the payment being reversed (``charge_id`` None: credit); ``id``
    orders them as they were paid."""

    id: int
    charge_id: int | None
    amount: Money


def take_back(
    amount: Money, parts: Sequence[PaidPart], *, credit_on_file: Money, account_number: str
) -> list[Applied]:
    """What taking ``amount`` of a payment back undoes: its credit first, then the charges
    it paid, newest first, each at most what was applied to it. Refused when the credit it
    left is no longer on file (``credit_on_file``)."""
    if amount.is_negative or amount > total(p.amount for p in parts):
        raise ValueError("take_back takes at most what the payment applied")
    newest_first = sorted(parts, key=_newest_first)
    undone, _ = pour(amount, ((p.charge_id, p.amount) for p in newest_first))
    if any(u.charge_id is None and u.amount > credit_on_file for u in undone):
        raise CreditAlreadyUsed(account_number)
    return undone


def _newest_first(part: PaidPart) -> tuple[int, int]:
    # Credit (no charge) first, then charges in the reverse of the order they were paid.
    return (0 if part.charge_id is None else 1, -part.id)


@dataclass(frozen=True)
class VoidRefund:
    """What a void hands back: (index of the original tender, amount) per line, non-cash
    tenders in full and in order, then one cash line of the cash the drawer kept."""

    lines: tuple[tuple[int, Money], ...]
    cash_out: Money  # the cash that leaves the drawer: cash tendered less the change

    @property
    def handed_back(self) -> Money:
        return total(amount for _, amount in self.lines)


def void_refund(tenders: Sequence[tuple[TenderKind, Money]], change: Money) -> VoidRefund:
    """The tenders of a voided transaction going back; the change given is not (it already
    left the drawer)."""
    lines = [(i, amount) for i, (kind, amount) in enumerate(tenders) if kind is not TenderKind.CASH]
    cash = [i for i, (kind, _) in enumerate(tenders) if kind is TenderKind.CASH]
    cash_out = total(tenders[i][1] for i in cash) - change
    if cash_out.is_negative:
        raise ValueError("change is given only from cash")
    if cash_out:
        lines.append((cash[0], cash_out))
    return VoidRefund(tuple(lines), cash_out)


@dataclass(frozen=True)
class CheckReturn:
    """A returned check spread over the payments it paid: ``parts`` per payment (in order,
    adding up to the check, at most the payment), ``fee_payment`` the index whose account
    is billed the returned-check fee (the largest part)."""

    parts: tuple[Money, ...]
    fee_payment: int


def split_returned_check(check: Money, payments: Sequence[Money]) -> CheckReturn:
    """Spread ``check`` over ``payments`` in proportion (largest remainder: to the cent)."""
    parts = check.min(total(payments)).split([p.cents for p in payments])
    fee_payment = max(range(len(parts)), key=lambda i: parts[i])  # the first largest
    return CheckReturn(tuple(parts), fee_payment)

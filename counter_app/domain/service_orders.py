"""Service orders: work for the field crew that a payment at the counter asks for. Paying
what restores a disconnected account's service orders its reconnect (turn-on); a void of
that receipt cancels the order. Nothing is deleted: a cancelled order stays, saying who
cancelled it and when."""

from __future__ import annotations

from counter_app.domain.accounts import AccountStatus
from counter_app.domain.labels import LabelledEnum


class ServiceOrderKind(LabelledEnum):
    RECONNECT = "reconnect", "Reconnect"


class ServiceOrderState(LabelledEnum):
    ORDERED = "ordered", "ordered"
    CANCELLED = "cancelled", "cancelled"


NUMBER_LENGTH = 40  # the column; a receipt number is at most 30


def order_number(receipt_number: str, index: int) -> str:
    """The number of the ``index``-th order (from 0) a receipt placed: ``SO-`` and the
    receipt's number (``SO-W02-20261123-0042``), then ``-2``, ``-3`` for more accounts on
    the same receipt. Unique because receipt numbers are, and it names its receipt."""
    return f"SO-{receipt_number}" + (f"-{index + 1}" if index else "")


ORDERED = "Reconnect ordered"  # on the receipt, before the order's number
CANCELLED = "Reconnect cancelled"  # on the VOID slip that cancelled it


class CrewStatus(LabelledEnum):
    """Where a turn-on order stands for the field crew: its own state and its account's
    status now (the billing system's file says when service is on again)."""

    TO_DO = "to_do", "to do"
    CONNECTED = "connected", "done: the account is connected again"
    DISCONNECTED = "disconnected", "do not go: disconnected again (a returned check)"
    CLOSED = "closed", "do not go: the account is closed"
    CANCELLED = "cancelled", "cancelled: its receipt was voided"


def crew_status(state: ServiceOrderState, account: AccountStatus) -> CrewStatus:
    """An order is the crew's to do while it stands and its account waits for the
    reconnect; a void cancels it; a returned check (disconnected again) or a closed
    account calls the crew off; any other status means service is on again."""
    if state is ServiceOrderState.CANCELLED:
        return CrewStatus.CANCELLED
    return {
        AccountStatus.RECONNECT_ORDERED: CrewStatus.TO_DO,
        AccountStatus.DISCONNECTED: CrewStatus.DISCONNECTED,
        AccountStatus.CLOSED: CrewStatus.CLOSED,
    }.get(account, CrewStatus.CONNECTED)

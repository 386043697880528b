"""Turn-on service orders, inside the units of work that make and undo them: the payment
that restores a disconnected account's service bills the reconnect fee (unless one is open)
and orders the reconnect (``posting``); a void of that receipt cancels the order and its fee
(``voids``). Receipts and the account view read the orders back from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from counter_app.db.models import Account, Charge, ServiceOrder, Transaction, User, table_of
from counter_app.domain.accounts import AccountStatus
from counter_app.domain.money import Money
from counter_app.domain.payments import RECONNECT_FEE
from counter_app.domain.service_orders import (
    CrewStatus,
    ServiceOrderKind,
    ServiceOrderState,
    crew_status,
    order_number,
)
from counter_app.domain.users import Role
from counter_app.services import audit
from counter_app.services.context import Context

_CHARGES = table_of(Charge)
MAY_LIST = frozenset({Role.SUPERVISOR, Role.ADMIN})  # it names customers, addresses


@dataclass
class _Pending:
    account: Account
    number: str
    fee: Fee | None


@dataclass(frozen=True)
class Fee:
    """A reconnect fee billed as its charge ``charge_id``."""

    charge_id: int
    cents: int


@dataclass
class ReconnectOrders:
    """The turn-on orders of one transaction being posted as receipt ``receipt_number`` by
    ``user_id`` at ``station``: fees billed as its payments are applied, the orders written
    once the transaction has its id (``record``)."""

    session: Session
    ctx: Context
    receipt_number: str
    user_id: int
    station: str
    _pending: list[_Pending] = field(default_factory=list)
    _fees: dict[int, Fee] = field(default_factory=dict)  # by account id

    def bill_fee(self, account: Account, fee: Money) -> int:
        """Bill ``fee`` (what the screen showed: the office's reconnect fee) on ``account``,
        dated today like the returned-check fee; the new charge's id, for a payment to pay
        it."""
        number = self._next_number()
        today = self.ctx.today()
        charge_id = (
            self.session.connection()
            .execute(
                insert(_CHARGES)
                .values(
                    external_id=f"RCF-{number}",
                    account_id=account.id,
                    kind=RECONNECT_FEE,
                    description=f"Reconnect fee ({number})",
                    bill_date=today,
                    due_date=today,
                    amount_cents=fee.cents,
                    open_cents=fee.cents,
                    billed_open_cents=fee.cents,
                    created_at=self.ctx.now(),
                )
                .returning(_CHARGES.c.id)
            )
            .scalar_one()
        )
        self._fees[account.id] = Fee(charge_id, fee.cents)
        return int(charge_id)

    def order(self, account: Account) -> None:
        """Order ``account``'s reconnect (with the fee ``bill_fee`` billed it, if any)."""
        fee = self._fees.get(account.id)
        self._pending.append(_Pending(account, self._next_number(), fee))

    def _next_number(self) -> str:
        return order_number(self.receipt_number, len(self._pending))

    def on_receipt(self) -> dict[int, OnReceipt]:
        """The orders placed, as the receipt's account lines tell of them (``on_receipt``)."""
        return {p.account.id: OnReceipt(p.number, cancelled=False) for p in self._pending}

    def record(self, transaction_id: int) -> list[str]:
        """Write the orders of the transaction (flushed), each with its audit event; their
        numbers."""
        for pending in self._pending:
            row = ServiceOrder(
                number=pending.number,
                account_id=pending.account.id,
                kind=ServiceOrderKind.RECONNECT.value,
                transaction_id=transaction_id,
                fee_charge_id=pending.fee.charge_id if pending.fee is not None else None,
                created_at=self.ctx.now(),
                created_by_id=self.user_id,
                station=self.station,
                state=ServiceOrderState.ORDERED.value,
            )
            self.session.add(row)
            self.session.flush()
            audit.record(
                self.session,
                self.ctx,
                "service_order.reconnect",
                user_id=self.user_id,
                entity="service_order",
                entity_id=row.number,
                details={
                    "account": pending.account.number,
                    "receipt": self.receipt_number,
                    "fee_billed_cents": pending.fee.cents if pending.fee else 0,
                },
            )
        return [p.number for p in self._pending]


def cancel_for_void(
    session: Session,
    ctx: Context,
    original: Transaction,
    account: Account,
    void: Transaction,
    user_id: int,
) -> list[str]:
    """Cancel the turn-on orders ``original`` placed for ``account`` (``void`` undoing it):
    state cancelled, by whom, when and which void; a fee an order billed is cancelled too —
    its open amount, which the void's reversal just reopened, back to nothing. Returns what
    the void slip says of each ("Reconnect fee $75.00 cancelled")."""
    said = []
    for row in session.execute(
        select(ServiceOrder)
        .where(
            ServiceOrder.transaction_id == original.id,
            ServiceOrder.account_id == account.id,
            ServiceOrder.state == ServiceOrderState.ORDERED.value,
        )
        .order_by(ServiceOrder.id)
    ).scalars():
        row.state = ServiceOrderState.CANCELLED.value
        row.cancelled_at = ctx.now()
        row.cancelled_by_id = user_id
        row.cancelled_by_transaction_id = void.id
        fee = session.get(Charge, row.fee_charge_id) if row.fee_charge_id is not None else None
        if fee is not None:
            said.append(f"Reconnect fee {Money(fee.open_cents).format()} cancelled")
            fee.open_cents = 0
            # the counter billed it and now takes it back: nothing of it was ever owed, so
            # the charge's baseline goes too (open = billed open − allocations, ``check``)
            fee.billed_open_cents = 0
            fee.description = f"Reconnect fee ({row.number}) cancelled"
        session.flush()
        audit.record(
            session,
            ctx,
            "service_order.cancel",
            user_id=user_id,
            entity="service_order",
            entity_id=row.number,
            reason=void.reason,
            details={"account": account.number, "fee_cancelled": fee is not None},
        )
    return said


@dataclass(frozen=True)
class OnReceipt:
    """A turn-on order a receipt's account line tells of: ``number`` placed by it, or
    (``cancelled``) cancelled by it, a void slip."""

    number: str
    cancelled: bool


def on_receipt(session: Session, transaction_id: int) -> dict[int, OnReceipt]:
    """The orders the transaction placed or (a void) cancelled, by account id."""
    rows = session.execute(
        select(ServiceOrder)
        .where(
            or_(
                ServiceOrder.transaction_id == transaction_id,
                ServiceOrder.cancelled_by_transaction_id == transaction_id,
            )
        )
        .order_by(ServiceOrder.id)
    ).scalars()
    return {
        r.account_id: OnReceipt(r.number, r.cancelled_by_transaction_id == transaction_id)
        for r in rows
    }


def open_orders(session: Session, account_ids: Collection[int]) -> dict[int, str]:
    """The newest turn-on order still ordered of each account, by account id."""
    if not account_ids:
        return {}
    rows = session.execute(
        select(ServiceOrder.account_id, ServiceOrder.number)
        .where(
            ServiceOrder.account_id.in_(list(account_ids)),
            ServiceOrder.state == ServiceOrderState.ORDERED.value,
        )
        .order_by(ServiceOrder.id)
    ).all()
    return {account_id: number for account_id, number in rows}


@dataclass(frozen=True)
class CrewOrder:
    """One turn-on order as the field crew's list shows it."""

    number: str
    status: CrewStatus
    ordered_at: dt.datetime
    station: str
    ordered_by: str
    account_number: str
    customer_name: str
    service_address: str
    phone: str
    meter_number: str
    fee_billed: Money


def crew_list(ctx: Context, *, everything: bool = False) -> list[CrewOrder]:
    """The turn-on orders still to do, oldest first; ``everything``: every order ever
    placed, each with where it stands (``domain.service_orders.crew_status``)."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(
                ServiceOrder.number,
                ServiceOrder.state,
                ServiceOrder.created_at,
                ServiceOrder.station,
                User.full_name,
                Account.number.label("account_number"),
                Account.status,
                Account.customer_name,
                Account.service_address,
                Account.phone,
                Account.meter_number,
                Charge.amount_cents.label("fee_cents"),
            )
            .join(Account, Account.id == ServiceOrder.account_id)
            .join(User, User.id == ServiceOrder.created_by_id)
            .outerjoin(Charge, Charge.id == ServiceOrder.fee_charge_id)
            .order_by(ServiceOrder.id)
        ).all()
    listed = [
        CrewOrder(
            number=row.number,
            status=crew_status(ServiceOrderState(row.state), AccountStatus(row.status)),
            ordered_at=row.created_at,
            station=row.station,
            ordered_by=row.full_name,
            account_number=row.account_number,
            customer_name=row.customer_name,
            service_address=row.service_address,
            phone=row.phone,
            meter_number=row.meter_number,
            fee_billed=Money(row.fee_cents or 0),
        )
        for row in rows
    ]
    # what is to do is crew_status's to say, not a second rule in SQL
    return listed if everything else [o for o in listed if o.status is CrewStatus.TO_DO]

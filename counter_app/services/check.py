"""``counter-app check``: every money invariant, the digests of the money rows and the keyed
audit chain, each breach listed with what a supervisor can look up.

The invariants are set-based queries (one ``GROUP BY`` each), so the check stays fast on a
big database:

- each charge's open amount = what the billing system left open (``billed_open_cents``) −
  its allocations;
- each payment = its allocations (credit on account is an allocation with no charge) and,
  on a refund, the part paid out of the deposit held;
- each transaction's tenders − change = its payments = its total;
- each account's credit = what the billing system set (``billed_credit_cents``) + its
  credit allocations (posting never spends credit on file; a void takes its credit back);
- receipt numbers run 1, 2, … with no gap per station and business date;
- at most one open drawer per station and per cashier, one open batch per user and date;
- every event's row digest matches the rows as stored, and every money row since the chain
  was keyed is covered by one (a deleted or inserted row shows);
- the audit chain is intact, not truncated or empty, and keyed (``audit.verify``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Account,
    Allocation,
    AuditEvent,
    AuditHead,
    Charge,
    DrawerSession,
    Payment,
    Receipt,
    ReceiptSequence,
    Tender,
    Transaction,
    table_of,
)
from counter_app.domain.money import Money
from counter_app.domain.sessions import SessionKind, SessionState
from counter_app.services import audit, audit_key, ledger_digest
from counter_app.services.context import Context

EVENTS_PER_BATCH = 2_000


@dataclass(frozen=True)
class Breach:
    """One broken rule: ``rule`` names it (as the module docstring lists them)."""

    rule: str
    text: str


@dataclass(frozen=True)
class CheckReport:
    breaches: list[Breach]
    counted: dict[str, int] = field(default_factory=dict)  # rows looked at, by table
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.breaches


def run_check(ctx: Context) -> CheckReport:
    """Check everything in one read (one snapshot on PostgreSQL)."""
    started = time.perf_counter()
    key = audit_key.read_key(ctx.settings.audit.key_file)
    with ctx.db.read() as session:
        breaches = [
            *_charges(session),
            *_payments(session),
            *_transactions(session),
            *_credit(session),
            *_receipt_numbers(session),
            *_open_sessions(session),
        ]
        chain = audit.walk(session, key, ctx.settings.audit.key_file)
        if chain.problem:
            breaches.append(Breach("audit chain", chain.problem))
        breaches += _digests(session)
        counted = {
            t.name: int(session.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (table_of(Charge), table_of(Payment), table_of(Transaction))
        }
        counted["audit_events"] = chain.events
    return CheckReport(breaches, counted, time.perf_counter() - started)


def _sum_by(column: Any, group: Any, *where: Any) -> Any:
    return select(group.label("key"), func.sum(column).label("total")).where(*where).group_by(group)


def _money(cents: Any) -> str:
    return Money(int(cents)).format()


def _charges(session: Session) -> Iterator[Breach]:
    paid = _sum_by(
        Allocation.amount_cents, Allocation.charge_id, Allocation.charge_id.is_not(None)
    ).subquery()
    allocated = func.coalesce(paid.c.total, 0)
    rows = session.execute(
        select(
            Charge.external_id,
            Account.number,
            Charge.open_cents,
            Charge.billed_open_cents,
            allocated,
        )
        .join(Account, Account.id == Charge.account_id)
        .outerjoin(paid, paid.c.key == Charge.id)
        .where(Charge.open_cents != Charge.billed_open_cents - allocated)
        .order_by(Charge.id)
    )
    for external_id, number, open_cents, billed, applied in rows:
        yield Breach(
            "charge open amount",
            f"Charge {external_id} on {number}: open {_money(open_cents)}, but billed open "
            f"{_money(billed)} less {_money(applied)} paid at the counter is "
            f"{_money(int(billed) - int(applied))}",
        )


def _payments(session: Session) -> Iterator[Breach]:
    parts = _sum_by(Allocation.amount_cents, Allocation.payment_id).subquery()
    allocated = func.coalesce(parts.c.total, 0) + Payment.deposit_part_cents
    rows = session.execute(
        select(Payment.id, Receipt.number, Account.number, Payment.amount_cents, allocated)
        .join(Account, Account.id == Payment.account_id)
        .outerjoin(Receipt, Receipt.transaction_id == Payment.transaction_id)
        .outerjoin(parts, parts.c.key == Payment.id)
        .where(Payment.amount_cents != allocated)
        .order_by(Payment.id)
    )
    for payment_id, receipt, number, amount, applied in rows:
        yield Breach(
            "payment = allocations",
            f"Payment #{payment_id} (receipt {receipt}, {number}): {_money(amount)}, but its "
            f"allocations (and any part refunded from the deposit) add up to {_money(applied)}",
        )


def _transactions(session: Session) -> Iterator[Breach]:
    tendered = _sum_by(Tender.amount_cents, Tender.transaction_id).subquery()
    paid = _sum_by(Payment.amount_cents, Payment.transaction_id).subquery()
    tenders = func.coalesce(tendered.c.total, 0)
    payments = func.coalesce(paid.c.total, 0)
    rows = session.execute(
        select(
            Transaction.id,
            Receipt.number,
            Transaction.total_cents,
            Transaction.tendered_cents,
            Transaction.change_cents,
            tenders,
            payments,
        )
        .outerjoin(Receipt, Receipt.transaction_id == Transaction.id)
        .outerjoin(tendered, tendered.c.key == Transaction.id)
        .outerjoin(paid, paid.c.key == Transaction.id)
        .where(
            (tenders - Transaction.change_cents != payments)
            | (Transaction.total_cents != payments)
            | (Transaction.tendered_cents != tenders)
        )
        .order_by(Transaction.id)
    )
    for txn_id, receipt, total, recorded_tendered, change, tender_sum, payment_sum in rows:
        yield Breach(
            "tenders − change = payments",
            f"Transaction #{txn_id} (receipt {receipt}): tenders {_money(tender_sum)} "
            f"(recorded {_money(recorded_tendered)}) less change {_money(change)}, payments "
            f"{_money(payment_sum)}, total {_money(total)}: they must agree",
        )


def _credit(session: Session) -> Iterator[Breach]:
    credits = (
        select(Payment.account_id.label("key"), func.sum(Allocation.amount_cents).label("total"))
        .join(Allocation, Allocation.payment_id == Payment.id)
        .where(Allocation.charge_id.is_(None))
        .group_by(Payment.account_id)
        .subquery()
    )
    counter = func.coalesce(credits.c.total, 0)
    rows = session.execute(
        select(Account.number, Account.credit_cents, Account.billed_credit_cents, counter)
        .outerjoin(credits, credits.c.key == Account.id)
        .where(Account.credit_cents != Account.billed_credit_cents + counter)
        .order_by(Account.id)
    )
    for number, credit, billed, taken in rows:
        yield Breach(
            "account credit",
            f"Account {number}: credit {_money(credit)}, but billed credit {_money(billed)} "
            f"plus {_money(taken)} credited at the counter is "
            f"{_money(int(billed) + int(taken))}",
        )


def _receipt_numbers(session: Session) -> Iterator[Breach]:
    issued = {
        (station, day): int(count)
        for station, day, count in session.execute(
            select(Receipt.station, DrawerSession.business_date, func.count(Receipt.id))
            .join(Transaction, Transaction.id == Receipt.transaction_id)
            .join(DrawerSession, DrawerSession.id == Transaction.session_id)
            .group_by(Receipt.station, DrawerSession.business_date)
        )
    }
    numbered = {
        (station, day): int(last)
        for station, day, last in session.execute(
            select(
                ReceiptSequence.station, ReceiptSequence.business_date, ReceiptSequence.last_value
            )
        )
    }
    for station, day in sorted(issued.keys() | numbered.keys()):
        count, last = issued.get((station, day), 0), numbered.get((station, day), 0)
        if count == last:
            continue
        numbers = session.execute(
            select(Receipt.number)
            .join(Transaction, Transaction.id == Receipt.transaction_id)
            .join(DrawerSession, DrawerSession.id == Transaction.session_id)
            .where(Receipt.station == station, DrawerSession.business_date == day)
        ).scalars()
        prefix = f"{station}-{day:%Y%m%d}-"
        have = {
            int(n[len(prefix) :])
            for n in numbers
            if n.startswith(prefix) and n[len(prefix) :].isdigit()
        }
        missing = [f"{prefix}{seq:04d}" for seq in range(1, last + 1) if seq not in have]
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        yield Breach(
            "receipt numbers gapless",
            f"Station {station}, {day:%m/%d/%Y}: {last} receipt numbers issued but {count} "
            f"receipts stored" + (f"; missing {shown}" if missing else ""),
        )


def _open_sessions(session: Session) -> Iterator[Breach]:
    is_open = DrawerSession.state == SessionState.OPEN.value
    drawer = DrawerSession.kind == SessionKind.DRAWER.value
    groups = (
        ("station", (DrawerSession.station,), drawer),
        ("cashier", (DrawerSession.user_id,), drawer),
        (
            "batch",
            (DrawerSession.user_id, DrawerSession.business_date),
            DrawerSession.kind == SessionKind.BATCH.value,
        ),
    )
    for what, columns, kind in groups:
        rows = session.execute(
            select(*columns, func.count(DrawerSession.id))
            .where(is_open, kind)
            .group_by(*columns)
            .having(func.count(DrawerSession.id) > 1)
        )
        for *key, count in rows:
            named = "/".join(str(k) for k in key)
            yield Breach(
                "one open session",
                f"{count} open {'batch' if what == 'batch' else 'drawer'} sessions for "
                f"{what} {named}: count and close the extra ones",
            )


def _digests(session: Session) -> list[Breach]:
    """Every event's rows as stored against its digest, and every money row since the chain
    was keyed covered by an event."""
    head = session.get(AuditHead, 1)
    if head is None or head.keyed_from_id is None:
        return []  # the chain's own problem says it: not keyed (or empty)
    before = _rows_before(session, head.keyed_from_id)
    breaches: list[Breach] = []
    covered: dict[str, set[int]] = {t: set() for t in ledger_digest.COVERED}
    newest: dict[tuple[str, int], tuple[int, str, dict[str, Any], ledger_digest.Refs]] = {}
    batch: list[tuple[int, str, dict[str, Any], ledger_digest.Refs]] = []
    events = select(AuditEvent.id, AuditEvent.action, AuditEvent.details).order_by(AuditEvent.id)
    for event_id, action, details in session.execute(events.execution_options(yield_per=5_000)):
        refs = ledger_digest.refs_in(details) if isinstance(details, Mapping) else None
        if not refs:
            continue
        item = (event_id, action, dict(details), refs)
        for table, ids in refs.items():
            covered.setdefault(table, set()).update(ids)
        if refs.keys() & ledger_digest.MUTABLE:
            for table, ids in refs.items():
                for row_id in ids:
                    newest[(table, row_id)] = item
            continue
        batch.append(item)
        if len(batch) >= EVENTS_PER_BATCH:
            breaches += _compare(session, batch)
            batch = []
    latest = {item[0]: item for item in newest.values()}
    superseded = {
        event_id
        for event_id, item in latest.items()
        if any(newest[(t, i)][0] != event_id for t, ids in item[3].items() for i in ids)
    }
    batch += [item for event_id, item in sorted(latest.items()) if event_id not in superseded]
    breaches += _compare(session, batch)
    breaches += _uncovered(session, covered, before)
    return breaches


def _rows_before(session: Session, keyed_from_id: int) -> dict[str, int]:
    """The last row ids that existed when an older database's chain was keyed (those are
    covered by the invariants only); none for a chain keyed from its start."""
    details = session.execute(
        select(AuditEvent.details).where(AuditEvent.id == keyed_from_id)
    ).scalar_one_or_none()
    found = details.get("rows_before") if isinstance(details, Mapping) else None
    return {str(t): int(i) for t, i in found.items()} if isinstance(found, Mapping) else {}


def _compare(
    session: Session, batch: list[tuple[int, str, dict[str, Any], ledger_digest.Refs]]
) -> list[Breach]:
    wanted: dict[str, set[int]] = {}
    for _, _, _, refs in batch:
        for table, ids in refs.items():
            wanted.setdefault(table, set()).update(ids)
    stored = ledger_digest.stored_values(session, wanted)
    breaches = []
    for event_id, action, details, refs in batch:
        what = f"Event {event_id} ({action}" + (
            f", receipt {details['receipt']})" if "receipt" in details else ")"
        )
        gone = [f"{t} #{i}" for t, ids in refs.items() for i in ids if i not in stored[t]]
        if gone:
            breaches.append(
                Breach("row digests", f"{what}: its rows {', '.join(gone)} were deleted")
            )
            continue
        rows = [(t, stored[t][i]) for t, ids in refs.items() for i in ids]
        if ledger_digest.digest(rows) != details["rows"].get("digest"):
            listed = ", ".join(f"{t} #{i}" for t, ids in refs.items() for i in ids)
            breaches.append(
                Breach(
                    "row digests",
                    f"{what}: the rows it wrote were changed since ({listed})",
                )
            )
    return breaches


def _uncovered(
    session: Session, covered: Mapping[str, set[int]], before: Mapping[str, int]
) -> Iterator[Breach]:
    for table_name, (model, _) in ledger_digest.COVERED.items():
        column = table_of(model).c.id
        ids = session.execute(
            select(column).where(column > before.get(table_name, 0)).order_by(column)
        ).scalars()
        stray = [i for i in ids if i not in covered[table_name]]
        if stray:
            shown = ", ".join(f"#{i}" for i in stray[:10])
            more = f" and {len(stray) - 10} more" if len(stray) > 10 else ""
            yield Breach(
                "row digests",
                f"{len(stray)} {table_name} row(s) are in no audit event ({shown}{more}): "
                "written outside Counter",
            )

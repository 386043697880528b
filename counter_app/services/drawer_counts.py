"""Counts as rows: storing a count (never overwriting one) and reading them back, inside
the caller's unit of work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from counter_app.db.models import DrawerCountItem, DrawerCountLine, DrawerCountRow, User
from counter_app.domain.closeout import Tape, TapeCheck
from counter_app.domain.counts import CountKind, CountLineKind
from counter_app.domain.denominations import line_amount
from counter_app.domain.end_of_day import CountRecord
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.services.context import Context


def store_count(
    session: Session,
    ctx: Context,
    session_id: int,
    kind: CountKind,
    *,
    counted_by: int,
    cash: Mapping[str, int],
    counted: Mapping[TenderKind, Money] | None = None,
    expected: Mapping[TenderKind, Money] | None = None,
    card_batch: Money = Money(0),  # noqa: B008 - Money is immutable
    ticked: Iterable[int] = (),
    tape: TapeCheck | None = None,
    verified_by: int | None = None,
) -> DrawerCountRow:
    """A new count of ``kind`` for the session, attempt one more than the last: its
    denominations, its tenders' counted totals beside the expected figures, its ticks."""
    last = session.execute(
        select(func.coalesce(func.max(DrawerCountRow.attempt), 0)).where(
            DrawerCountRow.session_id == session_id, DrawerCountRow.kind == kind.value
        )
    ).scalar_one()
    row = DrawerCountRow(
        session_id=session_id,
        kind=kind.value,
        attempt=int(last) + 1,
        counted_by_id=counted_by,
        verified_by_id=verified_by,
        counted_at=ctx.now(),
        card_batch_cents=card_batch.cents,
    )
    session.add(row)
    session.flush()
    lines = [
        DrawerCountLine(
            count_id=row.id,
            kind=CountLineKind.DENOMINATION.value,
            code=code,
            quantity=n,
            cents=line_amount(code, n).cents,
        )
        for code, n in cash.items()
    ]
    for tender, amount in (counted or {}).items():
        lines.append(
            DrawerCountLine(
                count_id=row.id,
                kind=CountLineKind.TENDER.value,
                code=tender.value,
                cents=amount.cents,
                expected_cents=(expected or {}).get(tender, Money(0)).cents,
            )
        )
    if tape is not None:
        for line_kind, figures in (
            (CountLineKind.TAPE, tape.tape),
            (CountLineKind.POSTED, tape.posted),
        ):
            lines.append(
                DrawerCountLine(
                    count_id=row.id,
                    kind=line_kind.value,
                    code=line_kind.value,
                    quantity=figures.items,
                    cents=figures.total.cents,
                )
            )
    session.add_all(lines)
    session.flush()
    items = [{"count_id": row.id, "tender_id": t} for t in sorted(set(ticked))]
    if items:  # one executemany, not an ORM object per check
        session.execute(insert(DrawerCountItem), items)
    return row


def count_records(
    session: Session, session_ids: Sequence[int], *, count_id: int | None = None
) -> dict[int, list[CountRecord]]:
    """Every count of the sessions (only count ``count_id``, when given), by session, in
    the order they were made."""
    if not session_ids:
        return {}
    chosen = select(DrawerCountRow).where(DrawerCountRow.session_id.in_(session_ids))
    if count_id is not None:
        chosen = chosen.where(DrawerCountRow.id == count_id)
    rows = session.execute(chosen.order_by(DrawerCountRow.id)).scalars().all()
    ids = [r.id for r in rows]
    lines: dict[int, list[DrawerCountLine]] = {i: [] for i in ids}
    ticks: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for line in session.execute(
            select(DrawerCountLine)
            .where(DrawerCountLine.count_id.in_(ids))
            .order_by(DrawerCountLine.id)
        ).scalars():
            lines[line.count_id].append(line)
        for count_id, tender_id in session.execute(
            select(DrawerCountItem.count_id, DrawerCountItem.tender_id)
            .where(DrawerCountItem.count_id.in_(ids))
            .order_by(DrawerCountItem.tender_id)
        ):
            ticks[count_id].append(tender_id)
    people = {r.counted_by_id for r in rows} | {r.verified_by_id for r in rows if r.verified_by_id}
    names = user_names(session, people)
    found: dict[int, list[CountRecord]] = {i: [] for i in session_ids}
    for row in rows:
        found[row.session_id].append(_record(row, lines[row.id], ticks[row.id], names))
    return found


def _record(
    row: DrawerCountRow, lines: list[DrawerCountLine], ticks: list[int], names: dict[int, str]
) -> CountRecord:
    by_kind: dict[str, list[DrawerCountLine]] = {}
    for line in lines:
        by_kind.setdefault(line.kind, []).append(line)
    tenders = by_kind.get(CountLineKind.TENDER.value, [])
    tape = None
    if CountLineKind.TAPE.value in by_kind:
        [written] = by_kind[CountLineKind.TAPE.value]
        [posted] = by_kind[CountLineKind.POSTED.value]
        tape = TapeCheck(
            Tape(written.quantity, Money(written.cents)), Tape(posted.quantity, Money(posted.cents))
        )
    return CountRecord(
        id=row.id,
        session_id=row.session_id,
        kind=CountKind(row.kind),
        attempt=row.attempt,
        counted_by=names.get(row.counted_by_id, ""),
        verified_by=names.get(row.verified_by_id, "") if row.verified_by_id else "",
        counted_at=row.counted_at,
        cash={
            line.code: line.quantity for line in by_kind.get(CountLineKind.DENOMINATION.value, [])
        },
        counted={TenderKind(line.code): Money(line.cents) for line in tenders},
        expected={TenderKind(line.code): Money(line.expected_cents or 0) for line in tenders},
        card_batch=Money(row.card_batch_cents),
        ticked=tuple(ticks),
        tape=tape,
    )


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Full names of the users ``ids`` (None left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(wanted)))
    return {id_: name for id_, name in rows}

"""Counts as rows: storing a count (never overwriting one) and reading them back, inside
the caller's unit of work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Base,
    DrawerCountItem,
    DrawerCountLine,
    DrawerCountRow,
    User,
    table_of,
)
from counter_app.domain.closeout import Tape, TapeCheck
from counter_app.domain.counts import CountKind, CountLineKind
from counter_app.domain.denominations import line_amount
from counter_app.domain.end_of_day import CountRecord
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.services import bulk, ledger_digest
from counter_app.services.context import Context


@dataclass(frozen=True)
class StoredCount:
    """A count just stored: its row, its lines and ticks as written (bulk, no readback),
    what its audit event covers (``rows``) and its ``CountRecord``."""

    row: DrawerCountRow
    lines: tuple[DrawerCountLine, ...]
    ticked: tuple[int, ...]

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def attempt(self) -> int:
        return self.row.attempt

    @property
    def rows(self) -> list[DrawerCountRow | ledger_digest.Values]:
        """The count, its lines and its ticks, for ``audit.record(rows=…)``."""
        lines = ledger_digest.COVERED["drawer_count_lines"][1]
        return [
            self.row,
            *(ledger_digest.Values("drawer_count_lines", _values(ln, lines)) for ln in self.lines),
            *(ledger_digest.Values("drawer_count_items", (self.row.id, t)) for t in self.ticked),
        ]

    def record(self, names: Mapping[int, str]) -> CountRecord:
        """The count as ``count_records`` reads it back; ``names``: the counter's and the
        verifier's full names by user id."""
        return _record(self.row, list(self.lines), list(self.ticked), dict(names))


def _values(row: Base, columns: Sequence[str]) -> tuple[Any, ...]:
    return tuple(getattr(row, c) for c in columns)


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
) -> StoredCount:
    """A new count of ``kind`` for the session, attempt one more than the last: its
    denominations, its tenders' counted totals beside the expected figures, its ticks.
    The lines and ticks go in as bulk inserts (COPY on PostgreSQL), not ORM objects."""
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
        _line(row.id, CountLineKind.DENOMINATION, code, n, line_amount(code, n))
        for code, n in cash.items()
    ]
    lines += [
        _line(row.id, CountLineKind.TENDER, tender.value, 0, amount, (expected or {}).get(tender))
        for tender, amount in (counted or {}).items()
    ]
    if tape is not None:
        lines += [
            _line(row.id, line_kind, line_kind.value, figures.items, figures.total)
            for line_kind, figures in (
                (CountLineKind.TAPE, tape.tape),
                (CountLineKind.POSTED, tape.posted),
            )
        ]
    if lines:
        columns = ledger_digest.COVERED["drawer_count_lines"][1]
        bulk.insert_rows(
            session, table_of(DrawerCountLine), columns, [_values(ln, columns) for ln in lines]
        )
    ticks = tuple(sorted(set(ticked)))
    if ticks:
        bulk.insert_rows(
            session,
            table_of(DrawerCountItem),
            ["tender_id"],
            [(t,) for t in ticks],
            constants={"count_id": row.id},
        )
    return StoredCount(row, tuple(lines), ticks)


def _line(
    count_id: int,
    kind: CountLineKind,
    code: str,
    quantity: int,
    amount: Money,
    expected: Money | None = None,
) -> DrawerCountLine:
    """A line as it is stored (a transient object: written in bulk, never added)."""
    return DrawerCountLine(
        count_id=count_id,
        kind=kind.value,
        code=code,
        quantity=quantity,
        cents=amount.cents,
        expected_cents=None if kind is not CountLineKind.TENDER else (expected or Money(0)).cents,
    )


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

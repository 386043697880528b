"""The bank deposit: built from one or more closed sessions of a business date, made once.

Cash is each drawer's last close count less the float kept for tomorrow (setting
``closeout.float_kept_by_denomination``, else ``closeout.float_kept``, else the session's
own opening float), by denomination; a batch's cash (mail has no denomination count) is
one currency line of its own, "Cash from batch #12", counted into the currency total, so
currency and coin add up to the cash deposited. Checks and money orders are itemised:
those the drawer's count ticked, or every one a batch took, net of voids in the session —
so the checks total is what the sessions took less what was voided the same day; those a
close count marked missing are named as not deposited, with who approved that close. A
returned check is the bank's chargeback and never comes off a deposit. A session is
deposited once: its row in ``deposit_sessions`` has the session as primary key.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Deposit as DepositRow,
)
from counter_app.db.models import (
    DepositLineRow,
    DepositSession,
    DrawerSession,
    User,
    table_of,
)
from counter_app.domain.counts import ITEM_TENDERS, CountItem, CountKind, split_cash
from counter_app.domain.denominations import DENOMINATIONS
from counter_app.domain.deposits import (
    Deposit,
    DepositLine,
    DepositLineKind,
    NotDeposited,
    check_list_csv,
)
from counter_app.domain.end_of_day import CountRecord
from counter_app.domain.errors import NotFound, PermissionDenied, ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import SessionKind, SessionState
from counter_app.domain.text import untrusted_text_refusal
from counter_app.domain.users import Role
from counter_app.services import audit, bulk, closeout, drawer_counts, ledger_digest, sessions
from counter_app.services.context import Context

SLIP_TRIES = 5


def _supervisor(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active or not Role(user.role).can_approve:
        raise PermissionDenied("Deposits are a supervisor's: a supervisor must do this")
    return user


def _keep(ctx: Context, row: DrawerSession) -> Money | dict[str, int]:
    setting = ctx.settings.closeout
    if setting.float_kept_by_denomination:
        return dict(setting.float_kept_by_denomination)
    return setting.float_kept if setting.float_kept is not None else Money(row.opening_float_cents)


def _refuse_unless_depositable(
    session: Session, row: DrawerSession, business_date: dt.date
) -> None:
    state = SessionState(row.state)
    if state is SessionState.DEPOSITED:
        slip = session.execute(
            select(DepositRow.slip_number)
            .join(DepositSession, DepositSession.deposit_id == DepositRow.id)
            .where(DepositSession.session_id == row.id)
        ).scalar_one_or_none()
        raise ValidationError(
            f"Session #{row.id} is already on deposit slip {slip}: a session is deposited once"
        )
    if state is not SessionState.CLOSED:
        raise ValidationError(
            f"Session #{row.id} is {state.label}: only a closed session is deposited (count "
            "it, and have a supervisor approve any over/short)"
        )
    if row.business_date != business_date:
        raise ValidationError(
            f"Session #{row.id} is of {row.business_date:%m/%d/%Y}, not "
            f"{business_date:%m/%d/%Y}: deposit each business date on its own slip"
        )


def _last_close(counts: dict[int, list[CountRecord]], row: DrawerSession) -> CountRecord:
    closes = [c for c in counts[row.id] if c.kind is CountKind.CLOSE]
    if not closes:
        raise ValidationError(f"Session #{row.id} has no close count")
    return closes[-1]


def _drawer_items(
    session: Session, row: DrawerSession, close: CountRecord
) -> tuple[list[CountItem], list[CountItem]]:
    """A drawer's checks and money orders: those its close count ticked (deposited) and
    those it marked missing (not deposited)."""
    ticked = set(close.ticked)
    items = closeout.session_items(session, row.id)
    return [i for i in items if i.tender_id in ticked], [
        i for i in items if i.tender_id not in ticked
    ]


def _item_line(item: CountItem, session_id: int) -> DepositLine:
    return DepositLine(
        DepositLineKind(item.kind.value),
        item.amount,
        tender_id=item.tender_id,
        session_id=session_id,
        number=item.number,
        bank=item.bank,
        accounts=item.accounts,
    )


def _lines(
    session: Session, ctx: Context, rows: Sequence[DrawerSession]
) -> tuple[list[DepositLine], Money, list[NotDeposited]]:
    """The deposit's lines from the sessions (currency and coin by denomination, then each
    batch's cash, then the items), the float kept back, and what was missing at a close."""
    cash: Counter[str] = Counter()
    batch_cash: list[DepositLine] = []
    kept = Money(0)
    items: list[DepositLine] = []
    missing: list[tuple[DrawerSession, CountItem]] = []  # ticked off as missing at a close
    counts = drawer_counts.count_records(session, [r.id for r in rows])
    for row in rows:
        if row.kind == SessionKind.BATCH:
            taken = closeout.session_items(session, row.id, (TenderKind.CASH, *ITEM_TENDERS))
            if cash_taken := total(i.amount for i in taken if i.kind is TenderKind.CASH):
                batch_cash.append(
                    DepositLine(DepositLineKind.CURRENCY, cash_taken, session_id=row.id)
                )
            chosen = [i for i in taken if i.kind is not TenderKind.CASH]
        else:
            close = _last_close(counts, row)
            split = split_cash(close.cash, _keep(ctx, row))
            cash.update(split.deposited)
            kept += split.kept_total
            chosen, lost = _drawer_items(session, row, close)
            missing.extend((row, item) for item in lost)
        items.extend(_item_line(i, row.id) for i in chosen)
    lines = [
        DepositLine(
            DepositLineKind.CURRENCY if d.kind == "currency" else DepositLineKind.COIN,
            d.value * cash[d.code],
            denomination=d.code,
            quantity=cash[d.code],
        )
        for d in DENOMINATIONS
        if cash[d.code]
    ]
    return lines + batch_cash + items, kept, _not_deposited(session, missing)


def _missing_at_close(
    session: Session, rows: Sequence[DrawerSession], counts: dict[int, list[CountRecord]]
) -> list[tuple[DrawerSession, CountItem]]:
    """The checks and money orders the drawers' last close counts marked missing."""
    return [
        (row, item)
        for row in rows
        if row.kind != SessionKind.BATCH
        for item in _drawer_items(session, row, _last_close(counts, row))[1]
    ]


def _not_deposited(
    session: Session, missing: Sequence[tuple[DrawerSession, CountItem]]
) -> list[NotDeposited]:
    """Each item missing at a drawer's close, with the supervisor who approved that close."""
    approvers = drawer_counts.user_names(session, {row.approved_by_id for row, _ in missing})
    return [
        NotDeposited(_item_line(item, row.id), approvers.get(row.approved_by_id or 0, ""))
        for row, item in missing
    ]


def _checked_ids(session_ids: Sequence[int]) -> list[int]:
    ids = sorted(set(session_ids))
    if not ids:
        raise ValidationError("Tick the sessions to deposit")
    return ids


def deposit_draft(
    ctx: Context, business_date: dt.date, session_ids: Sequence[int], user_id: int
) -> Deposit:
    """What the deposit of these sessions would hold (nothing is written): for the
    supervisor to check currency, coin and the checks before making it."""
    ids = _checked_ids(session_ids)
    with ctx.db.read() as session:
        _supervisor(session, user_id)
        rows = [sessions.lock_session(session, i, exclusive=False) for i in ids]
        for row in rows:
            _refuse_unless_depositable(session, row, business_date)
        lines, kept, missing = _lines(session, ctx, rows)
        return _deposit(ctx, 0, "", business_date, ids, lines, kept, missing)


def _deposit(
    ctx: Context,
    id_: int,
    slip: str,
    business_date: dt.date,
    ids: Sequence[int],
    lines: Sequence[DepositLine],
    kept: Money,
    missing: Sequence[NotDeposited],
    *,
    created_by: str = "",
    created_at: dt.datetime | None = None,
) -> Deposit:
    bank = ctx.settings.closeout
    return Deposit(
        id=id_,
        slip_number=slip,
        business_date=business_date,
        bank_name=bank.bank_name,
        account_name=bank.bank_account_name,
        account_number=bank.bank_account_number,
        session_ids=tuple(ids),
        lines=tuple(lines),
        float_kept=kept,
        created_by=created_by,
        created_at=created_at,
        not_deposited=tuple(missing),
    )


def _slip_number(session: Session, business_date: dt.date, tries: int) -> str:
    made = session.execute(
        select(func.count(DepositRow.id)).where(DepositRow.business_date == business_date)
    ).scalar_one()
    return f"{business_date:%Y%m%d}-{int(made) + 1 + tries:02d}"


def make_deposit(
    ctx: Context,
    business_date: dt.date,
    session_ids: Sequence[int],
    user_id: int,
    *,
    slip_number: str = "",
) -> Deposit:
    """Make the deposit of these closed sessions of ``business_date`` and mark them
    deposited, or change nothing. ``slip_number`` is the bank slip's (default: the date and
    a sequence, ``20261123-01``). A session already deposited is refused with the slip it
    is on — also when two supervisors deposit it at the same moment."""
    ids = _checked_ids(session_ids)
    slip = slip_number.strip()
    if refusal := untrusted_text_refusal("The slip number", slip):
        raise ValidationError(refusal)
    if len(slip) > 30:
        raise ValidationError("A slip number has at most 30 characters")
    with ctx.db.write() as session:
        user = _supervisor(session, user_id)
        rows = [sessions.lock_session(session, i, exclusive=True) for i in ids]  # in id order
        for row in rows:
            _refuse_unless_depositable(session, row, business_date)
        lines, kept, missing = _lines(session, ctx, rows)
        draft = _deposit(ctx, 0, "", business_date, ids, lines, kept, missing)
        deposit = _insert_deposit(session, ctx, draft, user.id, slip)
        on_slip = [DepositSession(session_id=i, deposit_id=deposit.id) for i in ids]
        try:
            with session.begin_nested():
                session.add_all(on_slip)
                session.flush()
        except IntegrityError:
            raise ValidationError(
                "Another supervisor deposited one of these sessions at the same moment: "
                "nothing was deposited, look at the day's sessions again"
            ) from None
        written = _insert_lines(session, deposit.id, lines)
        steps = []
        for row in rows:
            steps.append(
                closeout.record_step(
                    session,
                    ctx,
                    row,
                    SessionState.DEPOSITED,
                    user.id,
                    reason=f"deposit slip {deposit.slip_number}",
                )
            )
            row.deposit_id = deposit.id
        audit.record(
            session,
            ctx,
            "deposit.make",
            user_id=user.id,
            entity="deposit",
            entity_id=deposit.id,
            details={
                "slip": deposit.slip_number,
                "sessions": ids,
                "currency_cents": draft.currency.cents,
                "coin_cents": draft.coin.cents,
                "checks_cents": draft.checks.cents,
                "items": len(draft.items),
                "float_kept_cents": kept.cents,
            },
            rows=[deposit, *on_slip, *written, *steps],
        )
        return _deposit(
            ctx,
            deposit.id,
            deposit.slip_number,
            business_date,
            ids,
            lines,
            kept,
            missing,
            created_by=user.full_name,
            created_at=deposit.created_at,
        )


def _insert_deposit(
    session: Session, ctx: Context, draft: Deposit, user_id: int, slip: str
) -> DepositRow:
    """The deposit's row; a generated slip number taken at the same moment by another
    deposit moves on to the next one, a typed one already used is refused."""
    for tries in range(SLIP_TRIES):
        row = DepositRow(
            slip_number=slip or _slip_number(session, draft.business_date, tries),
            business_date=draft.business_date,
            currency_cents=draft.currency.cents,
            coin_cents=draft.coin.cents,
            checks_cents=draft.checks.cents,
            total_cents=draft.total.cents,
            created_by_id=user_id,
            created_at=ctx.now(),
            bank_name=draft.bank_name,
            bank_account_name=draft.account_name,
            bank_account_number=draft.account_number,
            float_kept_cents=draft.float_kept.cents,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            if slip:
                raise ValidationError(
                    f"Deposit slip {slip} is already used: type the number on this slip"
                ) from None
            continue
        return row
    raise ValidationError("Other deposits took every slip number tried: try again")


def _insert_lines(
    session: Session, deposit_id: int, lines: Sequence[DepositLine]
) -> list[ledger_digest.Values]:
    """The deposit's lines in one bulk insert (COPY on PostgreSQL); what its event covers."""
    columns = ledger_digest.COVERED["deposit_lines"][1]
    values = [_line_values(deposit_id, line) for line in lines]
    ordered = [[v[c] for c in columns] for v in values]
    if ordered:
        bulk.insert_rows(session, table_of(DepositLineRow), columns, ordered)
    return [ledger_digest.Values("deposit_lines", row) for row in ordered]


def _line_values(deposit_id: int, line: DepositLine) -> dict[str, object]:
    return {
        "deposit_id": deposit_id,
        "kind": line.kind.value,
        "denomination": line.denomination,
        "quantity": line.quantity,
        "cents": line.amount.cents,
        "tender_id": line.tender_id,
        "session_id": line.session_id,
        "reference": line.number,
        "bank": line.bank,
        "accounts": " ".join(line.accounts),
    }


def _stored(session: Session, ctx: Context, row: DepositRow) -> Deposit:
    ids = (
        session.execute(
            select(DepositSession.session_id)
            .where(DepositSession.deposit_id == row.id)
            .order_by(DepositSession.session_id)
        )
        .scalars()
        .all()
    )
    lines = [
        DepositLine(
            DepositLineKind(r.kind),
            Money(r.cents),
            denomination=r.denomination,
            quantity=r.quantity,
            tender_id=r.tender_id,
            session_id=r.session_id,
            number=r.reference,
            bank=r.bank,
            accounts=tuple(r.accounts.split()),
        )
        for r in session.execute(
            select(DepositLineRow)
            .where(DepositLineRow.deposit_id == row.id)
            .order_by(DepositLineRow.id)
        ).scalars()
    ]
    creator = session.get(User, row.created_by_id)
    deposited = session.scalars(
        select(DrawerSession).where(DrawerSession.id.in_(ids)).order_by(DrawerSession.id)
    ).all()
    counts = drawer_counts.count_records(session, ids)
    missing = _not_deposited(session, _missing_at_close(session, deposited, counts))
    return Deposit(
        id=row.id,
        slip_number=row.slip_number,
        business_date=row.business_date,
        bank_name=row.bank_name,
        account_name=row.bank_account_name,
        account_number=row.bank_account_number,
        session_ids=tuple(ids),
        lines=tuple(lines),
        float_kept=Money(row.float_kept_cents),
        created_by=creator.full_name if creator else "",
        created_at=row.created_at,
        not_deposited=tuple(missing),
    )


def get_deposit(ctx: Context, deposit_id: int) -> Deposit:
    with ctx.db.read() as session:
        row = session.get(DepositRow, deposit_id)
        if row is None:
            raise NotFound(f"No deposit #{deposit_id}")
        return _stored(session, ctx, row)


def deposits_of(ctx: Context, business_date: dt.date) -> tuple[Deposit, ...]:
    """The deposits made for a business date, in the order they were made."""
    with ctx.db.read() as session:
        rows = (
            session.execute(
                select(DepositRow)
                .where(DepositRow.business_date == business_date)
                .order_by(DepositRow.id)
            )
            .scalars()
            .all()
        )
        return tuple(_stored(session, ctx, r) for r in rows)


def write_check_list(ctx: Context, deposit_id: int, path: Path) -> Path:
    """The deposit's checks and money orders as CSV for remote deposit capture."""
    path.write_text(check_list_csv(get_deposit(ctx, deposit_id)), encoding="utf-8")
    return path

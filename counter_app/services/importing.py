"""Import accounts and charges from the billing system's CSV files (docs/import-formats.md).

A file goes in whole or not at all. Every row is read and checked, then checked against the
database (a charge's account must exist, …), and every bad row of both checks is reported
at once with its line number (``ImportFailed``); only a file without a bad row is written,
in one unit of work with one audit event. Importing again updates by account number or
charge id and never duplicates; columns a file does not have are left as they are.

A charge imported again keeps what the counter took: its open amount is the file's, but
never more than its amount less the payments already allocated to it here (a file made
before the billing system took in Counter's payments would otherwise undo them). It keeps
its account, too.

An account imported again keeps what the counter changed after the file was made: a row's
``as_of`` says when, and a credit, a status (with its shut-off date) or a "checks not
accepted" flag the counter changed later stays as the counter left it, and is reported
(``ImportResult.notes``). ``accounts.updated_at`` cannot say when — it is the time an import
last wrote the row; posting and reversals leave it alone — so the source is the counter's
own transactions on the account (``_counter_changes``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session, aliased

from counter_app.db.models import Account, Allocation, Charge, Payment, Transaction, table_of
from counter_app.domain.billing_records import with_key_fields, with_search_keys
from counter_app.domain.csv_rows import ParsedFile, Problem, RowFormat, read_csv_rows
from counter_app.domain.errors import ImportFailed, ValidationError
from counter_app.domain.import_formats import ACCOUNTS, AS_OF, CHARGES, Record, fields_of
from counter_app.domain.money import Money
from counter_app.domain.transactions import TransactionKind
from counter_app.services import audit, bulk, lookup, search_index
from counter_app.services.bulk import Progress
from counter_app.services.context import Context

LOOKUP_BATCH = 1_000
WRITE_BATCH = 10_000
PROGRESS_EVERY_LINES = 5_000

Rows = list[tuple[int, Record]]  # (line, record)


@dataclass(frozen=True)
class _Writing:
    """A read file being written inside its unit of work."""

    session: Session
    ctx: Context
    path: Path
    parsed: ParsedFile[Record]
    progress: Progress | None
    kept: list[KeptAccount] = field(default_factory=list)  # filled by the accounts writer

    def refuse_bad_rows(self, found_in_database: Sequence[Problem] = ()) -> None:
        """``refuse_bad_rows`` for this file."""
        refuse_bad_rows(self.path, self.parsed, found_in_database)


# Writes a read file's good rows: (inserted, updated). Before it writes anything it calls
# ``refuse_bad_rows`` with the problems the database check found.
Writer = Callable[[_Writing], tuple[int, int]]


@dataclass(frozen=True)
class KeptAccount:
    """An account whose fields the counter changed after the file's ``as_of``: what was
    kept, each as "credit 25.00 (file 0.00)"."""

    number: str
    as_of: dt.datetime  # aware
    kept: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    kind: str  # "accounts", "charges"
    path: str
    inserted: int
    updated: int
    kept: tuple[KeptAccount, ...] = ()
    notes: tuple[str, ...] = ()  # for the person importing: what was kept, and why

    @property
    def rows(self) -> int:
        return self.inserted + self.updated


def import_accounts(
    ctx: Context, path: str | Path, *, user_id: int | None = None, progress: Progress | None = None
) -> ImportResult:
    """Import an accounts file: new account numbers are added, known ones updated."""
    return _import(ctx, Path(path), ACCOUNTS, _write_accounts, user_id, progress)


def import_charges(
    ctx: Context, path: str | Path, *, user_id: int | None = None, progress: Progress | None = None
) -> ImportResult:
    """Import a charges file: new charge ids are added, known ones updated. Every charge's
    account must already exist."""
    return _import(ctx, Path(path), CHARGES, _write_charges, user_id, progress)


# --- the pipeline every import kind shares ------------------------------------------------
def _import(
    ctx: Context,
    path: Path,
    fmt: RowFormat[Record],
    write: Writer,
    user_id: int | None,
    progress: Progress | None,
) -> ImportResult:
    parsed = read_file(path, fmt, progress)
    if parsed.problems and not parsed.rows:  # e.g. a bad header: nothing to check further
        refuse_bad_rows(path, parsed)
    with ctx.db.write() as session:
        job = _Writing(session, ctx, path, parsed, progress)
        inserted, updated = write(job)
        details: dict[str, Any] = {"file": str(path), "inserted": inserted, "updated": updated}
        if job.kept:
            details["kept"] = {k.number: list(k.kept) for k in job.kept}
        audit.record(
            session,
            ctx,
            f"import.{fmt.name}",
            user_id=user_id,
            entity="file",
            entity_id=path.name[:40],
            details=details,
        )
    ctx.db.refresh_statistics(*lookup.LOOKUP_TABLES)
    notes = kept_notes(job.kept, ctx)
    return ImportResult(fmt.name, str(path), inserted, updated, tuple(job.kept), notes)


def read_file(path: Path, fmt: RowFormat[Any], progress: Progress | None = None) -> ParsedFile[Any]:
    """Read and check every row of a CSV file (UTF-8, a byte-order mark allowed)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as raw:
            return read_csv_rows(_lines(path, raw, size, progress), fmt)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise ValidationError(f"{path}: cannot read the file ({exc.strerror})") from None


def read_lines(path: Path) -> list[str]:
    """Every line of a text file that must be UTF-8 (a byte-order mark allowed): a file in
    another encoding is refused naming the first line that is not, never a traceback."""
    try:
        with open(path, "rb") as raw:
            return list(_lines(path, raw, os.path.getsize(path), None))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise ValidationError(f"{path}: cannot read the file ({exc.strerror})") from None


def _lines(path: Path, raw: Any, size: int, progress: Progress | None) -> Iterator[str]:
    done = 0
    for number, line in enumerate(raw, start=1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise ImportFailed(
                str(path), [(number, "is not UTF-8 text: save the file as CSV UTF-8")]
            ) from None
        done += len(line)
        if progress is not None and number % PROGRESS_EVERY_LINES == 0:
            progress("Reading", done, size)
    if progress is not None:
        progress("Reading", size, size)


def refuse_bad_rows(
    path: Path, parsed: ParsedFile[Any], found_in_database: Sequence[Problem] = ()
) -> None:
    """Raise ``ImportFailed`` with every problem, the file's and the database's, in line
    order; return if there are none."""
    problems = sorted([*parsed.problems, *found_in_database], key=lambda p: p[0])
    if problems:
        raise ImportFailed(str(path), problems)


def _account_ids(session: Session, numbers: Sequence[str]) -> dict[str, int]:
    """Ids of the accounts numbered ``numbers``, by number."""
    found: dict[str, int] = {}
    for start in range(0, len(numbers), LOOKUP_BATCH):
        batch = numbers[start : start + LOOKUP_BATCH]
        rows = session.execute(select(Account.number, Account.id).where(Account.number.in_(batch)))
        found.update((number, id_) for number, id_ in rows)
    return found


def _lock(session: Session, ctx: Context, table: Table) -> None:
    """On PostgreSQL two imports of one kind take turns (SQLite writers always do)."""
    if ctx.db.is_postgres:
        session.execute(text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE"))


def _upsert(
    session: Session,
    table: Table,
    rows: list[tuple[dict[str, Any], int | None]],  # (stored fields, existing id or None)
    changed: set[str],
    progress: Progress | None,
) -> tuple[int, int]:
    """Insert the rows without an id; update the ``changed`` fields of the others."""
    new = [fields for fields, row_id in rows if row_id is None]
    old = [
        {"id": row_id} | {f: v for f, v in fields.items() if f in changed}
        for fields, row_id in rows
        if row_id is not None
    ]
    columns = list(new[0]) if new else []
    done = 0
    for start in range(0, len(new), WRITE_BATCH):
        batch = new[start : start + WRITE_BATCH]
        bulk.insert_rows(session, table, columns, [tuple(r.values()) for r in batch])
        done += len(batch)
        if progress is not None:
            progress("Writing", done, len(rows))
    for start in range(0, len(old), WRITE_BATCH):
        batch = old[start : start + WRITE_BATCH]
        bulk.update_rows(session, table, batch)
        done += len(batch)
        if progress is not None:
            progress("Writing", done, len(rows))
    return len(new), len(old)


# --- accounts -----------------------------------------------------------------------------
def _write_accounts(job: _Writing) -> tuple[int, int]:
    session, ctx, parsed = job.session, job.ctx, job.parsed
    table = table_of(Account)
    as_of = {line: _when(ctx, r.pop(AS_OF, None)) for line, r in parsed.rows}
    job.refuse_bad_rows(_future_as_of(ctx, as_of))
    _lock(session, ctx, table)
    ids = _account_ids(session, [r["number"] for _, r in parsed.rows])
    changed = with_key_fields(fields_of(parsed.columns) - {"number"}) | {"updated_at"}
    job.kept.extend(_keep_counter_changes(session, parsed.rows, as_of, ids, changed))
    now = ctx.now()
    rows = [
        (with_search_keys(r) | {"updated_at": now}, ids.get(r["number"])) for _, r in parsed.rows
    ]
    _set_billed_credit(session, rows)
    inserted, updated = _upsert(session, table, rows, changed, job.progress)
    _replace_words(session, [r["number"] for _, r in parsed.rows])
    return inserted, updated


def _set_billed_credit(session: Session, rows: list[tuple[dict[str, Any], int | None]]) -> None:
    """The credit the file sets is the account's credit; its baseline (``billed_credit_cents``)
    is that less the credit the counter's payments left on it, so the credit still equals
    baseline + credit allocations (``services/check.py``)."""
    ids = [row_id for _, row_id in rows if row_id is not None]
    counter: dict[int, int] = {}
    for start in range(0, len(ids), LOOKUP_BATCH):
        batch = ids[start : start + LOOKUP_BATCH]
        counter.update(
            (account_id, int(cents))  # int(): PostgreSQL sums integers as numeric
            for account_id, cents in session.execute(
                select(Payment.account_id, func.sum(Allocation.amount_cents))
                .join(Allocation, Allocation.payment_id == Payment.id)
                .where(Payment.account_id.in_(batch), Allocation.charge_id.is_(None))
                .group_by(Payment.account_id)
            )
        )
    for fields, row_id in rows:
        fields["billed_credit_cents"] = fields["credit_cents"] - counter.get(row_id or 0, 0)


def _when(ctx: Context, as_of: dt.datetime | None) -> dt.datetime | None:
    """A row's ``as_of``, aware: a time without its offset is office time."""
    if as_of is None or as_of.tzinfo is not None:
        return as_of
    return as_of.replace(tzinfo=ctx.settings.zone)


def _future_as_of(ctx: Context, as_of: dict[int, dt.datetime | None]) -> list[Problem]:
    """A file cannot be as of a time still to come: it would let the file undo what the
    counter does until then."""
    now = ctx.now()
    shown = f"{now.astimezone(ctx.settings.zone):%Y-%m-%d %H:%M}"
    return [
        (
            line,
            f"{AS_OF} {when.isoformat()} is later than now ({shown}): check the cell or "
            "the billing system's clock",
        )
        for line, when in as_of.items()
        if when is not None and when > now
    ]


# The fields the counter changes on an account, kept together: what it is called → fields.
# (The counter never changes the deposit held, so a file's deposit always stands.)
COUNTER_FIELDS: dict[str, tuple[str, ...]] = {
    "credit": ("credit_cents",),
    "status": ("status", "shutoff_date"),
    "checks not accepted": ("checks_not_accepted",),
}


def _keep_counter_changes(
    session: Session,
    rows: Rows,
    as_of: dict[int, dt.datetime | None],
    ids: dict[str, int],
    changed: set[str],
) -> list[KeptAccount]:
    """Give each row the stored value of every field the counter changed after the row's
    ``as_of``; the accounts where that differs from the file, with what was kept."""
    groups = {label: f for label, f in COUNTER_FIELDS.items() if set(f) <= changed}
    dated = {
        ids[r["number"]]: (r, when)
        for line, r in rows
        if (when := as_of[line]) is not None and r["number"] in ids
    }
    if not groups or not dated:
        return []
    latest = _counter_changes(session, list(dated))
    to_keep = {
        account_id: [label for label in groups if latest.get((account_id, label), when) > when]
        for account_id, (_, when) in dated.items()
    }
    to_keep = {account_id: labels for account_id, labels in to_keep.items() if labels}
    kept: list[KeptAccount] = []
    for stored in _accounts(session, list(to_keep)):
        record, when = dated[stored.id]
        described = []
        for label in to_keep[stored.id]:
            counter = {f: getattr(stored, f) for f in groups[label]}
            file = {f: record[f] for f in groups[label]}
            if counter != file:
                described.append(f"{label} {_shown(counter)} (file {_shown(file)})")
            record.update(counter)
        if described:
            kept.append(KeptAccount(stored.number, when, tuple(described)))
    return sorted(kept, key=lambda k: (k.as_of, k.number))


def _shown(values: dict[str, Any]) -> str:
    """Stored field values as a person reads them: ``25.00``, ``shutoff_pending 2026-12-01``,
    ``yes``."""
    out = []
    for name, value in values.items():
        if value is None:
            continue
        if name.endswith("_cents"):
            out.append(str(Money(value)))
        elif isinstance(value, bool):
            out.append("yes" if value else "no")
        else:
            out.append(str(value))
    return " ".join(out)


def _accounts(session: Session, account_ids: Sequence[int]) -> list[Account]:
    found: list[Account] = []
    for start in range(0, len(account_ids), LOOKUP_BATCH):
        batch = account_ids[start : start + LOOKUP_BATCH]
        found.extend(session.execute(select(Account).where(Account.id.in_(batch))).scalars())
    return found


def _counter_changes(
    session: Session, account_ids: Sequence[int]
) -> dict[tuple[int, str], dt.datetime]:
    """When the counter last changed each ``COUNTER_FIELDS`` group of these accounts, by
    (account id, group): the time of the latest transaction that did —

    - credit: a payment with a part on credit (a reversal's takes it back);
    - status: a payment that stopped a shut-off (``payments.status_before``), or a
      reversal of one, which puts it back;
    - checks not accepted: a returned check, which may set the flag.
    """
    original = aliased(Payment)
    changes = {
        "credit": (
            select(Payment.account_id, func.max(Transaction.created_at))
            .join(Transaction, Transaction.id == Payment.transaction_id)
            .join(Allocation, Allocation.payment_id == Payment.id)
            .where(Allocation.charge_id.is_(None))
        ),
        "status": (
            select(Payment.account_id, func.max(Transaction.created_at))
            .join(Transaction, Transaction.id == Payment.transaction_id)
            .where(Payment.status_before.is_not(None))
        ),
        "status undone": (
            select(Payment.account_id, func.max(Transaction.created_at))
            .join(Transaction, Transaction.id == Payment.transaction_id)
            .join(
                original,
                (original.transaction_id == Transaction.reverses_id)
                & (original.account_id == Payment.account_id),
            )
            .where(original.status_before.is_not(None))
        ),
        "checks not accepted": (
            select(Payment.account_id, func.max(Transaction.created_at))
            .join(Transaction, Transaction.id == Payment.transaction_id)
            .where(Transaction.kind == TransactionKind.NSF_REVERSAL.value)
        ),
    }
    latest: dict[tuple[int, str], dt.datetime] = {}
    for start in range(0, len(account_ids), LOOKUP_BATCH):
        batch = account_ids[start : start + LOOKUP_BATCH]
        for name, query in changes.items():
            label = name.removesuffix(" undone")
            rows = session.execute(
                query.where(Payment.account_id.in_(batch)).group_by(Payment.account_id)
            )
            for account_id, at in rows:
                key = (account_id, label)
                latest[key] = max(at, latest.get(key, at))
    return latest


def kept_notes(kept: Sequence[KeptAccount], ctx: Context) -> tuple[str, ...]:
    """One sentence per ``as_of``: "Kept 2 accounts the counter changed after 2026-11-30
    08:00: 001234-01 credit 25.00 (file 0.00); …"."""
    by_time: dict[dt.datetime, list[KeptAccount]] = {}
    for k in kept:
        by_time.setdefault(k.as_of, []).append(k)
    return tuple(
        f"Kept {len(group)} account{'s' if len(group) != 1 else ''} the counter changed "
        f"after {when.astimezone(ctx.settings.zone):%Y-%m-%d %H:%M}: "
        + "; ".join(f"{k.number} {', '.join(k.kept)}" for k in group)
        for when, group in by_time.items()
    )


def _replace_words(session: Session, numbers: Sequence[str]) -> None:
    """Give the accounts numbered ``numbers`` the words of their name and address as now
    stored, in place of the words they had."""
    for start in range(0, len(numbers), LOOKUP_BATCH):
        batch = numbers[start : start + LOOKUP_BATCH]
        named = session.execute(
            select(Account.id, Account.customer_name, Account.service_address).where(
                Account.number.in_(batch)
            )
        ).all()
        search_index.replace_words(session, [(i, n, a) for i, n, a in named])


# --- charges ------------------------------------------------------------------------------
def _write_charges(job: _Writing) -> tuple[int, int]:
    session, ctx, parsed = job.session, job.ctx, job.parsed
    table = table_of(Charge)
    _lock(session, ctx, table)
    numbers = sorted({r["account_number"] for _, r in parsed.rows})
    accounts = _account_ids(session, numbers)
    existing = _existing_charges(session, [r["external_id"] for _, r in parsed.rows])
    problems: list[Problem] = []
    rows: list[tuple[dict[str, Any], int | None]] = []
    now = ctx.now()
    for line, r in parsed.rows:
        account_id = accounts.get(r["account_number"])
        if account_id is None:
            problems.append(
                (
                    line,
                    f"account {r['account_number']} does not exist: "
                    "import it with the accounts first",
                )
            )
            continue
        fields = {k: v for k, v in r.items() if k != "account_number"} | {"account_id": account_id}
        known = existing.get(r["external_id"])
        if known is None:
            baseline = {"billed_open_cents": fields["open_cents"]}  # check.py
            rows.append((fields | {"created_at": now} | baseline, None))
            continue
        reason = _keep_counter_payments(r, fields, known)
        if reason:
            problems.append((line, reason))
        rows.append((fields, known.id))
    job.refuse_bad_rows(problems)
    changed = fields_of(parsed.columns) - {"external_id", "account_number"}
    return _upsert(session, table, rows, changed, job.progress)


@dataclass(frozen=True)
class _KnownCharge:
    id: int
    account_id: int
    account_number: str
    paid_here_cents: int  # what the counter's payments allocated to it, net of voids


def _existing_charges(session: Session, external_ids: Sequence[str]) -> dict[str, _KnownCharge]:
    """The charges already stored under these ids, with what the counter has paid on each."""
    paid = (
        select(func.coalesce(func.sum(Allocation.amount_cents), 0))
        .where(Allocation.charge_id == Charge.id)
        .scalar_subquery()
    )
    found: dict[str, _KnownCharge] = {}
    for start in range(0, len(external_ids), LOOKUP_BATCH):
        batch = external_ids[start : start + LOOKUP_BATCH]
        query = (
            select(
                Charge.external_id,
                Charge.id,
                Charge.account_id,
                Account.number,
                paid,
            )
            .join(Account, Account.id == Charge.account_id)
            .where(Charge.external_id.in_(batch))
        )
        for external_id, charge_id, account_id, number, paid_cents in session.execute(query):
            # int(): PostgreSQL sums integers as numeric
            found[external_id] = _KnownCharge(charge_id, account_id, number, int(paid_cents))
    return found


def _keep_counter_payments(row: Record, fields: Record, known: _KnownCharge) -> str | None:
    """Fit a re-imported charge to what is stored: the reason it cannot be, or ``None``.

    The open amount is capped at the amount less what the counter has taken on it."""
    if fields["account_id"] != known.account_id:
        return (
            f"charge {row['external_id']} is on account {known.account_number}, not "
            f"{row['account_number']}: a charge cannot move to another account "
            "(give it a new charge_id)"
        )
    payable = fields["amount_cents"] - known.paid_here_cents
    if payable < 0:
        return (
            f"amount {Money(fields['amount_cents'])} is less than the "
            f"{Money(known.paid_here_cents)} already paid on charge {row['external_id']} "
            "at the counter"
        )
    fields["open_cents"] = min(fields["open_cents"], payable)
    fields["billed_open_cents"] = fields["open_cents"] + known.paid_here_cents  # check.py
    return None

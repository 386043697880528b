"""Submissions whose outcome the database did not say (``OutcomeUnknown``).

The station keeps each one in a local pending file (``pending/<key>.json`` in its data
folder, written before anything else happens, so it survives a crash or a restart) until
``recheck`` finds out by its idempotency key whether it posted. The database is told only
then — it could not be told before: it was not answering — as one audit event
``submission.recheck`` saying posted or not posted; a submission that did not post stays
unresolved until its key posts or the cashier drops it (``submission.drop``). ``unresolved``
lists those across stations for a supervisor, from the audit trail and the transactions: no
table of its own, nothing to keep in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from counter_app.db.models import AuditEvent, Transaction
from counter_app.domain.money import Money
from counter_app.domain.submission import Outcome, Submission, from_json, to_json
from counter_app.services import audit
from counter_app.services.context import Context
from counter_app.services.posting import Posted, outcome_of

RECHECK, DROP = "submission.recheck", "submission.drop"


# --- the station's pending files -----------------------------------------------------------
def pending_folder(ctx: Context) -> Path:
    return ctx.settings.data_dir / "pending"


def keep_pending(ctx: Context, submission: Submission) -> Path:
    """Write ``submission``'s pending file, durably (written, synced, then renamed)."""
    folder = pending_folder(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{submission.key}.json"
    part = path.with_suffix(".part")
    with part.open("w", encoding="utf-8") as out:
        out.write(to_json(submission))
        out.flush()
        os.fsync(out.fileno())
    part.replace(path)
    return path


def pending(ctx: Context, session_id: int | None = None) -> list[Submission]:
    """The station's pending submissions, oldest first (only drawer ``session_id``'s if
    given); a file that cannot be read is a ``ValidationError`` naming it."""
    folder = pending_folder(ctx)
    if not folder.is_dir():
        return []
    found = [from_json(p.read_text(encoding="utf-8"), str(p)) for p in folder.glob("*.json")]
    mine = [s for s in found if session_id is None or s.session_id == session_id]
    return sorted(mine, key=lambda s: s.at)


def forget_pending(ctx: Context, key: str) -> None:
    """The submission's outcome is settled: its pending file goes."""
    (pending_folder(ctx) / f"{key}.json").unlink(missing_ok=True)


# --- asking the database ----------------------------------------------------------------------
def recheck(ctx: Context, submission: Submission) -> Posted | None:
    """Whether ``submission`` posted: its receipt, or None. The first answer is recorded in
    the audit trail (once per key and outcome)."""
    posted = outcome_of(ctx, submission.key)
    outcome = Outcome.POSTED if posted is not None else Outcome.NOT_POSTED
    with ctx.db.write() as session:
        said = session.scalars(
            select(AuditEvent.details)
            .where(AuditEvent.action == RECHECK, AuditEvent.entity_id == submission.key)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).first()
        if said is None or said.get("outcome") != outcome.value:
            audit.record(
                session,
                ctx,
                RECHECK,
                user_id=submission.user_id,
                entity="submission",
                entity_id=submission.key,
                details={
                    "outcome": outcome.value,
                    "receipt": posted.receipt.number if posted else submission.receipt,
                    "station": submission.station,
                    "session_id": submission.session_id,
                    "total_cents": submission.total.cents,
                    "accounts": [number for number, _amount in submission.payments],
                    "sent_at": submission.at.isoformat(),
                },
            )
    return posted


def drop(ctx: Context, submission: Submission, user_id: int) -> None:
    """The cashier cleared a submission that did not post (the customer's money handed
    back, or to be taken again as a new transaction): recorded, so it is no longer
    unresolved."""
    with ctx.db.write() as session:
        audit.record(
            session,
            ctx,
            DROP,
            user_id=user_id,
            entity="submission",
            entity_id=submission.key,
            details={"receipt": submission.receipt, "total_cents": submission.total.cents},
        )


@dataclass(frozen=True)
class Unresolved:
    """A submission a station found not posted and still holds (or lost)."""

    key: str
    station: str
    session_id: int
    receipt: str  # the number it would have had
    total: Money
    accounts: tuple[str, ...]
    sent_at: str


def unresolved(ctx: Context) -> list[Unresolved]:
    """Every submission a station reported not posted that has neither posted under its key
    since nor been dropped, across stations, oldest first."""
    with ctx.db.read() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.details)
            .where(AuditEvent.action.in_([RECHECK, DROP]))
            .order_by(AuditEvent.id)
        ).all()
        latest: dict[str, tuple[str, dict[str, Any]]] = {}
        for action, key, details in events:
            latest[key] = (action, details)
        open_keys = [
            key
            for key, (action, details) in latest.items()
            if action == RECHECK and details.get("outcome") == Outcome.NOT_POSTED.value
        ]
        posted = set(
            session.scalars(
                select(Transaction.idempotency_key).where(
                    Transaction.idempotency_key.in_(open_keys)
                )
            )
        )
    found = []
    for key in open_keys:
        if key in posted:
            continue
        details = latest[key][1]
        found.append(
            Unresolved(
                key=key,
                station=str(details.get("station", "")),
                session_id=int(details.get("session_id", 0)),
                receipt=str(details.get("receipt", "")),
                total=Money(int(details.get("total_cents", 0))),
                accounts=tuple(str(a) for a in details.get("accounts", [])),
                sent_at=str(details.get("sent_at", "")),
            )
        )
    return found

"""The audit trail: every change writes an event; events are hash-chained.

Each event's hash covers its own content and the previous event's hash, so changing or
deleting a row breaks the chain at that row (``counter-app audit verify``). Writers serialise
on the single ``audit_head`` row, which also holds the last hash: it is the last lock a unit
of work takes (``posting.lock_accounts`` states the order), and one that writes for a while
(an import's chunk, a reversal) takes it only at its end, with ``deferred``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import AuditEvent, AuditHead
from counter_app.services.context import Context

GENESIS = "0" * 64
_DEFERRED = "audit.deferred"  # key in Session.info: the events waiting for the chain


def _digest(prev_hash: str, at: dt.datetime, fields: dict[str, Any]) -> str:
    payload = json.dumps(
        {"prev": prev_hash, "at": at.astimezone(dt.UTC).isoformat(), **fields},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "user_id": event.user_id,
        "station": event.station,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "reason": event.reason,
        "details": event.details,
    }


def record(
    session: Session,
    ctx: Context,
    action: str,
    *,
    user_id: int | None,
    entity: str = "",
    entity_id: object = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's unit of work (inside ``deferred``,
    at the end of its block)."""
    event = AuditEvent(
        at=ctx.now(),
        user_id=user_id,
        station=ctx.station,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        reason=reason,
        details=details or {},
    )
    waiting: list[AuditEvent] | None = session.info.get(_DEFERRED)
    if waiting is None:
        _chain(session, [event])
    else:
        waiting.append(event)
    return event


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Events recorded in the block are chained when it ends without an error, so the audit
    head — one row every writer locks — is held from there to the commit only."""
    waiting: list[AuditEvent] = []
    session.info[_DEFERRED] = waiting
    try:
        yield
    finally:
        del session.info[_DEFERRED]
    _chain(session, waiting)


def _chain(session: Session, events: list[AuditEvent]) -> None:
    """Lock the audit head and link ``events`` after it, in order."""
    if not events:
        return
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_hash=GENESIS, last_id=0)
        session.add(head)
    for event in events:
        event.prev_hash = head.last_hash
        event.hash = _digest(head.last_hash, event.at, _fields(event))
        head.last_hash = event.hash
    session.add_all(events)
    session.flush()
    head.last_id = events[-1].id


@dataclass(frozen=True)
class ChainReport:
    events: int
    first_bad_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify(ctx: Context) -> ChainReport:
    """Walk the chain; report the first event whose content or link does not match."""
    prev = GENESIS
    count = 0
    with ctx.db.read() as session:
        for event in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
            count += 1
            if event.prev_hash != prev or event.hash != _digest(prev, event.at, _fields(event)):
                return ChainReport(count, event.id)
            prev = event.hash
        head = session.get(AuditHead, 1)
        if head is not None and head.last_hash != prev:
            return ChainReport(count, head.last_id)
    return ChainReport(count, None)

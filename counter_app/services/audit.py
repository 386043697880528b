"""The audit trail: every change writes an event; events form a keyed hash chain.

Each event's hash is an HMAC-SHA256, under the office's key (``services/audit_key``, kept
outside the database), of its own content and the previous event's hash; the single
``audit_head`` row holds the last event's id and hash and its own HMAC, and serialises the
writers. So a changed or deleted event breaks the chain at that row, a truncated tail or an
emptied table no longer matches the head, and someone with only database access cannot
recompute any of it. An event that wrote money rows carries their digest
(``record(..., rows=[...])``, ``services/ledger_digest``), which ``counter-app check``
compares with the rows.

A database from before the key (a chain of plain SHA-256 hashes) is anchored by the first
event written with a key: an ``audit.keyed`` event that links to the old head, names the
last rows that existed then and covers every user as they were; ``keyed_from_id`` in the
head says where the keyed part starts, and the old part is still checked the old way.

Writers serialise on the ``audit_head`` row: it is the last lock a unit of work takes
(``posting.lock_accounts`` states the order), and one that writes for a while (an import's
chunk, a reversal) takes it only at its end, with ``deferred``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from counter_app.db.models import AuditEvent, AuditHead, Base, User, table_of
from counter_app.domain.errors import ConfigError
from counter_app.domain.report_figures import ChainHead
from counter_app.services import audit_key, ledger_digest
from counter_app.services.context import Context

GENESIS = "0" * 64
KEYED = "audit.keyed"  # the event that starts the keyed chain of an older database
_DEFERRED = "audit.deferred"  # key in Session.info: the events waiting for the chain


def _payload(prev_hash: str, at: dt.datetime, fields: dict[str, Any]) -> bytes:
    return json.dumps(
        {"prev": prev_hash, "at": at.astimezone(dt.UTC).isoformat(), **fields},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode()


def _digest(prev_hash: str, at: dt.datetime, fields: dict[str, Any]) -> str:
    """The unkeyed hash of the chain before the key (kept to check old events)."""
    return hashlib.sha256(_payload(prev_hash, at, fields)).hexdigest()


def _keyed(key: bytes, prev_hash: str, at: dt.datetime, fields: dict[str, Any]) -> str:
    return hmac.new(key, _payload(prev_hash, at, fields), hashlib.sha256).hexdigest()


@dataclass
class Head:
    """The chain's head as a writer holds it (locked) while it links events after it."""

    last_id: int
    last_hash: str
    keyed_from_id: int | None = None
    mac: str | None = None
    stored: bool = True  # False: there is no head row yet (a new database)


@dataclass
class Entry:
    """An event to be linked into the chain (``record``); ``AuditEvent`` once stored."""

    at: dt.datetime
    user_id: int | None
    station: str
    action: str
    entity: str
    entity_id: str
    reason: str
    details: dict[str, Any]


_EVENTS = table_of(AuditEvent)
_HEAD = table_of(AuditHead)
_LOCK_HEAD = (
    select(_HEAD.c.last_id, _HEAD.c.last_hash, _HEAD.c.keyed_from_id, _HEAD.c.mac)
    .where(_HEAD.c.id == 1)
    .with_for_update()
)
_UPDATE_HEAD = update(_HEAD).where(_HEAD.c.id == 1)
_INSERT_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)


def _head_mac(key: bytes, head: Head | AuditHead) -> str:
    text = f"head|{head.last_id}|{head.last_hash}|{head.keyed_from_id}"
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _fields(event: AuditEvent | Entry) -> dict[str, Any]:
    return {
        "user_id": event.user_id,
        "station": event.station,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "reason": event.reason,
        "details": event.details,
    }


def _writing_key(ctx: Context, head: Head) -> bytes:
    """This station's key, checked against the head; made when the chain has none yet."""
    path = ctx.settings.audit.key_file
    key = audit_key.read_key(path)
    if head.mac is None:
        return key if key is not None else audit_key.create_key(path)[0]
    if key is None:
        raise ConfigError(
            f"audit.key_file {path}: this station has no audit key, and this database's audit "
            "trail is kept with one: copy the office's key file there (mode 0600) from the "
            "station that has it, then try again"
        )
    if not hmac.compare_digest(head.mac, _head_mac(key, head)):
        raise ConfigError(
            f"audit.key_file {path} (key {audit_key.key_id(key)}) is not the key this "
            "database's audit trail is kept with, or the trail's head was changed: copy the "
            "office's key file there, and have a supervisor run counter-app check"
        )
    return key


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
    rows: Sequence[Base | ledger_digest.Values] = (),
) -> None:
    """Append one event to the chain inside the caller's unit of work (inside ``deferred``,
    at the end of its block); ``rows`` are the money (or user) rows it wrote, whose digest
    the event carries."""
    extra: dict[str, Any] = {}
    if rows:
        if not all(isinstance(row, ledger_digest.Values) for row in rows):
            session.flush()  # ORM rows' ids and defaults, as stored
        extra["rows"] = ledger_digest.cover(rows)
    event = Entry(
        at=ctx.now(),
        user_id=user_id,
        station=ctx.station,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        reason=reason,
        details={**(details or {}), **extra},
    )
    waiting: list[Entry] | None = session.info.get(_DEFERRED)
    if waiting is None:
        _chain(session, ctx, [event])
    else:
        waiting.append(event)


@contextmanager
def deferred(session: Session, ctx: Context) -> Iterator[None]:
    """Events recorded in the block are chained when it ends without an error, so the audit
    head — one row every writer locks — is held from there to the commit only."""
    waiting: list[Entry] = []
    session.info[_DEFERRED] = waiting
    try:
        yield
    finally:
        del session.info[_DEFERRED]
    _chain(session, ctx, waiting)


def _chain(session: Session, ctx: Context, events: list[Entry]) -> None:
    """Lock the audit head and link ``events`` after it, in order, under this station's key
    (anchoring an older unkeyed chain first)."""
    if not events:
        return
    session.flush()  # the unit of work's own rows first: from the head on, only the chain
    head = lock_head(session)
    key = _writing_key(ctx, head)
    if head.keyed_from_id is None and head.last_id:
        _anchor(session, ctx, head, key)
    for event in events:
        _link(session, head, key, event)
    _store_head(session, head)


def lock_head(session: Session) -> Head:
    """The audit head, locked until the commit (``stored`` False: none yet). Statements on
    the session's connection, not the ORM: the chain is written at the end of every unit
    of work, while every other writer waits for the head."""
    found = session.connection().execute(_LOCK_HEAD).one_or_none()
    if found is None:
        return Head(last_id=0, last_hash=GENESIS, stored=False)
    return Head(found.last_id, found.last_hash, found.keyed_from_id, found.mac)


def _store_head(session: Session, head: Head) -> None:
    values = {
        "last_id": head.last_id,
        "last_hash": head.last_hash,
        "keyed_from_id": head.keyed_from_id,
        "mac": head.mac,
    }
    if head.stored:
        session.connection().execute(_UPDATE_HEAD, values)
    else:
        session.connection().execute(insert(_HEAD).values(id=1, **values))
        head.stored = True


def _append(
    session: Session,
    ctx: Context,
    head: Head,
    key: bytes,
    action: str,
    user_id: int | None,
    entity: str,
    entity_id: str,
    reason: str,
    details: dict[str, Any],
) -> None:
    event = Entry(
        at=ctx.now(),
        user_id=user_id,
        station=ctx.station,
        action=action,
        entity=entity,
        entity_id=entity_id,
        reason=reason,
        details=details,
    )
    _link(session, head, key, event)


def _link(session: Session, head: Head, key: bytes, event: Entry) -> None:
    """Hash ``event`` after the head's last event, store it and move the head on to it."""
    fields = _fields(event)
    digest = _keyed(key, head.last_hash, event.at, fields)
    event_id = (
        session.connection()
        .execute(
            _INSERT_EVENT, {"at": event.at, "prev_hash": head.last_hash, "hash": digest, **fields}
        )
        .scalar_one()
    )
    if head.keyed_from_id is None:
        head.keyed_from_id = event_id
    head.last_hash = digest
    head.last_id = event_id
    head.mac = _head_mac(key, head)


def _anchor(session: Session, ctx: Context, head: Head, key: bytes) -> None:
    """Start the keyed chain of a database whose trail was unkeyed: one event linking to
    the old head, naming the last money rows of then and covering every user."""
    session.flush()
    everyone = list(session.execute(select(User).order_by(User.id)).scalars())
    last_rows = {}
    for table, (model, _) in ledger_digest.COVERED.items():
        column = table_of(model).c[ledger_digest.key_of(table)]
        last_rows[table] = int(
            session.execute(select(func.coalesce(func.max(column), 0))).scalar_one()
        )
    _keyed_event(
        session,
        ctx,
        head,
        key,
        unkeyed_head=head.last_hash,
        unkeyed_last_id=head.last_id,
        rows_before=last_rows,
        rows=ledger_digest.cover(everyone) if everyone else {},
    )


def _keyed_event(session: Session, ctx: Context, head: Head, key: bytes, **details: Any) -> None:
    """The ``audit.keyed`` event: from here on the chain is kept with ``key``."""
    key_id = audit_key.key_id(key)
    _append(
        session, ctx, head, key, KEYED, None, "audit", key_id, "", {"key_id": key_id, **details}
    )


def init_key(ctx: Context) -> tuple[str, bool, bool]:
    """Make this station's audit key if it has none and key the chain with it (an
    ``audit.keyed`` event): (key id, whether the key file was made, whether the chain was
    keyed now). Refused when the chain is kept with another key."""
    path = ctx.settings.audit.key_file
    with ctx.db.write() as session:
        head = lock_head(session)
        if head.mac is not None:
            key = _writing_key(ctx, head)
            return audit_key.key_id(key), False, False
        key, made = audit_key.create_key(path)
        if head.last_id:
            _anchor(session, ctx, head, key)
        else:
            _keyed_event(session, ctx, head, key)
        _store_head(session, head)
        return audit_key.key_id(key), made, True


@dataclass(frozen=True)
class ChainReport:
    """What walking the chain found: ``problem`` is None when it is intact and keyed."""

    events: int
    first_bad_id: int | None
    problem: str | None = None
    keyed_from_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(ctx: Context) -> ChainReport:
    """Walk the chain with this station's key: the first event whose content or link does
    not match, a head that does not match the last event (a truncated tail, an emptied
    table), or a chain that is not keyed."""
    key = audit_key.read_key(ctx.settings.audit.key_file)
    with ctx.db.read() as session:
        return walk(session, key, ctx.settings.audit.key_file)


def walk(session: Session, key: bytes | None, key_file: object) -> ChainReport:
    """``verify`` inside the caller's read (``counter-app check``), with ``key`` (None:
    this station has none) read from ``key_file``."""
    head = session.get(AuditHead, 1)
    keyed_from = head.keyed_from_id if head is not None else None
    prev, count, last_id = GENESIS, 0, 0
    events = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=2_000)
    for event in session.execute(events).scalars():
        count += 1
        fields = _fields(event)
        if keyed_from is not None and event.id >= keyed_from:
            if key is None:
                return ChainReport(
                    count,
                    event.id,
                    f"No audit key at {key_file} (audit.key_file): the keyed "
                    "part of the trail cannot be checked here; copy the office's key file",
                    keyed_from,
                )
            expected = _keyed(key, prev, event.at, fields)
        else:
            expected = _digest(prev, event.at, fields)
        if event.prev_hash != prev or not hmac.compare_digest(event.hash, expected):
            return ChainReport(
                count,
                event.id,
                f"Audit trail BROKEN at event {event.id}: its content or its link to the one "
                "before does not match (a changed, deleted or inserted row — or this "
                "station's audit key is not the office's)",
                keyed_from,
            )
        prev, last_id = event.hash, event.id
        session.expunge(event)
    return ChainReport(
        count, None, _head_problem(session, head, key, count, last_id, prev), keyed_from
    )


def _head_problem(
    session: Session, head: AuditHead | None, key: bytes | None, count: int, last_id: int, last: str
) -> str | None:
    if head is None:
        if count or session.execute(select(User.id).limit(1)).first():
            return (
                "The audit trail has no head row: it was deleted (with the events, if none "
                "are left). Restore the database from a backup"
            )
        return None  # a new database: nothing recorded yet
    if count == 0:
        return (
            f"The audit trail is EMPTY but its head names event {head.last_id}: the events "
            "were deleted. Restore the database from a backup"
        )
    if head.last_id != last_id or head.last_hash != last:
        return (
            f"The audit trail ends at event {last_id}, but its head names event "
            f"{head.last_id}: events were deleted from the end (or the head was changed)"
        )
    if head.mac is None:
        return (
            "The audit trail is not keyed: run counter-app audit init-key (it makes the "
            "office's key file and keys the chain)"
        )
    if key is None or not hmac.compare_digest(head.mac, _head_mac(key, head)):
        return (
            "The audit trail's head does not match this station's audit key: the head was "
            "changed, or audit.key_file is not the office's key"
        )
    return None


def chain_head(ctx: Context, business_date: dt.date) -> ChainHead | None:
    """The chain's last event written on or before ``business_date`` in the office's time
    zone (its local midnight ending that date), or None when there is none. Asked during the
    day, it is the head now."""
    end = _local_midnight_after(business_date, ctx.settings.zone)
    with ctx.db.read() as session:
        row = session.execute(
            select(AuditEvent.id, AuditEvent.hash, AuditEvent.at)
            .where(AuditEvent.at < end)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).one_or_none()
    return ChainHead(row.id, row.hash, row.at) if row is not None else None


def _local_midnight_after(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)

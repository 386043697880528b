"""``counter-app check`` and the keyed audit trail: a day of counter work checks clean, and
each tamper of issue 11 (defect 6) made with only database access is found."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from counter_app.db.models import (
    Account,
    AuditEvent,
    AuditHead,
    Charge,
    Payment,
    Receipt,
    Tender,
    User,
)
from counter_app.domain.errors import ConfigError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.sessions import MovementKind
from counter_app.domain.users import Role
from counter_app.services import audit, audit_key, check, sessions, users
from counter_app.services.context import Context
from counter_app.services.voids import (
    nsf_subject,
    reverse_returned_check,
)
from tests.helpers import Clock, Town, cash, count_drawer, grant, pay, void_with_grant
from tests.helpers import check as check_tender


@dataclasses.dataclass
class Day:
    town: Town
    receipts: list[str]


@pytest.fixture
def day(ctx: Context, town: Town, clock: Clock) -> Day:
    """A day at the counter: payments (one with credit), a void, a paid-out, a disabled
    user, and a returned check the next day from a batch session."""
    first = pay(ctx, town, [("001234-01", "50.00")], [check_tender("50.00", "101")])
    second = pay(
        ctx,
        town,
        [("001234-01", "20.00"), ("010002-01", "212.55")],
        [check_tender("200.00", "102"), cash("40.00")],
    )
    credit = pay(ctx, town, [("004410-02", "60.00")], [cash("60.00")])  # $10.00 credit
    voided = pay(ctx, town, [("020000-01", "43.21")], [cash("50.00")])
    number = voided.receipt.number
    void_with_grant(ctx, town, number)
    sessions.record_movement(
        ctx, town.session_id, town.cashier.id, MovementKind.PAID_OUT, Money(500), "stamps"
    )
    users.add_user(ctx, "temp", "temporary123", Role.CASHIER)
    users.disable_user(ctx, "temp")
    count_drawer(ctx, town.session_id)
    clock.advance(days=2)
    reverse_returned_check(
        ctx,
        receipt_number=first.receipt.number,
        check_number="101",
        user_id=town.cashier.id,
        grant_id=grant(
            ctx, town, OverrideAction.NSF_REVERSAL, nsf_subject(first.receipt.number, "101")
        ),
    )
    return Day(town, [first.receipt.number, second.receipt.number, credit.receipt.number])


def breaches(ctx: Context) -> list[tuple[str, str]]:
    return [(b.rule, b.text) for b in check.run_check(ctx).breaches]


def rules(ctx: Context) -> set[str]:
    return {rule for rule, _ in breaches(ctx)}


def tamper(ctx: Context, *statements: object) -> None:
    """What someone with only database access does: plain statements, no service."""
    with ctx.db.write() as s:
        for statement in statements:
            s.execute(text(statement) if isinstance(statement, str) else statement)  # type: ignore[arg-type]


def first_payment_id(ctx: Context, receipt: str) -> int:
    with ctx.db.read() as s:
        return (
            s.execute(
                select(Payment.id)
                .join(Receipt, Receipt.transaction_id == Payment.transaction_id)
                .where(Receipt.number == receipt)
                .order_by(Payment.id)
            )
            .scalars()
            .first()
        )  # type: ignore[return-value]


# --- clean ----------------------------------------------------------------------------------
def test_a_day_of_counter_work_checks_clean(ctx: Context, day: Day) -> None:
    report = check.run_check(ctx)
    assert report.breaches == []
    assert report.counted["payments"] == 7 and report.counted["audit_events"] > 10
    assert audit.verify(ctx).ok


def test_every_money_event_carries_the_digest_of_the_rows_it_wrote(ctx: Context, day: Day) -> None:
    with ctx.db.read() as s:
        events = {a: d for a, d in s.execute(select(AuditEvent.action, AuditEvent.details))}
    for action in (
        "transaction.post",
        "transaction.void",
        "transaction.nsf_reversal",
        "movement.paid_out",
        "session.open",
        "session.open_batch",
        "user.add",
        "user.disable",
    ):
        assert len(events[action]["rows"]["digest"]) == 64, action
    assert set(events["transaction.post"]["rows"]["of"]) == {
        "transactions",
        "payments",
        "allocations",
        "tenders",
        "receipts",
    }


def test_a_reimported_credit_keeps_credit_equal_to_billed_plus_counter_credit(
    ctx: Context, day: Day, tmp_path: Path
) -> None:
    from counter_app.services import importing

    path = tmp_path / "accounts.csv"
    path.write_text(
        "account_number,customer_name,service_address,credit\n"
        '004410-02,"Smith, Jane",88 Elm Avenue,25.00\n',
        encoding="utf-8",
    )
    importing.import_accounts(ctx, path)
    assert breaches(ctx) == []


# --- each tamper of the issue, one test each ------------------------------------------------
def test_a_payment_raised_by_1000_dollars_is_found(ctx: Context, day: Day) -> None:
    payment = first_payment_id(ctx, day.receipts[1])
    tamper(
        ctx,
        update(Payment)
        .where(Payment.id == payment)
        .values(amount_cents=Payment.amount_cents + 100_000),
    )
    found = breaches(ctx)
    assert "payment = allocations" in {r for r, _ in found}
    assert any(r == "row digests" and day.receipts[1] in t and "changed" in t for r, t in found)
    assert any("$1,020.00" in t for _, t in found)


def test_a_tender_lowered_by_50_dollars_is_found(ctx: Context, day: Day) -> None:
    with ctx.db.read() as s:
        tender = s.execute(
            select(Tender.id)
            .join(Receipt, Receipt.transaction_id == Tender.transaction_id)
            .where(Receipt.number == day.receipts[1], Tender.kind == "cash")
        ).scalar_one()
    tamper(
        ctx,
        update(Tender).where(Tender.id == tender).values(amount_cents=Tender.amount_cents - 5000),
    )
    found = breaches(ctx)
    assert {"tenders − change = payments", "row digests"} <= {r for r, _ in found}
    assert any(r == "tenders − change = payments" and day.receipts[1] in t for r, t in found)


def test_every_open_charge_set_to_zero_is_found(ctx: Context, day: Day) -> None:
    tamper(ctx, update(Charge).where(Charge.open_cents > 0).values(open_cents=0))
    found = [t for r, t in breaches(ctx) if r == "charge open amount"]
    assert len(found) >= 5
    assert any("on 010002-01" in t for t in found)


def test_credit_raised_by_999_99_is_found(ctx: Context, day: Day) -> None:
    tamper(
        ctx,
        update(Account)
        .where(Account.number == "004410-02")
        .values(credit_cents=Account.credit_cents + 99_999),
    )
    assert breaches(ctx) == [
        (
            "account credit",
            "Account 004410-02: credit $1,009.99, but billed credit $0.00 plus $10.00 "
            "credited at the counter is $10.00",
        )
    ]


def test_a_whole_transaction_deleted_is_found(ctx: Context, day: Day) -> None:
    # the thief deletes every row of the $60.00 cash payment and puts the charge back open
    number = day.receipts[2]
    with ctx.db.read() as s:
        txn = s.execute(select(Receipt.transaction_id).where(Receipt.number == number)).scalar_one()
        payments = list(
            s.execute(select(Payment.id).where(Payment.transaction_id == txn)).scalars()
        )
    tamper(
        ctx,
        f"DELETE FROM allocations WHERE payment_id IN ({','.join(map(str, payments))})",
        f"DELETE FROM payments WHERE transaction_id = {txn}",
        f"DELETE FROM tenders WHERE transaction_id = {txn}",
        f"DELETE FROM receipts WHERE transaction_id = {txn}",
        f"DELETE FROM transactions WHERE id = {txn}",
        "UPDATE charges SET open_cents = amount_cents WHERE external_id = '004410-02-0'",
        "UPDATE accounts SET credit_cents = 0 WHERE number = '004410-02'",
    )
    found = breaches(ctx)
    assert any(r == "row digests" and number in t and "deleted" in t for r, t in found)
    assert any(r == "receipt numbers gapless" and number in t for r, t in found)


def test_a_cashier_promoted_to_supervisor_is_found(ctx: Context, day: Day) -> None:
    tamper(ctx, update(User).where(User.username == "maria").values(role="supervisor"))
    found = breaches(ctx)
    assert len(found) == 1 and found[0][0] == "row digests" and "user.add" in found[0][1]


def test_a_disabled_user_enabled_again_is_found(ctx: Context, day: Day) -> None:
    tamper(ctx, update(User).where(User.username == "temp").values(active=True))
    assert [r for r, t in breaches(ctx) if "user.disable" in t] == ["row digests"]


def test_every_audit_row_deleted_is_found(ctx: Context, day: Day) -> None:
    tamper(ctx, delete(AuditEvent))
    report = audit.verify(ctx)
    assert not report.ok and report.events == 0 and "EMPTY" in (report.problem or "")
    assert "audit chain" in rules(ctx)


def test_every_audit_row_and_the_head_deleted_is_found(ctx: Context, day: Day) -> None:
    tamper(ctx, delete(AuditEvent), delete(AuditHead))
    assert "no head row" in (audit.verify(ctx).problem or "")
    found = rules(ctx)
    assert "audit chain" in found


def test_the_chain_recomputed_after_an_edit_without_the_key_is_found(
    ctx: Context, day: Day
) -> None:
    """The attacker raises a payment, fixes its allocation and event, and recomputes every
    hash after it the way the old chain did (plain SHA-256), head included."""
    payment = first_payment_id(ctx, day.receipts[0])
    with ctx.db.write() as s:
        s.execute(update(Payment).where(Payment.id == payment).values(amount_cents=1))
        s.execute(text(f"UPDATE allocations SET amount_cents = 1 WHERE payment_id = {payment}"))
        prev = audit.GENESIS
        for event in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
            payload = json.dumps(
                {"prev": prev, "at": event.at.isoformat(), **audit._fields(event)},
                sort_keys=True,
                separators=(",", ":"),
                default=str,
            )
            event.prev_hash = prev
            event.hash = "x" * 64  # keep the unique index happy while rewriting
            s.flush()
            event.hash = prev = hashlib.sha256(payload.encode()).hexdigest()
            s.flush()
        s.execute(update(AuditHead).values(last_hash=prev))
    report = audit.verify(ctx)
    assert not report.ok and report.first_bad_id == report.keyed_from_id
    assert "audit chain" in rules(ctx)


def test_a_truncated_tail_is_found_even_with_the_head_moved_back(ctx: Context, day: Day) -> None:
    with ctx.db.read() as s:
        last_two = list(
            s.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(3)).scalars()
        )
    tamper(ctx, delete(AuditEvent).where(AuditEvent.id >= last_two[1]))
    assert "events were deleted from the end" in (audit.verify(ctx).problem or "")
    with ctx.db.read() as s:
        new_last = s.get(AuditEvent, last_two[2])
        assert new_last is not None
        values = {"last_id": new_last.id, "last_hash": new_last.hash}
    tamper(ctx, update(AuditHead).values(**values))
    assert "head does not match" in (audit.verify(ctx).problem or "")
    assert "audit chain" in rules(ctx)


def test_a_money_row_added_outside_counter_is_found(ctx: Context, day: Day) -> None:
    with ctx.db.read() as s:
        txn = s.execute(
            select(Receipt.transaction_id).where(Receipt.number == day.receipts[2])
        ).scalar_one()
    tamper(
        ctx,
        f"INSERT INTO tenders (transaction_id, kind, amount_cents, reference, bank, "
        f"card_last4, auth_code) VALUES ({txn}, 'cash', 0, '', '', '', '')",
    )
    assert any("tenders row(s) are in no audit event" in t for _, t in breaches(ctx))


def test_two_open_drawers_on_one_station_are_found(ctx: Context, day: Day) -> None:
    tamper(
        ctx,
        "DROP INDEX uq_drawer_sessions_open_drawer_station",
        "DROP INDEX uq_drawer_sessions_open_drawer_user",
        "UPDATE drawer_sessions SET state = 'open'",
        "UPDATE drawer_sessions SET kind = 'drawer'",
    )
    found = [t for r, t in breaches(ctx) if r == "one open session"]
    assert any("for station W02" in t for t in found)


# --- the key ---------------------------------------------------------------------------------
def test_the_first_write_makes_the_key_file_readable_by_its_owner_only(
    ctx: Context, town: Town
) -> None:
    path = ctx.settings.audit.key_file
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    with ctx.db.read() as s:
        head = s.get(AuditHead, 1)
        assert head is not None and head.mac is not None and head.keyed_from_id == 1


def test_a_station_without_the_key_or_with_another_cannot_write(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    other = dataclasses.replace(
        ctx,
        settings=ctx.settings.model_copy(
            update={"audit": ctx.settings.audit.model_copy(update={"key_file": tmp_path / "k"})}
        ),
    )
    with pytest.raises(ConfigError, match="has no audit key"):
        users.add_user(other, "eve", "password123", Role.CASHIER)
    audit_key.create_key(tmp_path / "k")
    with pytest.raises(ConfigError, match="is not the key"):
        users.add_user(other, "eve", "password123", Role.CASHIER)
    assert "audit key is not the office's" in (audit.verify(other).problem or "")
    assert users.add_user(ctx, "eve", "password123", Role.CASHIER).username == "eve"


def test_an_unkeyed_database_is_anchored_by_its_first_keyed_event(ctx: Context, town: Town) -> None:
    """A database from before the key: plain SHA-256 events and no key file. The first
    write makes the key and an ``audit.keyed`` event linking to the old head; the old rows
    are left to the invariants, what follows is covered."""
    pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    with ctx.db.write() as s:  # rewrite the trail the old way, as 0005 left it
        prev = audit.GENESIS
        for event in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
            details = {k: v for k, v in event.details.items() if k != "rows"}
            event.details = details
            event.prev_hash = prev
            event.hash = "y" * 64
            s.flush()
            event.hash = prev = audit._digest(prev, event.at, audit._fields(event))
            s.flush()
        s.execute(update(AuditHead).values(last_hash=prev, mac=None, keyed_from_id=None))
    ctx.settings.audit.key_file.unlink()
    assert "not keyed" in (audit.verify(ctx).problem or "")
    pay(ctx, town, [("001234-01", "5.00")], [cash("5.00")])
    assert ctx.settings.audit.key_file.is_file()
    with ctx.db.read() as s:
        anchor = s.execute(select(AuditEvent).where(AuditEvent.action == audit.KEYED)).scalar_one()
        assert anchor.details["unkeyed_head"] == anchor.prev_hash
        # written inside the second payment's unit of work: its rows already existed
        assert anchor.details["rows_before"]["payments"] == 2
    assert breaches(ctx) == []
    tamper(ctx, update(User).where(User.username == "maria").values(role="admin"))
    assert [r for r, _ in breaches(ctx)] == ["row digests"]  # the anchor covered the users


# --- the chain head for paper ----------------------------------------------------------------
def test_chain_head_is_the_last_event_of_the_business_date(
    ctx: Context, town: Town, clock: Clock
) -> None:
    import datetime as dt

    pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    with ctx.db.read() as s:
        last = s.execute(
            select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).one()
    clock.advance(days=1)
    pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")])
    head = audit.chain_head(ctx, dt.date(2026, 11, 23))
    assert head is not None and (head.event_id, head.hash) == (last.id, last.hash)
    assert head.short == " ".join(last.hash[i : i + 4] for i in (0, 4, 8, 12))
    assert audit.chain_head(ctx, dt.date(2026, 11, 22)) is None
    later = audit.chain_head(ctx, dt.date(2026, 11, 24))
    assert later is not None and later.event_id > last.id


def test_a_key_file_changed_in_place_is_read_again(ctx: Context, town: Town) -> None:
    path = ctx.settings.audit.key_file
    office_key = path.read_text()
    assert users.add_user(ctx, "amy", "password123", Role.CASHIER).username == "amy"
    # the same file rewritten (each time to another size: a rewrite within the clock tick
    # of the last read shows only in its size)
    with path.open("w") as out:
        out.write("ab" * audit_key.KEY_BYTES + "\n\n")
    with pytest.raises(ConfigError, match="is not the key"):
        users.add_user(ctx, "eve", "password123", Role.CASHIER)
    path.write_text("not a key\n")
    with pytest.raises(ConfigError, match="is not a Counter audit key"):
        users.add_user(ctx, "eve", "password123", Role.CASHIER)
    path.write_text(office_key)
    assert users.add_user(ctx, "eve", "password123", Role.CASHIER).username == "eve"

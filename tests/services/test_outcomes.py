"""Submissions in question: the pending file (what it holds, and never a card number), the
recheck recorded once, and the supervisor's list of what is still unresolved."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from counter_app.cli import main
from counter_app.db.models import AuditEvent
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.submission import Submission, from_json, to_json
from counter_app.domain.tenders import TenderEntry
from counter_app.services import outcomes
from counter_app.services.context import Context
from counter_app.services.posting import new_idempotency_key
from tests.helpers import NOW, Town, cash, pay

CARD = TenderEntry(TenderKind.CARD, Money.parse("50.00"), card_last4="1111", auth_code="A1B2C3")


def sent(town: Town, amount: str = "104.10", key: str = "") -> Submission:
    return Submission(
        key=key or new_idempotency_key(),
        station="W02",
        user_id=town.cashier.id,
        session_id=town.session_id,
        payments=(("001234-01", Money.parse(amount)),),
        tenders=(CARD, cash("60.00")),
        receipt="W02-20261123-0007",
        at=NOW,
    )


def test_a_pending_file_holds_the_submission_and_no_card_number(ctx: Context, town: Town) -> None:
    submission = sent(town)
    path = outcomes.keep_pending(ctx, submission)
    assert path.parent == ctx.settings.data_dir / "pending"
    text = path.read_text()
    assert '"card_last4": "1111"' in text and '"auth_code": "A1B2C3"' in text
    assert not any(word in text for word in ("card_number", "pan", "expiry", "cvv"))
    assert outcomes.pending(ctx) == [submission] == outcomes.pending(ctx, town.session_id)
    assert outcomes.pending(ctx, town.session_id + 1) == []
    assert from_json(to_json(submission), "here") == submission
    outcomes.forget_pending(ctx, submission.key)
    assert outcomes.pending(ctx) == []


def test_an_unreadable_pending_file_is_named_and_kept(ctx: Context) -> None:
    folder = outcomes.pending_folder(ctx)
    folder.mkdir(parents=True)
    (folder / "bad.json").write_text('{"format": 1, "key": ')
    with pytest.raises(ValidationError, match=r"bad.json cannot be read .*ask a supervisor"):
        outcomes.pending(ctx)
    assert (folder / "bad.json").exists()


def test_a_recheck_is_recorded_once_and_a_not_posted_one_is_unresolved_until_it_posts(
    ctx: Context, town: Town
) -> None:
    submission = sent(town, key=new_idempotency_key())
    assert outcomes.recheck(ctx, submission) is None
    assert outcomes.recheck(ctx, submission) is None  # asked again after a restart
    [open_one] = outcomes.unresolved(ctx)
    assert (open_one.key, open_one.station, open_one.total) == (
        submission.key,
        "W02",
        Money.parse("104.10"),
    )
    assert open_one.receipt == "W02-20261123-0007" and open_one.accounts == ("001234-01",)
    pay(ctx, town, [("001234-01", "104.10")], [cash("110.00")], submission.key)
    assert outcomes.unresolved(ctx) == []
    posted = outcomes.recheck(ctx, submission)
    assert posted is not None and posted.replayed
    with ctx.db.read() as s:
        said = s.scalars(
            select(AuditEvent.details).where(AuditEvent.action == outcomes.RECHECK)
        ).all()
    assert [d["outcome"] for d in said] == ["not posted", "posted"]


def test_a_dropped_submission_is_no_longer_unresolved(ctx: Context, town: Town) -> None:
    kept, dropped = sent(town), sent(town, "20.00")
    for submission in (kept, dropped):
        outcomes.recheck(ctx, submission)
    outcomes.drop(ctx, dropped, town.cashier.id)
    assert [u.key for u in outcomes.unresolved(ctx)] == [kept.key]


def test_the_unresolved_command_lists_them_for_a_supervisor(
    ctx: Context,
    town: Town,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", db_url)
    assert main(["unresolved"]) == 0
    assert "No unresolved submissions" in capsys.readouterr().out
    submission = sent(town, "104.10")
    outcomes.recheck(ctx, submission)
    assert main(["unresolved"]) == 0
    out = capsys.readouterr().out
    assert "1 unresolved submission(s)" in out
    assert f"W02      session {town.session_id}" in out and "$104.10" in out
    assert submission.key in out and dt.date(2026, 11, 23).isoformat() in out

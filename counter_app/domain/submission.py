"""A submission: one press of Complete, as sent to the database with its idempotency key.

When the database did not say whether it was posted (``OutcomeUnknown``), the station keeps
it in a local pending file until the key tells: this module turns it into that file's JSON
and back. A tender keeps only what is posted anyway — for a card its last four digits and
the authorisation code, never a card number."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry

FORMAT = 1  # the pending file's layout


class Outcome(StrEnum):
    """What the database said of a submission's key, in the audit trail's words."""

    POSTED = "posted"
    NOT_POSTED = "not posted"


@dataclass(frozen=True)
class Submission:
    """What Complete sent: the payments (account number, amount), the tenders and the key,
    at ``station`` into drawer session ``session_id`` by ``user_id``; ``receipt`` is the
    number its COMMIT would have made."""

    key: str
    station: str
    user_id: int
    session_id: int
    payments: tuple[tuple[str, Money], ...]
    tenders: tuple[TenderEntry, ...]
    receipt: str
    at: dt.datetime

    @property
    def total(self) -> Money:
        return total(amount for _number, amount in self.payments)

    @property
    def what(self) -> str:
        """``receipt W02-20261123-0042 ($84.10, 001234-01)``, for messages."""
        accounts = ", ".join(number for number, _amount in self.payments)
        return f"receipt {self.receipt} ({self.total.format()}, {accounts})"


def to_json(submission: Submission) -> str:
    """The pending file's text."""
    return json.dumps(
        {
            "format": FORMAT,
            "key": submission.key,
            "station": submission.station,
            "user_id": submission.user_id,
            "session_id": submission.session_id,
            "payments": [[n, a.cents] for n, a in submission.payments],
            "tenders": [_tender_fields(t) for t in submission.tenders],
            "receipt": submission.receipt,
            "at": submission.at.astimezone(dt.UTC).isoformat(),
        },
        indent=1,
    )


def _tender_fields(tender: TenderEntry) -> dict[str, Any]:
    return {
        "kind": tender.kind.value,
        "amount_cents": tender.amount.cents,
        "reference": tender.reference,
        "bank": tender.bank,
        "card_last4": tender.card_last4,
        "auth_code": tender.auth_code,
    }


def from_json(text: str, where: str) -> Submission:
    """The submission a pending file at ``where`` holds; ``ValidationError`` naming the file
    if it cannot be read (it is then left in place for a supervisor to look at)."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, not {FORMAT}")
        tenders = tuple(
            TenderEntry(
                TenderKind(t["kind"]),
                Money(int(t["amount_cents"])),
                reference=str(t["reference"]),
                bank=str(t["bank"]),
                card_last4=str(t["card_last4"]),
                auth_code=str(t["auth_code"]),
            )
            for t in data["tenders"]
        )
        return Submission(
            key=str(data["key"]),
            station=str(data["station"]),
            user_id=int(data["user_id"]),
            session_id=int(data["session_id"]),
            payments=tuple((str(n), Money(int(c))) for n, c in data["payments"]),
            tenders=tenders,
            receipt=str(data["receipt"]),
            at=dt.datetime.fromisoformat(data["at"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            f"The pending submission file {where} cannot be read ({exc}): keep it and ask a "
            "supervisor to compare it with the day's receipts"
        ) from exc

"""Overrides: the actions a supervisor's credentials unlock, one grant per action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from counter_app.domain.labels import LabelledEnum


class OverrideAction(LabelledEnum):
    VOID = "void", "Void receipt"
    NSF_REVERSAL = "nsf_reversal", "Returned check"
    PAID_OUT = "paid_out", "Paid-out"
    VARIANCE = "variance", "Approve over/short"
    REOPEN = "reopen", "Reopen session"
    REFUND = "refund", "Refund credit"

    @property
    def self_approvable(self) -> bool:
        """Whether a supervisor may approve their own request. Only a returned check: the
        bank's notice is the evidence and no cash moves. Voids, paid-outs, over/short and
        reopening touch a drawer's cash, so a second person must approve them; so does a
        refund, which pays an account's money out."""
        return self is OverrideAction.NSF_REVERSAL


GRANT_LIFETIME = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class OverrideGrant:
    """Proof that a supervisor approved ``action`` on ``subject``; usable once, briefly."""

    id: int
    action: OverrideAction
    subject: str
    approved_by: str
    reason: str

"""Overrides: the actions a supervisor's credentials unlock, one grant per action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class OverrideAction(StrEnum):
    VOID = "void"
    NSF_REVERSAL = "nsf_reversal"
    PAID_OUT = "paid_out"
    VARIANCE = "variance"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return {
            "void": "Void receipt",
            "nsf_reversal": "Returned check",
            "paid_out": "Paid-out",
            "variance": "Approve over/short",
            "reopen": "Reopen session",
        }[self.value]

    @property
    def self_approvable(self) -> bool:
        """Whether a supervisor may approve their own request. Only a returned check: the
        bank's notice is the evidence and no cash moves. Voids, paid-outs, over/short and
        reopening touch a drawer's cash, so a second person must approve them."""
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

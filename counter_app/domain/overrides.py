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


GRANT_LIFETIME = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class OverrideGrant:
    """Proof that a supervisor approved ``action`` on ``subject``; usable once, briefly."""

    id: int
    action: OverrideAction
    subject: str
    approved_by: str
    reason: str

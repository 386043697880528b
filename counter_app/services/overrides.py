"""Supervisor overrides: credentials entered on the cashier's screen grant one action once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import Override
from counter_app.domain.errors import PermissionDenied, ValidationError
from counter_app.domain.overrides import GRANT_LIFETIME, OverrideAction, OverrideGrant
from counter_app.domain.text import untrusted_text_refusal
from counter_app.domain.users import Role
from counter_app.services import audit
from counter_app.services.context import Context
from counter_app.services.users import LoginRefused, check_login


def grant(
    ctx: Context,
    *,
    requested_by: int,
    supervisor: str,
    password: str,
    action: OverrideAction,
    subject: str,
    reason: str,
) -> OverrideGrant:
    """Check the supervisor's credentials and record a one-shot grant for ``action``."""
    if not reason.strip():
        raise ValidationError("Enter the reason for the override")
    if refusal := untrusted_text_refusal("The override reason", reason):
        raise ValidationError(refusal)
    with ctx.db.write() as session:
        try:
            approver = check_login(session, ctx, supervisor, password)
        except LoginRefused as refused:
            failure: Exception = refused.error
        else:
            own = approver.id == requested_by
            if not Role(approver.role).can_approve or (own and not action.self_approvable):
                failure = PermissionDenied(
                    f"{approver.username} is a {approver.role}: a supervisor must approve this"
                    if not Role(approver.role).can_approve
                    else f"{approver.username} asked for this {action.label.lower()}: another "
                    "supervisor must approve it"
                )
                audit.record(
                    session,
                    ctx,
                    "override.refused",
                    user_id=requested_by,
                    entity="override",
                    details={"action": action.value, "by": approver.username, "own": own},
                )
            else:
                row = Override(
                    action=action.value,
                    subject=subject,
                    requested_by_id=requested_by,
                    approved_by_id=approver.id,
                    reason=reason.strip(),
                    station=ctx.station,
                    granted_at=ctx.now(),
                )
                session.add(row)
                session.flush()
                audit.record(
                    session,
                    ctx,
                    "override.grant",
                    user_id=requested_by,
                    entity="override",
                    entity_id=row.id,
                    reason=row.reason,
                    details={
                        "action": action.value,
                        "subject": subject,
                        "approved_by": approver.username,
                        "self_approved": own,
                    },
                )
                return OverrideGrant(row.id, action, subject, approver.username, row.reason)
    raise failure


def consume(
    session: Session,
    ctx: Context,
    grant_id: int | None,
    action: OverrideAction,
    subject: str,
    user_id: int,
) -> Override:
    """Use a grant inside the caller's unit of work; refuses a missing, used, stale or
    mismatched one, and one asked for by another user or at another station."""
    if grant_id is None:
        raise PermissionDenied(f"{action.label} needs a supervisor override")
    row = session.execute(
        select(Override).where(Override.id == grant_id).with_for_update()
    ).scalar_one_or_none()
    if row is None or row.action != action.value or row.subject != subject:
        raise PermissionDenied(f"The override does not cover {action.label.lower()} {subject}")
    if row.requested_by_id != user_id or row.station != ctx.station:
        raise PermissionDenied(
            f"That override was granted to another user or station ({row.station}): "
            "ask the supervisor again here"
        )
    if row.used_at is not None:
        raise PermissionDenied("That override was already used: ask the supervisor again")
    if ctx.now() - row.granted_at > GRANT_LIFETIME:
        raise PermissionDenied("That override has expired: ask the supervisor again")
    row.used_at = ctx.now()
    return row

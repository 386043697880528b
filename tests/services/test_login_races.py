"""Parallel wrong passwords: the lockout holds on both databases, for logging in and for a
supervisor's override, and never more attempts than the policy allows reach the hash."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from counter_app.db.models import AuditEvent, User
from counter_app.domain.errors import AuthenticationFailed
from counter_app.domain.overrides import OverrideAction
from counter_app.services import overrides, users
from counter_app.services.context import Context
from tests.helpers import CountingPasswords, Town, in_parallel, with_passwords

THREADS, TRIES = 8, 5
# a check at a station's argon2 cost takes tens of milliseconds: that is the race's window
CHECK_DELAY = 0.02


def _login(ctx: Context, town: Town, password: str) -> object:
    return users.authenticate(ctx, "maria", password)


def _override(ctx: Context, town: Town, password: str) -> object:
    return overrides.grant(
        ctx,
        requested_by=town.cashier.id,
        supervisor="sam",
        password=password,
        action=OverrideAction.VOID,
        subject="W02-20261123-0001",
        reason="wrong amount",
    )


PATHS: dict[str, tuple[str, str, Callable[[Context, Town, str], object]]] = {
    "login": ("maria", "cashier123", _login),
    "override": ("sam", "supervisor123", _override),
}


@pytest.mark.parametrize("path", PATHS)
def test_parallel_wrong_passwords_lock_the_user_after_the_policys_number_of_checks(
    ctx: Context, town: Town, path: str
) -> None:
    username, right, attempt = PATHS[path]
    hasher = CountingPasswords(delay=CHECK_DELAY)
    counted = with_passwords(ctx, hasher)
    allowed = ctx.settings.policy.lockout_failures

    def wrong_passwords(_: int) -> list[str]:
        refusals = []
        for _ in range(TRIES):
            with pytest.raises(AuthenticationFailed) as refused:
                attempt(counted, town, "not-the-password")
            refusals.append(str(refused.value))
        return refusals

    results = in_parallel(THREADS, wrong_passwords)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert hasher.checked == allowed
    with ctx.db.read() as session:
        user_id, failed_logins, locked_until = session.execute(
            select(User.id, User.failed_logins, User.locked_until).where(User.username == username)
        ).one()
        failures = session.execute(
            select(AuditEvent.details).where(
                AuditEvent.action == "user.login_failed", AuditEvent.entity_id == str(user_id)
            )
        ).scalars()
        locks = [details["locked"] for details in failures]
    assert locked_until is not None and locked_until > ctx.now()
    assert failed_logins == 0  # the count starts again once the lock is set
    assert sorted(locks) == [False] * (allowed - 1) + [True]
    messages = [m for r in results if not isinstance(r, Exception) for m in r]
    assert sum("is now locked out" in m for m in messages) == 1
    assert sum("locked out after" in m for m in messages) == THREADS * TRIES - allowed

    with pytest.raises(AuthenticationFailed, match="locked out after"):
        attempt(counted, town, right)
    assert hasher.checked == allowed  # the right password was not even checked

"""The first admin of a database: made once, however many ask at the same moment."""

from __future__ import annotations

import pytest

from counter_app.domain.errors import PermissionDenied
from counter_app.domain.users import Role, UserInfo
from counter_app.services import users
from counter_app.services.context import Context
from tests.helpers import in_parallel

THREADS = 8


def test_eight_bootstraps_at_once_make_one_admin_and_refuse_the_rest(ctx: Context) -> None:
    results = in_parallel(
        THREADS, lambda i: users.bootstrap_admin(ctx, f"admin{i}", "admin-password")
    )

    [made] = [r for r in results if isinstance(r, UserInfo)]
    refused = [r for r in results if not isinstance(r, UserInfo)]
    assert [isinstance(r, PermissionDenied) for r in refused] == [True] * (THREADS - 1), refused
    assert [(u.username, u.role) for u in users.list_users(ctx)] == [(made.username, Role.ADMIN)]


def test_a_disabled_admin_still_counts_as_the_first(ctx: Context) -> None:
    first = users.bootstrap_admin(ctx, "root", "root-password")
    users.disable_user(ctx, "root", actor_id=first.id)
    with pytest.raises(PermissionDenied, match="already has an admin"):
        users.bootstrap_admin(ctx, "mallory", "mallory-password")

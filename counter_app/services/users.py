"""Users: add, list, disable, the first admin, and check a password (with lockout after
repeated failures), at the screen and for a command."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter_app.db.models import User
from counter_app.domain.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from counter_app.domain.users import Role, UserInfo, check_password, check_username
from counter_app.services import audit
from counter_app.services.context import Context

# Who may do what from the command line: change users; post money (every role posts at the
# counter today; a role added later posts only once it is listed here).
MAY_CHANGE_USERS = frozenset({Role.ADMIN})
MAY_POST = frozenset({Role.CASHIER, Role.SUPERVISOR, Role.ADMIN})
# PostgreSQL advisory lock key serialising ``bootstrap_admin`` ("CNTRADMN")
BOOTSTRAP_LOCK = 0x434E5452_41444D4E


def info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        active=user.active,
        locked_until=user.locked_until,
    )


def hash_password(ctx: Context, password: str) -> str:
    """The stored form of a new password, at the cost ``ctx`` was built with."""
    return ctx.passwords.hash(check_password(password))


def create_user(
    session: Session,
    ctx: Context,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    *,
    actor_id: int | None = None,
    details: dict[str, object] | None = None,
) -> User:
    """Add a user inside the caller's unit of work; the username must be new."""
    name = check_username(username)
    pw_hash = hash_password(ctx, password)
    if session.execute(select(User.id).where(User.username == name)).first():
        raise ValidationError(f'User "{name}" already exists')
    user = User(
        username=name,
        full_name=full_name.strip() or name,
        role=role.value,
        password_hash=pw_hash,
        active=True,
        failed_logins=0,
        created_at=ctx.now(),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        ctx,
        "user.add",
        user_id=actor_id,
        entity="user",
        entity_id=user.id,
        details={"username": name, "role": role.value, **(details or {})},
        rows=[user],
    )
    return user


def add_user(
    ctx: Context,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    *,
    actor_id: int | None = None,
) -> UserInfo:
    """Create a user; the username must be new."""
    with ctx.db.write() as session:
        return info(
            create_user(session, ctx, username, password, role, full_name, actor_id=actor_id)
        )


def list_users(ctx: Context) -> list[UserInfo]:
    with ctx.db.read() as session:
        return [info(u) for u in session.execute(select(User).order_by(User.username)).scalars()]


def _by_name(session: Session, username: str, *, lock: bool = False) -> User | None:
    """The user called ``username``; with ``lock``, its row is locked until the unit of work
    ends (PostgreSQL ``FOR NO KEY UPDATE``, which rows that only refer to the user do not
    wait for; SQLite's writer already holds the database lock)."""
    query = select(User).where(User.username == username.strip().lower())
    if lock:
        query = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    return session.execute(query).scalar_one_or_none()


def disable_user(ctx: Context, username: str, *, actor_id: int | None = None) -> UserInfo:
    """Disable a user: they can no longer log in or approve; their history stays."""
    with ctx.db.write() as session:
        user = _by_name(session, username)
        if user is None:
            raise NotFound(f'No user "{username}"')
        user.active = False
        audit.record(
            session,
            ctx,
            "user.disable",
            user_id=actor_id,
            entity="user",
            entity_id=user.id,
            rows=[user],
        )
        return info(user)


def count_users(ctx: Context) -> int:
    with ctx.db.read() as session:
        return session.execute(select(func.count(User.id))).scalar_one()


def check_login(session: Session, ctx: Context, username: str, password: str) -> User:
    """Check a password inside the caller's unit of work.

    Failures count; after ``lockout_failures`` the user is locked out for
    ``lockout_minutes``. On failure this returns nothing but raises ``LoginRefused``, which
    carries the message; the caller must let its unit of work commit (so the count is kept)
    and then raise ``.error``.
    """
    policy = ctx.settings.policy
    # The row stays locked while the password is checked and the count written, so
    # parallel attempts for one user take turns: each sees the count the one before left,
    # and no more than ``lockout_failures`` of them ever reach the hash.
    user = _by_name(session, username, lock=True)
    now = ctx.now()
    if user is None or not user.active:
        ctx.passwords.verify_nobody(password)  # as slow as a real check: hides who exists
        raise LoginRefused(AuthenticationFailed("Wrong username or password"))
    if user.locked_until is not None and user.locked_until > now:
        minutes = math.ceil((user.locked_until - now).total_seconds() / 60)
        raise LoginRefused(
            AuthenticationFailed(
                f"{user.username} is locked out after {policy.lockout_failures} failed "
                f"attempts: try again in {minutes} minute{'s' if minutes != 1 else ''} "
                "or ask a supervisor"
            )
        )
    if not ctx.passwords.verify(user.password_hash, password):
        user.failed_logins += 1
        locked = user.failed_logins >= policy.lockout_failures
        if locked:
            user.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
            user.failed_logins = 0
        audit.record(
            session,
            ctx,
            "user.login_failed",
            user_id=user.id,
            entity="user",
            entity_id=user.id,
            details={"locked": locked},
        )
        raise LoginRefused(
            AuthenticationFailed(
                f"{user.username} is now locked out for {policy.lockout_minutes} minutes"
                if locked
                else "Wrong username or password"
            )
        )
    user.failed_logins = 0
    user.locked_until = None
    if ctx.passwords.needs_rehash(user.password_hash):
        user.password_hash = ctx.passwords.hash(password)
    return user


class LoginRefused(Exception):
    """Raised inside a unit of work by ``check_login``; carries the error to show."""

    def __init__(self, error: AuthenticationFailed) -> None:
        super().__init__(str(error))
        self.error = error


def authenticate(ctx: Context, username: str, password: str) -> UserInfo:
    """Log in: the user, or ``AuthenticationFailed`` with a message to show."""
    with ctx.db.write() as session:
        try:
            user = check_login(session, ctx, username, password)
        except LoginRefused as refused:
            failure = refused.error  # the unit of work commits the failure count first
        else:
            audit.record(
                session, ctx, "user.login", user_id=user.id, entity="user", entity_id=user.id
            )
            return info(user)
    raise failure


def sign_in(
    ctx: Context, username: str, password: str, *, roles: Collection[Role], doing: str
) -> UserInfo:
    """Check a person's credentials and role for one command (``doing``, e.g. "add users"):
    the user, or ``AuthenticationFailed`` (failures count towards the lockout as at the
    screen) or ``PermissionDenied`` when their role may not do it. Both are audited."""
    with ctx.db.write() as session:
        try:
            user = check_login(session, ctx, username, password)
        except LoginRefused as refused:
            failure: Exception = refused.error
        else:
            role = Role(user.role)
            allowed = role in roles
            audit.record(
                session,
                ctx,
                "user.login" if allowed else "user.refused",
                user_id=user.id,
                entity="user",
                entity_id=user.id,
                details={"for": doing, "role": role.value},
            )
            if allowed:
                return info(user)
            needed = " or ".join(sorted(r.value for r in roles))
            failure = PermissionDenied(
                f"{user.username} is a {role.value}: only a{'n' if needed[0] in 'aeiou' else ''}"
                f" {needed} may {doing}"
            )
    raise failure


def bootstrap_admin(ctx: Context, username: str, password: str, full_name: str = "") -> UserInfo:
    """Create the first admin of a database that has none; refused once any admin exists
    (even a disabled one), whoever asks and however many ask at once."""
    with ctx.db.write() as session:
        if ctx.db.is_postgres:  # SQLite's writer already holds the database lock
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOTSTRAP_LOCK})
        if session.execute(select(User.id).where(User.role == Role.ADMIN).limit(1)).first():
            raise PermissionDenied(
                "This database already has an admin: ask an admin to add users "
                "(counter-app user add NAME --role ROLE --as ADMIN)"
            )
        user = create_user(
            session, ctx, username, password, Role.ADMIN, full_name, details={"bootstrap": True}
        )
        return info(user)

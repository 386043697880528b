"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection

from counter_app.app import build_context
from counter_app.domain.errors import PermissionDenied, ValidationError
from counter_app.domain.users import Role, UserInfo
from counter_app.services import users
from counter_app.services.context import Context


def context(*, upgrade: bool = True) -> Context:
    """Settings → database (migrated to the newest schema unless ``upgrade`` is false) →
    services context, as the GUI builds it."""
    return build_context(upgrade=upgrade)


def _stdin_line(what: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise ValidationError(f"--password-stdin: no line on stdin for {what}; nothing was changed")
    return line.rstrip("\r\n")


def read_password(from_stdin: bool, prompt: str = "Password: ") -> str:
    """A new password: one line of stdin, or typed twice at the terminal."""
    if from_stdin:
        return _stdin_line("the new password")
    import getpass

    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise ValidationError("The two passwords differ; nothing was changed")
    return first


def read_secret(from_stdin: bool, username: str) -> str:
    """The password of someone signing in: one line of stdin, or typed at the terminal."""
    if from_stdin:
        return _stdin_line(f"{username}'s password")
    import getpass

    return getpass.getpass(f"Password for {username}: ")


def add_sign_in(parser: argparse.ArgumentParser, who: str) -> None:
    """``--as USER`` and ``--password-stdin``: the person running the command."""
    parser.add_argument("--as", dest="as_user", metavar="USER", help=f"you: {who}")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read passwords from stdin, one a line (yours first), instead of asking",
    )


def sign_in(
    ctx: Context,
    username: str | None,
    from_stdin: bool,
    *,
    roles: Collection[Role],
    doing: str,
    option: str = "--as",
) -> UserInfo:
    """The person running the command, once their password and role are checked."""
    if not username or not username.strip():
        raise PermissionDenied(
            f"To {doing}, say who you are: {option} USER (your password is asked for, or read "
            "from stdin with --password-stdin); nothing was changed"
        )
    password = read_secret(from_stdin, username.strip())
    return users.sign_in(ctx, username, password, roles=roles, doing=doing)

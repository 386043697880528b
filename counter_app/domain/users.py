"""Users and roles: who may do what."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.errors import ValidationError


class Role(StrEnum):
    CASHIER = "cashier"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def can_approve(self) -> bool:
        """Supervisors and admins may approve overrides."""
        return self in (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None = None


USERNAME_RE = re.compile(r"[a-z][a-z0-9._-]{1,39}")
MIN_PASSWORD_LENGTH = 8


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_RE.fullmatch(name):
        raise ValidationError(
            f'"{username}" is not a usable username: 2-40 letters, digits, ".", "_" or "-", '
            "starting with a letter"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    return password


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise ValidationError(f'"{text}" is not a role: use cashier, supervisor or admin') from None

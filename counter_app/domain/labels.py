"""Enums whose members carry the word the screen and the paper show for them."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A ``StrEnum`` declared as ``NAME = value, label``: ``value`` is what is stored,
    ``label`` what a person reads."""

    _value_: str
    label: str

    # ``label`` has a default only for the type checker: calling the class, as with any
    # enum, looks a member up by its value (``TenderKind("cash")``) and never reaches here.
    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

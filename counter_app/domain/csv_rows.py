"""Reading a CSV file of records: header checks, one parser per row, every problem kept.

An import is all-or-nothing, so the whole file is validated before anything is written.
``read_csv_rows`` turns the file's lines into records, each with the line it starts on, and
collects every problem as ``(line, reason)``. Lines are the file's physical lines with the
header as line 1, so a quoted cell that spans lines does not throw the numbers off. A new
import kind is one ``RowFormat``: its columns, a parser and the key that must be unique.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from counter_app.domain.account_number import parse_account_number
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.text import untrusted_text_refusal

T = TypeVar("T")
V = TypeVar("V")
Problem = tuple[int, str]

YES = frozenset({"yes", "y", "true", "t", "1"})
NO = frozenset({"no", "n", "false", "f", "0", ""})
ZERO = Money(0)


def header_name(text: str) -> str:
    """``" Account Number "`` → ``"account_number"``: headers are matched loosely."""
    return "_".join(text.strip().lower().replace("-", " ").split())


class Cells:
    """One data row's cells, read through checks; each failed check adds a reason.

    A column absent from the header reads as an empty cell. Each reader returns a
    placeholder when the cell is bad, so one row can report all of its problems at once.
    """

    def __init__(self, cells: Mapping[str, str]) -> None:
        self._cells = cells
        self.reasons: list[str] = []

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)

    def has(self, column: str) -> bool:
        """Whether the file has the column at all."""
        return column in self._cells

    def raw(self, column: str) -> str:
        return self._cells.get(column, "").strip()

    def _empty(self, column: str, required: bool, example: str, placeholder: V) -> V:
        """An empty cell: a reason when it is ``required`` ("write ``example``"), and the
        value it reads as."""
        if required:
            self.fail(f"{column} is empty: write {example}")
        return placeholder

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw(column)
        if required and not value:
            self.fail(f"{column} is empty")
        elif max_length is not None and len(value) > max_length:
            self.fail(f"{column} is {len(value)} characters long; at most {max_length} fit")
        return value

    def money(self, column: str, *, required: bool = False, positive: bool = False) -> Money:
        """An amount like 84.10; an empty optional cell is 0.00."""
        value = self.raw(column)
        if not value:
            return self._empty(column, required, "an amount like 84.10", ZERO)
        try:
            amount = Money.parse(value)
        except ValidationError as exc:
            self.fail(f"{column}: {exc}")
            return ZERO
        if positive and not amount:
            self.fail(f"{column} is {amount}: it must be more than zero")
        return amount

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(column)
        if not value:
            return self._empty(column, required, "a date as YYYY-MM-DD", None)
        try:
            if len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f'{column} "{value}" is not a date: write it as YYYY-MM-DD, e.g. 2026-11-23')
            return None

    def moment(self, column: str) -> dt.datetime | None:
        """A date and time like ``2026-11-30T08:00`` (seconds and a UTC offset such as
        ``-06:00`` or ``Z`` optional): aware when the cell gives its offset, else naive
        (the reader decides whose clock it is). A date alone is refused: it does not say
        which moment of the day."""
        value = self.raw(column)
        if not value:
            return None
        try:
            if len(value) < 16 or value[10] not in "T ":
                raise ValueError
            return dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(
                f'{column} "{value}" is not a date and time: write it as YYYY-MM-DDTHH:MM, '
                "e.g. 2026-11-30T08:00 (office time) or 2026-11-30T08:00-06:00"
            )
            return None

    def choice(self, column: str, choices: Sequence[str], *, default: str | None = None) -> str:
        value = self.raw(column).lower()
        if not value and default is not None:
            return default
        if value not in choices:
            shown = f'"{self.raw(column)}"' if value else "empty"
            self.fail(f"{column} is {shown}: use one of {', '.join(choices)}")
            return default or choices[0]
        return value

    def flag(self, column: str) -> bool:
        value = self.raw(column).lower()
        if value in YES:
            return True
        if value not in NO:
            self.fail(f'{column} "{self.raw(column)}" is not yes or no')
        return False

    def account_number(self, column: str) -> str:
        value = self.raw(column)
        if not value:
            self.fail(f"{column} is empty")
            return ""
        try:
            return parse_account_number(value)
        except ValidationError as exc:
            self.fail(f"{column}: {exc}")
            return value


@dataclass(frozen=True)
class RowFormat(Generic[T]):
    """One kind of import file: its columns, how a row becomes a record, what is unique."""

    name: str  # "accounts"
    required: tuple[str, ...]  # columns the header must have
    optional: tuple[str, ...]
    parse: Callable[[Cells], T]  # reports problems through Cells.fail
    key: Callable[[T], str]  # unique within a file
    key_label: str  # how a key is named in messages: "account", "charge"
    needs: Mapping[str, str] = field(default_factory=dict)  # column → column it needs

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass
class ParsedFile(Generic[T]):
    """What a file held: its header, its good records with their lines, its problems."""

    columns: tuple[str, ...] = ()
    rows: list[tuple[int, T]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _header_problems(header: list[str], fmt: RowFormat[T]) -> list[str]:
    reasons = []
    missing = [c for c in fmt.required if c not in header]
    if missing:
        reasons.append(f"the header lacks the required column(s) {', '.join(missing)}")
    unknown = [c or "(blank)" for c in header if c not in fmt.columns]
    if unknown:
        reasons.append(
            f"unknown column(s) {', '.join(unknown)}; {fmt.name} files have "
            f"{', '.join(fmt.columns)}"
        )
    reasons.extend(
        f"column {c} needs column {needed} too"
        for c, needed in fmt.needs.items()
        if c in header and needed not in header
    )
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        reasons.append(f"column(s) {', '.join(repeated)} appear more than once")
    return reasons


def read_csv_rows(lines: Iterable[str], fmt: RowFormat[T]) -> ParsedFile[T]:
    """Parse every row of a CSV file (given as its text lines) with ``fmt``.

    The header is line 1 and required. Blank lines are skipped. Every problem is collected,
    so one pass reports all the bad rows; a file whose header is wrong stops there.
    """
    out: ParsedFile[T] = ParsedFile()
    reader = csv.reader(lines, strict=True)
    seen: dict[str, int] = {}
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if line == 1:
                out.columns = tuple(header_name(c) for c in cells)
                out.problems.extend((1, r) for r in _header_problems(list(out.columns), fmt))
                if out.problems:
                    return out
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(out.columns):
                out.problems.append(
                    (line, f"has {len(cells)} cells; the header has {len(out.columns)}")
                )
                continue
            hostile = [
                why
                for column, cell in zip(out.columns, cells, strict=True)
                if (why := untrusted_text_refusal(column, cell))
            ]
            if hostile:
                out.problems.extend((line, why) for why in hostile)
                continue
            row = Cells(dict(zip(out.columns, cells, strict=True)))
            record = fmt.parse(row)
            key = fmt.key(record)
            if key in seen:
                row.fail(f"{fmt.key_label} {key} is also on line {seen[key]}")
            elif key:
                seen[key] = line
            if row.reasons:
                out.problems.extend((line, reason) for reason in row.reasons)
            else:
                out.rows.append((line, record))
    except csv.Error as exc:
        out.problems.append((reader.line_num, f"not readable as CSV ({exc}); nothing after it"))
    if last_line == 0:
        out.problems.append((1, f"the file is empty: line 1 must be the header ({fmt.name})"))
    return out

"""The payments file for the billing system (docs/import-formats.md, "Payments export").

One row per payment: a payment's part of a transaction on one account, or a reversal's
(void, returned check) negative part, with what it paid on each charge and on credit. The
bytes depend only on the rows given: fixed columns, ``\\r\\n`` line ends, UTF-8 without a
byte-order mark, no time of export inside — so the same day exported twice is the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from counter_app.domain.money import Money, total
from counter_app.domain.transactions import TransactionKind

COLUMNS = (
    "business_date",
    "receipt_number",
    "kind",
    "reverses",
    "account_number",
    "amount",
    "charges",
    "credit",
    "tenders",
    "time",
    "station",
    "session",
    "state",
    "reversed_by",
)
# Cells that are numbers this module wrote; every other cell is text and is made safe.
NUMBER_COLUMNS = frozenset({"amount", "credit"})
LINE_END = "\r\n"

# How a transaction kind is named in the file.
KIND_NAMES = {
    TransactionKind.PAYMENT: "payment",
    TransactionKind.VOID: "void",
    TransactionKind.NSF_REVERSAL: "returned_check",
}
STANDING = "posted"  # a row not undone (in this file's day)
STATE_OF = {TransactionKind.VOID: "voided", TransactionKind.NSF_REVERSAL: "returned_check"}

# A cell beginning with one of these is a formula (or starts one) to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters of a charge id that would break the ``charges`` cell (or look like the
# apostrophe ``spreadsheet_safe`` adds), percent-encoded.
_ENCODED = str.maketrans({"%": "%25", ";": "%3B", "=": "%3D", "'": "%27"})


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as text a spreadsheet will not run: one beginning ``= + - @``, a tab or a
    carriage return gets a leading apostrophe (OWASP's advice), which Excel and LibreOffice
    hide and read as "this is text"."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def charge_id_cell(external_id: str) -> str:
    """A charge id as written in the ``charges`` cell: ``%``, ``;``, ``=`` and ``'``
    percent-encoded, so the cell splits without doubt."""
    return external_id.translate(_ENCODED)


@dataclass(frozen=True)
class ChargePart:
    """What one payment row put on (or, negative, took back from) one charge."""

    charge_id: str  # the billing system's id: charges.external_id
    amount: Money


@dataclass(frozen=True)
class ExportRow:
    """One payment row as the billing system gets it."""

    business_date: dt.date
    receipt_number: str
    kind: TransactionKind
    reverses: str  # the receipt a void / returned check undoes; "" for a payment
    account_number: str
    amount: Money  # negative on a reversal
    charges: tuple[ChargePart, ...]
    credit: Money  # the part to credit on account (negative: taken back off it)
    tenders: tuple[str, ...]  # the transaction's tender kinds, in the order taken
    time: dt.datetime  # aware, in the office's zone
    station: str
    session: str  # "drawer" or "batch"
    reversed_by: str = ""  # the receipt of the void / returned check that undid it
    reversed_as: TransactionKind | None = None

    def __post_init__(self) -> None:
        if total(p.amount for p in self.charges) + self.credit != self.amount:
            raise ValueError(f"{self.receipt_number}: charges and credit do not add up")

    @property
    def state(self) -> str:
        return STANDING if self.reversed_as is None else STATE_OF[self.reversed_as]

    def cells(self) -> list[str]:
        """The row's cells in ``COLUMNS`` order, text cells made ``spreadsheet_safe``."""
        values = {
            "business_date": self.business_date.isoformat(),
            "receipt_number": self.receipt_number,
            "kind": KIND_NAMES[self.kind],
            "reverses": self.reverses,
            "account_number": self.account_number,
            "amount": str(self.amount),
            "charges": ";".join(f"{charge_id_cell(p.charge_id)}={p.amount}" for p in self.charges),
            "credit": str(self.credit),
            "tenders": ";".join(self.tenders),
            "time": self.time.isoformat(timespec="seconds"),
            "station": self.station,
            "session": self.session,
            "state": self.state,
            "reversed_by": self.reversed_by,
        }
        return [values[c] if c in NUMBER_COLUMNS else spreadsheet_safe(values[c]) for c in COLUMNS]


def distinct(kinds: Iterable[str]) -> tuple[str, ...]:
    """Each tender kind once, in the order first taken: ``check;cash``."""
    return tuple(dict.fromkeys(kinds))


def render(rows: Sequence[ExportRow]) -> bytes:
    """The file: the header and one line per row, in the order given."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow(COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class ExportRecord:
    """One export written: which day, how many rows, the file's digest, who and when."""

    id: int
    business_date: dt.date
    rows: int
    sha256: str
    file_name: str
    username: str
    created_at: dt.datetime  # aware UTC
    open_sessions: int = 0  # sessions of the day still open when it was written

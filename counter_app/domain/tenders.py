"""Tenders and settlement: what was handed over, the change, and what may not be accepted.

Change comes only from cash: whatever non-cash is over the total is ``excess_noncash``,
credit on account or refused (``domain.payments.settle_payments``)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from counter_app.domain.digits import is_digits
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderDetails, TenderKind
from counter_app.domain.refusals import NoTender, ShortTender, TenderEnteredTwice
from counter_app.domain.text import looks_like_card_number

# The longest each typed field may be. Each fits its column of ``db.models.Tender``
# (reference 40, bank 60, auth_code 12; a test holds them to it), so a value is refused
# here with its reason, never cut or left for the database to refuse.
REFERENCE_MAX = 20  # a check or money-order number
NOTE_MAX = 40  # what another tender's reference column holds (a cash or card note)
BANK_MAX = 60
AUTH_MIN, AUTH_MAX = 4, 12
_REFERENCE = re.compile(r"[A-Za-z0-9-]+")
_AUTH = re.compile(r"[A-Za-z0-9]+")


def _not_allowed(text: str, allowed: re.Pattern[str]) -> str:
    """The characters of ``text`` that ``allowed`` (one character class, repeated) refuses,
    in words: 'a space', '"/"'."""
    found: list[str] = []
    for ch in text:
        if allowed.fullmatch(ch):
            continue
        word = (
            "a space" if ch == " " else "a control character" if not ch.isprintable() else f'"{ch}"'
        )
        if word not in found:
            found.append(word)
    return ", ".join(found)


def _free_text_problem(field: str, text: str, longest: int) -> str:
    """Why ``text`` typed into ``field`` cannot be stored ("" when it can)."""
    if len(text) > longest:
        return f"{field} is {len(text)} characters long: at most {longest} fit"
    if any(not ch.isprintable() for ch in text):
        return f"{field} has a control character in it: type it again"
    if looks_like_card_number(text):
        return f"{field} looks like a card number: never type a card number here"
    return ""


def reference_problem(label: str, reference: str) -> str:
    """Why ``reference`` is not a ``label`` (Check, Money order) number ("" when it is)."""
    field = f"{label} number"
    if not reference:
        return f"{label}: enter the {label.lower()} number"
    if len(reference) > REFERENCE_MAX:
        return f"{field} is {len(reference)} characters long: at most {REFERENCE_MAX} fit"
    if looks_like_card_number(reference):
        return f"{field} looks like a card number: never type a card number here"
    if not _REFERENCE.fullmatch(reference):
        odd = _not_allowed(reference, _REFERENCE)
        return f'{field} "{reference}" has {odd}: type only letters, digits and dashes'
    return ""


def auth_problem(code: str) -> str:
    """Why ``code`` is not an authorisation code from the terminal ("" when it is)."""
    if not code:
        return "Card: enter the authorisation code from the terminal"
    if not _AUTH.fullmatch(code):
        odd = _not_allowed(code, _AUTH)
        return f'Card: the authorisation code "{code}" has {odd}: letters and digits only'
    if not AUTH_MIN <= len(code) <= AUTH_MAX:
        return (
            f"Card: the authorisation code is {AUTH_MIN} to {AUTH_MAX} letters or digits "
            f"({len(code)} typed)"
        )
    return ""


@dataclass(frozen=True)
class TenderEntry(TenderDetails):
    """One tender as the cashier entered it, with the bank a check is drawn on."""

    bank: str = ""

    def validated(self) -> TenderEntry:
        """This tender, or a ``ValidationError`` naming what is missing."""
        label = self.kind.label
        if not self.kind.taken_in:
            raise ValidationError(
                f"{label} is not a tender: a refund check is paid out by the office, "
                "never taken in at the window"
            )
        if not self.amount.is_positive:
            raise ValidationError(f"{label}: the amount must be more than zero")
        problem = ""
        if self.kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER):
            problem = reference_problem(label, self.reference.strip())
        else:  # a note kept with cash or a card: the same care as any typed text
            problem = _free_text_problem(f"{label} reference", self.reference.strip(), NOTE_MAX)
        if not problem:  # a check's bank (typed, or from a payment file)
            problem = _free_text_problem("Bank", self.bank.strip(), BANK_MAX)
        if self.kind is TenderKind.CARD and not problem:
            if not (len(self.card_last4) == 4 and is_digits(self.card_last4)):
                problem = "Card: enter the last four digits of the card only"
            else:
                problem = auth_problem(self.auth_code.strip())
        if problem:
            raise ValidationError(problem)
        return self


@dataclass(frozen=True)
class TakenCheck:
    """A check already taken today (on a payment not reversed): what the duplicate-check
    warning names."""

    reference: str
    bank: str
    amount: Money
    receipt_number: str
    accounts: tuple[str, ...]

    @property
    def warning(self) -> str:
        """The words of the duplicate-check warning."""
        bank = self.bank.strip() or "no bank entered"
        return (
            f"Check #{self.reference} ({bank}) was already taken today: receipt "
            f"{self.receipt_number}, {self.amount.format()} to {', '.join(self.accounts)}"
        )


def _check_key(reference: str, bank: str) -> tuple[str, str]:
    """A check's number and bank as compared: case, spacing and blanks around ignored."""
    return reference.strip().upper(), " ".join(bank.casefold().split())


def taken_before(tender: TenderEntry, taken: Sequence[TakenCheck]) -> TakenCheck | None:
    """The check already taken today with ``tender``'s number and bank, if there is one
    (a blank bank matches only a blank bank)."""
    if tender.kind is not TenderKind.CHECK:
        return None
    key = _check_key(tender.reference, tender.bank)
    return next((t for t in taken if _check_key(t.reference, t.bank) == key), None)


@dataclass(frozen=True)
class Settlement:
    total: Money
    tendered: Money
    change: Money  # from cash only
    excess_noncash: Money  # non-cash over the total: credit on account, or refused


def check_tenders(tenders: Sequence[TenderEntry]) -> list[TenderEntry]:
    """Every tender valid, and no check or money order entered twice."""
    if not tenders:
        raise NoTender()
    seen: set[tuple[TenderKind, str]] = set()
    for t in tenders:
        t.validated()
        if t.kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER):
            key = (t.kind, t.reference.strip().upper())
            if key in seen:
                raise TenderEnteredTwice(t.kind.label, t.reference.strip())
            seen.add(key)
    return list(tenders)


def check_limits(
    tenders: Sequence[TenderEntry], *, per_tender: Money, per_transaction: Money
) -> None:
    """No tender over ``per_tender`` and no transaction over ``per_transaction`` (the
    office's limits): a mistyped $99,999,999,999.99 check is refused, not posted."""
    for t in tenders:
        if t.amount > per_tender:
            raise ValidationError(
                f"{t.kind.label} {t.amount.format()} is over the {per_tender.format()} one "
                "tender may be: check the amount (a supervisor can raise policy.max_tender)"
            )
    taken = total(t.amount for t in tenders)
    if taken > per_transaction:
        raise ValidationError(
            f"Tenders of {taken.format()} are over the {per_transaction.format()} one "
            "transaction may take: split it (or raise policy.max_transaction)"
        )


def cash_of(tenders: Sequence[TenderEntry]) -> Money:
    """What was handed over in cash."""
    return total(t.amount for t in tenders if t.kind is TenderKind.CASH)


def change_due(amount_due: Money, tenders: Sequence[TenderEntry]) -> Money:
    """The change: what is over ``amount_due``, but never more than the cash handed over."""
    return (total(t.amount for t in tenders) - amount_due).max(Money(0)).min(cash_of(tenders))


def settle(amount_due: Money, tenders: Sequence[TenderEntry]) -> Settlement:
    """Change comes only from cash; non-cash beyond the total is ``excess_noncash``.
    Refuses tenders short of ``amount_due``."""
    tendered = total(t.amount for t in tenders)
    if tendered < amount_due:
        raise ShortTender(tendered, amount_due)
    change = change_due(amount_due, tenders)
    return Settlement(amount_due, tendered, change, tendered - amount_due - change)


def request_digest(payments: Sequence[tuple[str, Money]], tenders: Sequence[TenderEntry]) -> str:
    """sha256 of a posting request — (account number, amount) per payment and every tender
    as entered — so a retry can prove it asks for exactly what the first submission did."""
    canonical = {
        "payments": [[number, amount.cents] for number, amount in payments],
        "tenders": [
            [
                t.kind.value,
                t.amount.cents,
                t.reference.strip(),
                t.bank.strip(),
                t.card_last4,
                t.auth_code.strip().upper(),
            ]
            for t in tenders
        ],
    }
    return hashlib.sha256(json.dumps(canonical, separators=(",", ":")).encode()).hexdigest()

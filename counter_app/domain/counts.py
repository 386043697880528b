"""A drawer's blind count: cash by denomination, the checks and money orders ticked off the
session's list, the card batch total; and the float kept back from the counted cash."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from counter_app.domain.denominations import BY_CODE, DENOMINATIONS, check_counts, count_total
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind

ITEM_TENDERS: tuple[TenderKind, ...] = (TenderKind.CHECK, TenderKind.MONEY_ORDER)


class CountKind(StrEnum):
    """``drawer_counts.kind``: the float counted at the open, or a count at the close."""

    OPEN = "open"
    CLOSE = "close"


class CountLineKind(StrEnum):
    """``drawer_count_lines.kind``: a denomination counted, a tender's counted total (with
    the expected figure beside it), or a batch tape and what the batch posted."""

    DENOMINATION = "denomination"
    TENDER = "tender"
    TAPE = "tape"
    POSTED = "posted"


@dataclass(frozen=True)
class CountItem:
    """A check or money order the session took (and still holds): one line to tick."""

    tender_id: int
    kind: TenderKind
    number: str
    bank: str
    amount: Money
    accounts: tuple[str, ...] = ()
    receipt: str = ""

    @property
    def words(self) -> str:
        """``Check #1043 (First Bank) $200.00, 001234-01``."""
        bank = f" ({self.bank})" if self.bank else ""
        paid = f", {', '.join(self.accounts)}" if self.accounts else ""
        return f"{self.kind.label} #{self.number}{bank} {self.amount.format()}{paid}"


@dataclass(frozen=True)
class DrawerCount:
    """What the cashier submits: cash by denomination code, the tender ids ticked, the card
    terminal's batch total; ``ticked_count`` / ``ticked_total`` are the list's foot as the
    cashier added it up (None: take it from the ticks)."""

    cash: Mapping[str, int] = field(default_factory=dict)
    ticked: frozenset[int] = frozenset()
    card_batch: Money = field(default_factory=Money.zero)
    ticked_count: int | None = None
    ticked_total: Money | None = None


@dataclass(frozen=True)
class CountedFigures:
    """A count checked against the session's list: each drawer tender's counted figure,
    the clean denomination counts, and the listed items not ticked (missing)."""

    counted: Mapping[TenderKind, Money]
    cash: Mapping[str, int]
    ticked: tuple[CountItem, ...]
    missing: tuple[CountItem, ...]

    @property
    def missing_words(self) -> tuple[str, ...]:
        return tuple(f"Not in the drawer: {item.words}" for item in self.missing)


def counted_figures(count: DrawerCount, items: Sequence[CountItem]) -> CountedFigures:
    """Check a count and total it per tender. Refuses unknown denominations, a tick that is
    not one of ``items``, a negative card batch, and a foot that does not match the ticks
    (naming the items not ticked, one of which is the missing one)."""
    cash = check_counts(count.cash)
    listed = {item.tender_id: item for item in items}
    strangers = sorted(set(count.ticked) - set(listed))
    if strangers:
        raise ValidationError(
            f"Tender #{strangers[0]} is not one of this session's checks or money orders: "
            "tick only the listed ones"
        )
    if count.card_batch.is_negative:
        raise ValidationError("The card batch total cannot be negative")
    ticked = tuple(item for item in items if item.tender_id in count.ticked)
    missing = tuple(item for item in items if item.tender_id not in count.ticked)
    ticked_sum = total(item.amount for item in ticked)
    said_count = len(ticked) if count.ticked_count is None else count.ticked_count
    said_total = ticked_sum if count.ticked_total is None else count.ticked_total
    if (said_count, said_total) != (len(ticked), ticked_sum):
        unticked = "; ".join(item.words for item in missing) or "none"
        raise ValidationError(
            f"The checks and money orders add up to {said_count} for {said_total.format()}, "
            f"but {len(ticked)} for {ticked_sum.format()} are ticked. Not ticked: {unticked}"
        )
    counted = {
        TenderKind.CASH: count_total(cash),
        TenderKind.CHECK: total(i.amount for i in ticked if i.kind is TenderKind.CHECK),
        TenderKind.MONEY_ORDER: total(i.amount for i in ticked if i.kind is TenderKind.MONEY_ORDER),
        TenderKind.CARD: count.card_batch,
    }
    return CountedFigures(counted, cash, ticked, missing)


# --- the float kept for tomorrow ----------------------------------------------------------
@dataclass(frozen=True)
class CashSplit:
    """Counted cash split into the float kept for tomorrow and the cash deposited."""

    kept: Mapping[str, int]
    deposited: Mapping[str, int]

    @property
    def kept_total(self) -> Money:
        return count_total(self.kept)

    @property
    def deposited_total(self) -> Money:
        return count_total(self.deposited)

    @property
    def currency(self) -> Money:
        """Bills deposited."""
        return _of_kind(self.deposited, {"currency"})

    @property
    def coin(self) -> Money:
        """Coin deposited, loose and rolled."""
        return _of_kind(self.deposited, {"coin", "rolled"})


def _of_kind(counts: Mapping[str, int], kinds: set[str]) -> Money:
    return total(BY_CODE[c].value * n for c, n in counts.items() if BY_CODE[c].kind in kinds)


# Largest value first; at one value bills before rolls before coin, so bills go to the bank.
_DEPOSIT_ORDER = sorted(
    DENOMINATIONS, key=lambda d: (-d.value.cents, ("currency", "rolled", "coin").index(d.kind))
)


def split_cash(counted: Mapping[str, int], keep: Money | Mapping[str, int]) -> CashSplit:
    """Keep ``keep`` back from ``counted`` cash and deposit the rest.

    By denomination (a mapping): those counts, as far as the drawer has them. By amount:
    the largest bills go to the bank first, so the float keeps the small bills and coin a
    drawer makes change with; when the drawer cannot make the amount exactly the float
    keeps the least more than it, and with less cash than the amount it keeps it all."""
    cash = check_counts(counted)
    if not isinstance(keep, Money):
        wanted = check_counts(keep)
        kept = {c: min(n, wanted.get(c, 0)) for c, n in cash.items() if wanted.get(c, 0)}
        return CashSplit(kept, _less(cash, kept))
    to_bank = count_total(cash) - keep
    deposited: dict[str, int] = {}
    for denom in _DEPOSIT_ORDER:
        have = cash.get(denom.code, 0)
        if not have or not to_bank.is_positive:
            continue
        take = min(have, to_bank.cents // denom.value.cents)
        if take:
            deposited[denom.code] = take
            to_bank -= denom.value * take
    return CashSplit(_less(cash, deposited), deposited)


def _less(cash: Mapping[str, int], taken: Mapping[str, int]) -> dict[str, int]:
    left = {c: n - taken.get(c, 0) for c, n in cash.items()}
    return {c: n for c, n in left.items() if n}

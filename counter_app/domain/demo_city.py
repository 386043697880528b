"""A synthetic utility for demos, training and benchmarks: same seed, same city.

The city is a street grid of premises (service locations). Premise ``p`` has location
number ``p`` and everything about it — its customers, meter, bills and troubles — comes
from a random generator seeded with ``(seed, p)`` alone, so a city of 200 accounts is the
first 200 accounts of a city of a million. Bills are monthly, one of four cycles, for the
twelve months up to the "as of" date, due 21 days after the bill date.

The first premises are a fixed showcase so that even a small city has one account of each
kind: delinquent (shutoff pending), disconnected, credit, closed with a final bill, checks
not accepted, deposit held, and several Smiths.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, NamedTuple

from counter_app.domain.account_number import format_number
from counter_app.domain.billing_records import AccountIdentity, with_search_keys

MONTHS_BILLED = 12
DUE_DAYS = 21
CYCLE_DAYS = (1, 8, 15, 22)  # bill day of the month of each billing cycle
MAX_LOCATION = 999_999
MAX_ACCOUNTS = 1_000_000

# --- the population -----------------------------------------------------------------------
# (name, weight): common names often, so "smith j" finds several; some accented names.
LAST_NAMES: tuple[tuple[str, int], ...] = (
    *(
        (n, 12)
        for n in ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis")
    ),
    *(
        (n, 6)
        for n in (
            "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
            "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
            "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
            "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        )
    ),
    *(
        (n, 3)
        for n in (
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
            "Carter", "Roberts", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards",
            "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Peterson", "Cooper",
            "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood",
            "Watson", "Brooks", "Bennett", "Gray", "James", "Hughes", "Price", "Myers", "Long",
            "Foster", "Sanders", "Ross", "Powell", "Sullivan", "Russell", "Ortiz", "Jenkins",
            "Gutierrez", "Perry", "Butler", "Barnes", "Fisher", "Henderson", "Coleman", "Kim",
            "Patel", "Chen", "Tran", "Park", "O'Brien", "McDonald", "Kowalski", "Novak",
        )
    ),
    *(
        (n, 2)
        for n in (
            "Núñez", "Müller", "Peña", "Muñoz", "Ibáñez", "Jiménez", "Gómez", "Sánchez-Ruiz",
            "Schröder", "Dubois", "Lefèvre", "Björk", "Łukasik", "Çelik", "Şahin", "Nováková",
            "Dvořák", "Håkansson", "Gonçalves", "Fernández",
        )
    ),
)  # fmt: skip
FIRST_NAMES: tuple[tuple[str, int], ...] = (
    *(
        (n, 6)
        for n in (
            "James", "John", "Robert", "Michael", "William", "David", "Mary", "Patricia",
            "Jennifer", "Linda", "Elizabeth", "Barbara", "Joseph", "Jessica", "Sarah", "Karen",
        )
    ),
    *(
        (n, 3)
        for n in (
            "Richard", "Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony",
            "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian",
            "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary",
            "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily",
            "Donna", "Michelle", "Carol", "Amanda", "Dorothy", "Melissa", "Deborah", "Stephanie",
            "Rebecca", "Sharon", "Laura", "Cynthia", "Amy", "Angela", "Anna", "Maria", "Juan",
            "Luis", "Carlos", "Ana", "Rosa", "Jorge", "Wei", "Mei", "Minh", "Priya", "Omar",
        )
    ),
    *(
        (n, 2)
        for n in (
            "José", "Sofía", "Anja", "María", "Zoë", "Renée", "André", "François", "Chloé",
            "Jürgen", "Björn", "Inés", "Raúl", "Søren", "Agnieszka", "Ján", "Léa", "Noël",
        )
    ),
)  # fmt: skip
BUSINESS_WORDS = (
    "Riverside", "Bluebird", "Cedar", "Northgate", "Sunrise", "Valley", "Main Street",
    "Oak Hill", "Harbor", "Pioneer", "Golden", "Lakeside",
)  # fmt: skip
BUSINESS_KINDS = (
    "Cafe", "Laundromat", "Dental Clinic", "Auto Repair", "Bakery", "Apartments LLC",
    "Community Church", "Market", "Hardware", "Pizza", "Veterinary Hospital", "Salon",
)  # fmt: skip
STREET_NAMES = (
    "Oak", "Maple", "Elm", "Pine", "Cedar", "Birch", "Walnut", "Willow", "Chestnut", "Spruce",
    "Ash", "Hickory", "Poplar", "Magnolia", "Sycamore", "Aspen", "Juniper", "Laurel", "Alder",
    "Cherry", "Main", "Church", "Mill", "River", "Lake", "Park", "Hill", "Washington",
    "Lincoln", "Jefferson", "Madison", "Franklin", "Adams", "Jackson", "Union", "Center",
    "Market", "Water", "Bridge", "Spring",
)  # fmt: skip
STREET_TYPES = ("St", "Ave", "Dr", "Ln", "Ct")
HOUSES_PER_BLOCK = 40
AREA_CODES = (541, 458, 503)


def _cumulative(pool: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], list[int]]:
    return tuple(n for n, _ in pool), list(accumulate(w for _, w in pool))


_LAST, _LAST_CUM = _cumulative(LAST_NAMES)
_FIRST, _FIRST_CUM = _cumulative(FIRST_NAMES)
_STREETS = tuple(f"{n} {t}" for t in STREET_TYPES for n in STREET_NAMES)

# --- the accounts' stories ----------------------------------------------------------------
CURRENT = "current"  # paid up except (usually) the latest bill
DELINQUENT = "delinquent"  # older bills open, late fees, shutoff pending
DISCONNECTED = "disconnected"  # water off: bills and late fees open, reconnect fee
CREDIT = "credit"  # paid ahead: a credit, nothing open
CLOSED_OWING = "closed_owing"  # moved out; the final bill is open
CLOSED_PAID = "closed_paid"  # moved out; nothing owed

STATUS_OF = {
    CURRENT: "active",
    CREDIT: "active",
    DELINQUENT: "shutoff_pending",
    DISCONNECTED: "disconnected",
    CLOSED_OWING: "closed",
    CLOSED_PAID: "closed",
}

# Cents.
BASE_WATER, WATER_PER_TENTH = 1850, 42  # $4.20 per 1,000 gallons
BASE_SEWER, SEWER_PER_TENTH, SEWER_CAP_TENTHS = 2200, 51, 120
TRASH_CARTS = (2450, 3175, 3900)
STORMWATER = 680
NSF_FEE = 3500
RECONNECT_FEE = 7500
DEPOSITS = (10000, 15000, 20000)
LATE_FEE_PERCENT, LATE_FEE_MIN = 5, 500
SEASON = (0.8, 0.8, 0.85, 0.95, 1.1, 1.3, 1.45, 1.45, 1.2, 1.0, 0.85, 0.8)  # Jan..Dec
LABELS = {
    "water": "Water",
    "sewer": "Sewer",
    "trash": "Trash",
    "stormwater": "Stormwater",
    "late_fee": "Late fee",
    "nsf_fee": "Returned check fee",
    "reconnect_fee": "Reconnect fee",
    "final_bill": "Final bill",
}


# A charge as the loader writes it: plain tuples, as a million accounts make 40 million.
ChargeRow = tuple[str, int, str, str, dt.date, dt.date, int, int]
CHARGE_FIELDS = (
    "external_id",
    "account_id",
    "kind",
    "description",
    "bill_date",
    "due_date",
    "amount_cents",
    "open_cents",
)
BILL_LINES = ("water", "sewer", "trash", "stormwater")


@dataclass(frozen=True, slots=True)
class DemoAccount(AccountIdentity):
    """An account of the demo city, with its charges."""

    status: str
    shutoff_date: dt.date | None
    deposit_cents: int
    credit_cents: int
    checks_not_accepted: bool
    charges: list[ChargeRow] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        """The stored account fields, search keys included."""
        return with_search_keys(
            {
                "id": self.id,
                "number": self.number,
                "customer_name": self.customer_name,
                "service_address": self.service_address,
                "meter_number": self.meter_number,
                "phone": self.phone,
                "status": self.status,
                "shutoff_date": self.shutoff_date,
                "deposit_cents": self.deposit_cents,
                "credit_cents": self.credit_cents,
                "checks_not_accepted": self.checks_not_accepted,
            }
        )

    @property
    def open_cents(self) -> int:
        return sum(c[7] for c in self.charges)


class Bill(NamedTuple):
    bill_date: dt.date
    due_date: dt.date
    # (kind, description, end of the external id) of each bill line:
    # ("water", "Water, Nov 2026", "-20261108-water")
    lines: tuple[tuple[str, str, str], ...]
    season: float


class Occupant(NamedTuple):
    """Who holds an account at a premise, and how their story goes."""

    sequence: int
    name: str
    profile: str
    first_bill: int = 0  # index into the 12 bills: 0 = billed all year
    last_bill: int = MONTHS_BILLED  # exclusive; < 12 means moved out
    deposit: bool = False
    nsf: bool = False


# The first premises: one of each kind, whatever the seed.
SHOWCASE: tuple[tuple[Occupant, ...], ...] = (
    (Occupant(1, "Smith, John", CURRENT),),
    (Occupant(1, "Núñez, José", DELINQUENT, deposit=True),),
    (Occupant(2, "Müller, Anja", DISCONNECTED, nsf=True),),
    (Occupant(1, "Peña, Sofía", CREDIT),),
    (
        Occupant(1, "Smith, Jane", CLOSED_OWING, last_bill=7),
        Occupant(2, "Johnson, Mary", CURRENT, first_bill=7, deposit=True),
    ),
    (Occupant(1, "Smith, James", CURRENT, nsf=True, deposit=True),),
    (
        Occupant(3, "Garcia, Luis", CLOSED_PAID, last_bill=4),
        Occupant(4, "Smith, Jennifer", DELINQUENT, first_bill=4),
    ),
    (Occupant(1, "Riverside Cafe", CURRENT, deposit=True),),
)


def bill_calendar(as_of: dt.date, cycle_day: int) -> tuple[Bill, ...]:
    """The twelve latest bills of a cycle on or before ``as_of``, oldest first."""
    year, month = as_of.year, as_of.month
    if as_of.day < cycle_day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    bills = []
    for _ in range(MONTHS_BILLED):
        day = dt.date(year, month, cycle_day)
        shown = day.strftime("%b %Y")
        bills.append(
            Bill(
                bill_date=day,
                due_date=day + dt.timedelta(days=DUE_DAYS),
                lines=tuple((k, f"{LABELS[k]}, {shown}", f"-{day:%Y%m%d}-{k}") for k in BILL_LINES),
                season=SEASON[month - 1],
            )
        )
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(reversed(bills))


def premise_address(p: int) -> str:
    """A unique address on the grid: forty houses a block, blocks of one street together."""
    group, lot = divmod(p - 1, HOUSES_PER_BLOCK)
    block, street = divmod(group, len(_STREETS))
    return f"{(block + 1) * 100 + lot * 2} {_STREETS[street]}"


def premise_meter(p: int) -> str:
    """A unique meter number such as ``77-20931``."""
    return f"{11 + p // 100_000 * 7}-{p * 48_271 % 100_000:05d}"


class DemoCity:
    """The accounts of the city with ``seed``, billed up to ``as_of``."""

    def __init__(self, seed: int, as_of: dt.date) -> None:
        if seed < 0:
            raise ValueError("the seed is a whole number, zero or more")
        self.seed = seed
        self.as_of = as_of
        self.calendars = tuple(bill_calendar(as_of, day) for day in CYCLE_DAYS)
        self._rng = random.Random()

    def accounts(self, count: int, first_id: int = 1) -> Iterator[DemoAccount]:
        """The first ``count`` accounts, premise by premise, with ids from ``first_id``."""
        if not 0 <= count <= MAX_ACCOUNTS:
            raise ValueError(f"a demo city has 0 to {MAX_ACCOUNTS:,} accounts")
        made = 0
        for p in range(1, MAX_LOCATION + 1):
            for account in self.premise(p, first_id + made):
                if made == count:
                    return
                yield account
                made += 1
        if made < count:  # pragma: no cover - MAX_ACCOUNTS fits in the locations
            raise ValueError("the city ran out of locations")

    # --- one premise ----------------------------------------------------------------------
    def premise(self, p: int, first_id: int) -> list[DemoAccount]:
        """The accounts of premise ``p`` (one, or two when a customer moved out)."""
        rng = self._rng
        rng.seed((self.seed << 20) + p)
        bills = self.calendars[int(rng.random() * len(CYCLE_DAYS))]
        usage = 3 + rng.random() * 9  # thousands of gallons a month, on average
        trash = _pick(rng, TRASH_CARTS)
        lines = 4 if rng.random() < 0.3 else 3  # three premises in ten pay for stormwater
        occupants = SHOWCASE[p - 1] if p <= len(SHOWCASE) else self._occupants(rng)
        out = []
        for i, occ in enumerate(occupants):
            account_id = first_id + i
            billed = bills[occ.first_bill : occ.last_bill]
            first_open = len(billed) - self._open_bills(rng, occ, len(billed))
            charges: list[ChargeRow] = []
            add = charges.append
            owed: list[tuple[Bill, int]] = []  # each open bill and its total
            head = f"B{account_id:07d}"
            for n, b in enumerate(billed):
                tenths = int(usage * b.season * (0.85 + rng.random() * 0.3) * 10)
                amounts = (
                    BASE_WATER + tenths * WATER_PER_TENTH,
                    BASE_SEWER + min(tenths, SEWER_CAP_TENTHS) * SEWER_PER_TENTH,
                    trash,
                    STORMWATER,
                )
                owing = n >= first_open
                if owing:
                    owed.append((b, sum(amounts[:lines])))
                bill_date, due_date = b.bill_date, b.due_date
                for (kind, label, end), amount in zip(b.lines[:lines], amounts, strict=False):
                    add((
                        head + end, account_id, kind, label, bill_date, due_date, amount,
                        amount if owing else 0,
                    ))  # fmt: skip
            if occ.profile == DELINQUENT and owed and rng.random() < 0.4:
                # Part of the oldest open bill was paid: its water line is partly open.
                i = (len(billed) - len(owed)) * lines
                water = charges[i]
                charges[i] = (*water[:7], water[6] * 2 // 5)
            shutoff = self._shutoff(rng, occ)
            charges.extend(self._fees(rng, occ, account_id, billed, owed, shutoff))
            charges.sort()  # by external id: by date, then kind; keys arrive in index order
            out.append(
                DemoAccount(
                    id=account_id,
                    number=format_number(p, occ.sequence),
                    customer_name=occ.name,
                    service_address=premise_address(p),
                    meter_number=premise_meter(p),
                    phone=self._phone(rng),
                    status=STATUS_OF[occ.profile],
                    shutoff_date=shutoff,
                    deposit_cents=_pick(rng, DEPOSITS) if occ.deposit else 0,
                    credit_cents=500 + int(rng.random() * 11_500) if occ.profile == CREDIT else 0,
                    checks_not_accepted=occ.nsf,
                    charges=charges,
                )
            )
        return out

    def _occupants(self, rng: random.Random) -> tuple[Occupant, ...]:
        r = rng.random()
        nsf = rng.random() < 0.025
        deposit = rng.random() < 0.12
        sequence = 1 + (rng.random() < 0.3) + (rng.random() < 0.2)
        if r < 0.05:  # moved out this year; a new customer moved in
            move = 2 + int(rng.random() * 9)
            before = CLOSED_OWING if rng.random() < 0.5 else CLOSED_PAID
            return (
                Occupant(sequence, self._name(rng), before, last_bill=move),
                Occupant(
                    sequence + 1, self._name(rng), CURRENT, first_bill=move, deposit=True, nsf=nsf
                ),
            )
        if r < 0.06:  # moved out; vacant since
            move = 2 + int(rng.random() * 9)
            return (Occupant(sequence, self._name(rng), CLOSED_OWING, last_bill=move),)
        profile = (
            DELINQUENT
            if r < 0.12
            else DISCONNECTED
            if r < 0.14
            else CREDIT
            if r < 0.17
            else CURRENT
        )
        return (Occupant(sequence, self._name(rng), profile, deposit=deposit, nsf=nsf),)

    @staticmethod
    def _name(rng: random.Random) -> str:
        if rng.random() < 0.03:
            word = BUSINESS_WORDS[int(rng.random() * len(BUSINESS_WORDS))]
            return f"{word} {BUSINESS_KINDS[int(rng.random() * len(BUSINESS_KINDS))]}"
        last = rng.choices(_LAST, cum_weights=_LAST_CUM)[0]
        first = rng.choices(_FIRST, cum_weights=_FIRST_CUM)[0]
        if rng.random() < 0.2:
            return f"{last}, {first} {chr(65 + int(rng.random() * 26))}"
        return f"{last}, {first}"

    @staticmethod
    def _phone(rng: random.Random) -> str:
        if rng.random() < 0.08:
            return ""
        area = AREA_CODES[int(rng.random() * len(AREA_CODES))]
        return f"({area}) {200 + int(rng.random() * 800)}-{int(rng.random() * 10_000):04d}"

    @staticmethod
    def _open_bills(rng: random.Random, occ: Occupant, billed: int) -> int:
        """How many of the latest bills are unpaid."""
        if occ.profile == CURRENT:
            return min(billed, int(rng.random() < 0.85))
        if occ.profile == DELINQUENT:
            return min(billed, 2 + (rng.random() < 0.5))
        if occ.profile == DISCONNECTED:
            return min(billed, 4 + (rng.random() < 0.5))
        return 0

    def _shutoff(self, rng: random.Random, occ: Occupant) -> dt.date | None:
        """Shutoff pending: in the next 1-14 days; disconnected: when it was shut off."""
        if occ.profile == DELINQUENT:
            return self.as_of + dt.timedelta(days=1 + int(rng.random() * 14))
        if occ.profile == DISCONNECTED:
            return self.as_of - dt.timedelta(days=1 + int(rng.random() * 20))
        return None

    def _fees(
        self,
        rng: random.Random,
        occ: Occupant,
        account_id: int,
        billed: tuple[Bill, ...],
        owed: list[tuple[Bill, int]],
        shutoff: dt.date | None,
    ) -> Iterator[ChargeRow]:
        """Late fees on open bills past due, reconnect, returned-check and final bills."""
        fees: list[tuple[str, dt.date, int, bool]] = []
        if occ.profile in (DELINQUENT, DISCONNECTED):  # a late fee on each bill past due
            for b, total in owed:
                if b.due_date < self.as_of:
                    late = max(LATE_FEE_MIN, total * LATE_FEE_PERCENT // 100)
                    fees.append(("late_fee", b.due_date + _DAY, late, True))
        if occ.profile == DISCONNECTED and shutoff is not None:
            fees.append(("reconnect_fee", shutoff, RECONNECT_FEE, True))
        if occ.nsf:
            bounced = min(billed[int(rng.random() * len(billed))].due_date, self.as_of)
            fees.append(("nsf_fee", bounced, NSF_FEE, occ.profile in (DELINQUENT, DISCONNECTED)))
        if occ.profile in (CLOSED_OWING, CLOSED_PAID):
            amount = 2000 + int(rng.random() * 7000)
            final = billed[-1].bill_date + dt.timedelta(days=10)
            fees.append(("final_bill", final, amount, occ.profile == CLOSED_OWING))
        for kind, day, amount, owing in fees:
            due = day if kind in ("late_fee", "reconnect_fee") else day + _DUE
            yield (
                f"B{account_id:07d}-{day:%Y%m%d}-{kind}",
                account_id,
                kind,
                f"{LABELS[kind]}, {day:%b} {day.day} {day.year}",
                day,
                due,
                amount,
                amount if owing else 0,
            )


def _pick(rng: random.Random, options: tuple[int, ...]) -> int:
    return options[int(rng.random() * len(options))]


_DAY = dt.timedelta(days=1)
_DUE = dt.timedelta(days=DUE_DAYS)

"""Account lookup: one search box for account numbers, bill-stub scan lines, names,
service addresses, meters and phones; and the account view the cashier works from.

Every kind of query becomes prefix range scans (``key >= p AND key < p'``) on the normalised
key columns, and on ``search_words`` for a word from the middle of a name or address; each
is a plain B-tree index scan with a LIMIT, so a lookup reads a few dozen index entries
however many accounts there are. Open (not closed) accounts are read first; closed
ones are read only to fill the room left, so they never push an open account off the list.

A search answers one page of ``MAX_RESULTS`` (page 2 reads the first 100 of each scan and
shows the second 50), and says whether more follow; ``count`` says how many match, reading
at most ``COUNT_CAP`` + 1 index entries a scan ("more than 500" beyond).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Dialect,
    Integer,
    Select,
    bindparam,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement

from counter_app.db.models import (
    Account,
    Charge,
    Payment,
    Receipt,
    SearchWord,
    Transaction,
)
from counter_app.domain.account_number import parse_account_number
from counter_app.domain.accounts import (
    COUNTER_FEE_KINDS,
    AccountStatus,
    AccountSummary,
    LastBill,
    PaymentSummary,
    last_bill_of,
)
from counter_app.domain.allocation import OpenCharge
from counter_app.domain.digits import DIGITS, is_digits
from counter_app.domain.errors import InvalidAccountNumber, NotFound, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.scanline import ScanLine, looks_like_scanline, parse_scanline
from counter_app.domain.search_keys import (
    MIN_WORD,
    address_key,
    bounded_query,
    digits_key,
    meter_key,
    name_key,
    phone_key,
    street_key,
)
from counter_app.domain.transactions import TransactionKind
from counter_app.services import receipts, service_orders
from counter_app.services.context import Context

MAX_RESULTS = 50  # one page of results
COUNT_CAP = 500  # ``count`` counts this many matches at most: beyond, "more than 500"
# The tables a lookup reads: a bulk write (demo load, import) refreshes their statistics.
LOOKUP_TABLES = (Account.__tablename__, Charge.__tablename__, SearchWord.__tablename__)
_STATUS = {s.value: s for s in AccountStatus}
LAST_PAYMENTS = 3


class AccountHit(NamedTuple):
    """One line of the results list (a tuple: fifty are made per keystroke search)."""

    id: int
    number: str
    customer_name: str
    service_address: str
    status: AccountStatus
    balance: Money
    matched: str  # which key matched: number, name, address, meter, phone


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[AccountHit, ...]  # one page: at most ``MAX_RESULTS``
    scan: ScanLine | None = None  # set when the query was a bill-stub scan line
    page: int = 0  # 0 = the first ``MAX_RESULTS``
    more: bool = False  # another page follows
    cut: bool = False  # the query was cut to its first words (``bounded_query``)

    @property
    def first(self) -> int:
        """The place of the page's first hit among all the matches, from 1."""
        return self.page * MAX_RESULTS + 1


@dataclass(frozen=True)
class MatchCount:
    """How many accounts a query matches: ``total`` exactly, or (``exact`` False) at least
    ``total`` — more than ``COUNT_CAP``, or a word plan read only its first ``WORD_SCAN``
    index entries."""

    total: int
    exact: bool = True

    def __str__(self) -> str:
        if self.exact:
            return f"{self.total:,}"
        if self.total > COUNT_CAP:
            return f"more than {COUNT_CAP:,}"
        return f"at least {self.total:,}"


def _upper_bound(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@dataclass(frozen=True)
class Plan:
    """One index scan: ``column`` equal to ``low`` (``high`` None) or in [low, high).

    The ``word`` plan scans ``search_words`` instead, keeping the accounts that also have
    a word in each of the ``more`` ranges (the query's other words)."""

    label: str  # what the cashier is told matched: number, name, address, meter, phone
    column: str  # the Account key column, or WORD
    low: str
    high: str | None = None
    more: tuple[tuple[str, str], ...] = ()


WORD = "word"  # the plan on search_words: any word of the name or address
# Index entries a word plan reads at most (its accounts are then checked for the query's
# other words and status): the cost of "smith q" or "oak mill" stays bounded at 1 M.
WORD_SCAN = 2_000


def _prefix(label: str, column: str, prefix: str) -> Plan:
    return Plan(label, column, prefix, _upper_bound(prefix))


def _plan(query: str) -> list[Plan]:
    """The index scans for each key the query could be, best first."""
    raw = query.strip()
    plans: list[Plan] = []
    compact = raw.replace("-", "").replace(" ", "").replace("(", "").replace(")", "")
    if is_digits(compact):
        digits = digits_key(raw)
        try:
            number = parse_account_number(raw).replace("-", "")
            plans.append(Plan("number", "number_key", number))
        except InvalidAccountNumber:
            if len(digits) >= 3 and len(digits) <= 8:
                plans.append(_prefix("number", "number_key", digits))
        if len(digits) >= 3:
            plans.append(_prefix("meter", "meter_key", digits))
        if len(digits) >= 4:
            plans.append(_prefix("phone", "phone_key", phone_key(raw)))
        return plans
    if raw[:1] in DIGITS:
        key = address_key(raw)
        if key:
            plans.append(_prefix("address", "address_key", key))
        mkey = meter_key(raw)
        if mkey:
            plans.append(_prefix("meter", "meter_key", mkey))
        return plans
    key = name_key(raw)
    if len(key) >= 2:
        plans.append(_prefix("name", "name_key", key))
        first, _, rest = key.partition(" ")
        if rest:  # "j smith": first name (or initial) first → "SMITH J"
            plans.append(_prefix("name", "name_key", f"{rest} {first}"))
        plans.append(_prefix("name", "name_alt_key", key))
        plans.append(_prefix("address", "street_key", street_key(raw)))
        plans += _word_plan(raw)
    return plans


def _word_plan(raw: str) -> list[Plan]:
    """Accounts with a word starting with each word of the query, anywhere in the name or
    address ("mill rd" → 77 Old Mill Rd). The longest word, likely the rarest, is the one
    scanned (at most ``WORD_SCAN`` entries); the others are checked per account. A single
    letter is an initial, which the name keys serve ("smith j"): no word plan then (the
    index has no one-letter words)."""
    typed = address_key(raw).split()  # spelt as search_words stores them
    if not typed or min(len(w) for w in typed) < MIN_WORD:
        return []
    scanned = max(typed, key=len)
    typed.remove(scanned)
    return [
        Plan(WORD, WORD, scanned, _upper_bound(scanned), tuple((w, _upper_bound(w)) for w in typed))
    ]


def _matched(plan: Plan, name: str) -> str:
    """What a hit matched: a word plan's hit is a name hit if a word of the name starts
    with the scanned word, else an address hit."""
    if plan.column != WORD:
        return plan.label
    return "name" if any(w.startswith(plan.low) for w in address_key(name).split()) else "address"


def plans_for(ctx: Context, raw: str) -> tuple[list[Plan], ScanLine | None]:
    """The index scans a query (already stripped, not empty) becomes, and its parsed scan
    line if it is one; refuses a query too short to search."""
    scan = None
    if looks_like_scanline(raw, ctx.settings.scanline):
        scan = parse_scanline(raw, ctx.settings.scanline)
        plans = [Plan("number", "number_key", scan.account_number.replace("-", ""))]
    else:
        plans = _plan(raw)
    if not plans:
        raise ValidationError(
            f'"{raw}" is too short to search: type 2 letters of a name, 3 digits, or scan the stub'
        )
    return plans, scan


def search(ctx: Context, query: str, page: int = 0) -> SearchResult:
    """Accounts matching what was typed or scanned, one page of at most ``MAX_RESULTS``
    (``page`` 0 first): open accounts first, each in the order of the key that found it,
    then closed ones; ``more`` says whether another page follows. Only the query's first
    words are searched (``bounded_query``; ``cut`` says so).

    The plans run one at a time, best first, each reading its first ``end`` + 1 rows (``end``
    the page's last place), and stop once ``end`` + 1 accounts are found: an account ranks by
    its best (plan, position), so those are the first ``end`` + 1 of all the matches, and
    the one past ``end`` says there are more. "smith john" is answered by its first plan."""
    raw, cut = bounded_query(query)
    if not raw:
        return SearchResult(())
    if page < 0:
        raise ValueError("pages count from 0")
    plans, scan = plans_for(ctx, raw)
    start, end = page * MAX_RESULTS, (page + 1) * MAX_RESULTS
    with ctx.db.connect() as conn:
        reader = _Reader(conn, plans)
        ordered = reader.accounts(closed=False, want=end + 1)
        if len(ordered) <= end:  # every open account is read: closed ones come after
            ordered += reader.accounts(closed=True, want=end + 1 - len(ordered))
    more = len(ordered) > end
    hits = tuple(
        AccountHit(
            id_,
            number,
            name,
            address,
            _STATUS[status],
            Money(int(open_cents) - credit),
            _matched(plans[plan], name),
        )
        for plan, (id_, number, name, address, status, credit, open_cents) in ordered[start:end]
    )
    if scan is not None and not hits and page == 0:
        raise NotFound(f"The stub's account {scan.account_number} is not on file")
    return SearchResult(hits, scan, page, more, cut)


OPEN, CLOSED, ANY = "open", "closed", "any"  # which accounts a plan's statement reads


class _Reader:
    """The plans of one search, read on ``conn`` one at a time, best first.

    A plan after the first (and a word plan, which reads a bounded stretch of the index,
    ``WORD_SCAN`` entries, whatever it finds) is read once only when it can be: it reads
    open and closed accounts together, so when few match ("patel emily", "riverside
    birch") its closed ones are at hand for the closed pass instead of being read for again
    (at 1 M accounts on PostgreSQL, up to four statements fewer for a name). The first plan
    reads open accounts alone: it is the one that fills a page ("smith")."""

    def __init__(self, conn: Connection, plans: Sequence[Plan]) -> None:
        self.conn = conn
        self.plans = plans
        self._closed: dict[int, list[Any]] = {}  # a word plan's closed matches, every one

    def accounts(self, *, closed: bool, want: int) -> list[tuple[int, Any]]:
        """The first ``want`` open (or closed) accounts the plans find, as (plan, row), best
        first: a plan is read only while fewer than ``want`` accounts are found."""
        best: dict[int, tuple[int, Any]] = {}
        for i, plan in enumerate(self.plans):
            for row in self._rows(i, plan, closed, want):
                best.setdefault(row[0], (i, row))
            if len(best) >= want:
                break
        return list(best.values())[:want]

    def _rows(self, i: int, plan: Plan, closed: bool, want: int) -> Sequence[Any]:
        if i == 0 and plan.column != WORD:  # the best plan, the one that fills most pages
            return _rows(self.conn, _statement, plan, CLOSED if closed else OPEN, want)
        if closed:
            kept = self._closed.pop(i, None)
            return kept if kept is not None else _rows(self.conn, _statement, plan, CLOSED, want)
        rows = _rows(self.conn, _statement, plan, ANY, 2 * want)
        opened = [r for r in rows if r[4] != AccountStatus.CLOSED.value]
        if len(rows) < 2 * want:  # the scan's every match: the closed ones are all here too
            self._closed[i] = [r for r in rows if r[4] == AccountStatus.CLOSED.value]
        elif len(opened) < want:  # closed ones took the room: read the open ones alone
            return _rows(self.conn, _statement, plan, OPEN, want)
        return opened


def count(ctx: Context, query: str) -> MatchCount:
    """How many accounts (open or closed) ``query`` matches — the accounts a search pages
    through. Each plan's first ``COUNT_CAP`` + 1 matching ids (an index range, no balances)
    are read in turn, an account found twice counted once, until more than ``COUNT_CAP``
    are found; so a count reads at most that many entries a plan however many match."""
    raw, _ = bounded_query(query)
    if not raw:
        return MatchCount(0)
    plans, _ = plans_for(ctx, raw)
    found: set[int] = set()
    with ctx.db.connect() as conn:
        for plan in plans:
            found.update(r[0] for r in _rows(conn, _count_statement, plan, "ids", COUNT_CAP + 1))
            if len(found) > COUNT_CAP:
                return MatchCount(len(found), exact=False)
        stopped = any(  # a word scan that stopped before its range's end: "at least"
            _rows(conn, _count_statement, p, "entries", WORD_SCAN)[0][0] >= WORD_SCAN
            for p in plans
            if p.column == WORD
        )
    return MatchCount(len(found), exact=not stopped)


PlanShape = tuple[str, bool, int]  # (key column, exact match?, more words) of a plan


def _shape(plan: Plan, limit: int) -> tuple[PlanShape, dict[str, Any]]:
    """What the statement for ``plan`` looks like, and the values of its parameters."""
    params: dict[str, Any] = {"limit": limit, "low": plan.low}
    if plan.high is not None:
        params["high"] = plan.high
    for k, (low, high) in enumerate(plan.more):
        params[f"low_{k}"], params[f"high_{k}"] = low, high
    return (plan.column, plan.high is None, len(plan.more)), params


Builder = Callable[[PlanShape, str], Select[Any]]


def _rows(conn: Connection, build: Builder, plan: Plan, mode: str, limit: int) -> Sequence[Any]:
    """Run the statement ``build`` makes for ``plan`` as the driver's SQL, compiled once per
    shape and dialect: a lookup pays for its index scans, not for building and compiling
    the statement every time."""
    shape, params = _shape(plan, limit)
    compiled, sql = _compiled(build, shape, mode, conn.dialect)
    named = compiled.construct_params(params)
    values: Mapping[str, Any] | tuple[Any, ...] = named
    if compiled.positiontup is not None:
        values = tuple(named[name] for name in compiled.positiontup)
    return conn.exec_driver_sql(sql, values).all()  # one fetchall, not a fetch per row


@functools.lru_cache(maxsize=128)
def _compiled(
    build: Builder, shape: PlanShape, mode: str, dialect: Dialect
) -> tuple[SQLCompiler, str]:
    """A statement shape compiled for ``dialect``, and its SQL text."""
    compiled = build(shape, mode).compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler):
        raise TypeError("a select compiles to SQL")
    return compiled, str(compiled)


def _key_condition(shape: PlanShape) -> tuple[Any, tuple[Any, ...]]:
    """A key plan's condition on its column, and its order."""
    name, exact, _ = shape
    column = getattr(Account, name)
    low = bindparam("low", type_=column.type)  # the key's collation ("C")
    return (column == low if exact else _within(column)), (column,)


@functools.lru_cache(maxsize=64)
def _statement(shape: PlanShape, mode: str) -> Select[Any]:
    """A plan's first ``limit`` open, closed or (``ANY``) all accounts, in the order of its
    key, with each one's open balance (a sum over the open charges' own index)."""
    is_closed = Account.status == AccountStatus.CLOSED.value
    open_cents = (
        select(func.coalesce(func.sum(Charge.open_cents), 0))
        .where(Charge.account_id == Account.id, Charge.open_cents > 0)
        .scalar_subquery()
    )
    if shape[0] == WORD:
        scanned = _scanned_words()
        order: tuple[Any, ...] = (scanned.c.word, scanned.c.account_id)
        condition = _other_words(shape[2], scanned.c.account_id)  # before the account is read
    else:
        condition, order = _key_condition(shape)
    if mode != ANY:
        condition = condition & (is_closed if mode == CLOSED else ~is_closed)
    found = (
        select(
            Account.id,
            Account.number,
            Account.customer_name,
            Account.service_address,
            Account.status,
            Account.credit_cents,
            open_cents.label("open_cents"),
        )
        .where(condition)
        .order_by(*order)
        .limit(bindparam("limit", type_=Integer))
    )
    if shape[0] == WORD:
        found = found.select_from(scanned).join(Account, Account.id == scanned.c.account_id)
    return found


@functools.lru_cache(maxsize=64)
def _count_statement(shape: PlanShape, mode: str) -> Select[Any]:
    """A plan's first ``limit`` matching account ids (``mode`` "ids"), or (a word plan,
    "entries") how many entries its scan reads: ``WORD_SCAN`` when it stopped before the
    end of its range, so more may match."""
    limit = bindparam("limit", type_=Integer)
    if shape[0] != WORD:
        condition, _ = _key_condition(shape)
        return select(Account.id).where(condition).limit(limit)
    words = _scanned_words()
    if mode == "entries":
        return select(func.count()).select_from(words)
    return (
        select(words.c.account_id)
        .where(_other_words(shape[2], words.c.account_id))
        .distinct()
        .limit(limit)
    )


def _within(column: Any, suffix: str = "") -> Any:
    """``column`` in [low<suffix>, high<suffix>), bound with the key's collation ("C")."""
    low = bindparam(f"low{suffix}", type_=column.type)
    return (column >= low) & (column < bindparam(f"high{suffix}", type_=column.type))


def _scanned_words() -> Any:
    """The first ``WORD_SCAN`` (word, account) entries in the plan's word range: however
    common the word, a lookup reads a bounded stretch of the index."""
    return (
        select(SearchWord.word, SearchWord.account_id)
        .where(_within(SearchWord.word))
        .order_by(SearchWord.word, SearchWord.account_id)
        .limit(WORD_SCAN)
        .subquery("words")
    )


def _other_words(more: int, account_id: Any) -> Any:
    """The account has a word in each of the plan's ``more`` other ranges: one probe of
    the (account_id, word) index per account. A scalar subquery, not EXISTS: PostgreSQL
    would turn EXISTS into a join, reading every account with the other word."""
    condition: ColumnElement[bool] = true()
    for k in range(more):
        other = aliased(SearchWord)
        condition &= (
            select(literal(1))
            .where(other.account_id == account_id, _within(other.word, f"_{k}"))
            .limit(1)
            .scalar_subquery()
            .is_not(None)
        )
    return condition


def open_charges(session: Session, account_id: int) -> list[OpenCharge]:
    return open_charges_of(session, [account_id])[account_id]


_OPEN_CHARGES = (
    select(
        Charge.id,
        Charge.account_id,
        Charge.kind,
        Charge.bill_date,
        Charge.due_date,
        Charge.open_cents,
    )
    .where(Charge.account_id.in_(bindparam("accounts", expanding=True)), Charge.open_cents > 0)
    .order_by(Charge.bill_date, Charge.id)
)


def open_charges_of(session: Session, account_ids: Sequence[int]) -> dict[int, list[OpenCharge]]:
    """The open charges of each account, oldest bill first, by account id (each id has a
    list, perhaps empty)."""
    found: dict[int, list[OpenCharge]] = {i: [] for i in account_ids}
    for row in session.connection().execute(_OPEN_CHARGES, {"accounts": list(account_ids)}):
        found[row.account_id].append(
            OpenCharge(row.id, row.kind, row.bill_date, row.due_date, Money(row.open_cents))
        )
    return found


def last_bill(session: Session, account_id: int) -> LastBill | None:
    """The account's newest bill, from all its bill charges (paid or not)."""
    bill_charges = (Charge.account_id == account_id) & Charge.kind.not_in(COUNTER_FEE_KINDS)
    newest = select(func.max(Charge.bill_date)).where(bill_charges).scalar_subquery()
    rows = session.execute(
        select(Charge.kind, Charge.bill_date, Charge.due_date, Charge.amount_cents).where(
            bill_charges, Charge.bill_date == newest
        )
    ).all()
    return last_bill_of([(k, b, d, Money(a)) for k, b, d, a in rows])


def summarize(ctx: Context, session: Session, account: Account) -> AccountSummary:
    """The account view for ``account`` as of today, with its last bill and payments (and,
    reconnect ordered, the order)."""
    ordered = account.status == AccountStatus.RECONNECT_ORDERED.value
    return summary_of(
        ctx,
        account,
        open_charges(session, account.id),
        tuple(_last_payments(session, account.id)),
        last_bill(session, account.id),
        service_orders.open_orders(session, [account.id]).get(account.id, "") if ordered else "",
    )


def summary_of(
    ctx: Context,
    account: Account,
    charges: Sequence[OpenCharge],
    last_payments: tuple[PaymentSummary, ...] = (),
    bill: LastBill | None = None,
    service_order: str = "",
) -> AccountSummary:
    """The account view from an account row and its open charges."""
    return AccountSummary(
        id=account.id,
        number=account.number,
        customer_name=account.customer_name,
        service_address=account.service_address,
        meter_number=account.meter_number,
        phone=account.phone,
        status=AccountStatus(account.status),
        shutoff_date=account.shutoff_date,
        deposit=Money(account.deposit_cents),
        credit=Money(account.credit_cents),
        checks_not_accepted=account.checks_not_accepted,
        open_charges=tuple(charges),
        today=ctx.today(),
        last_payments=last_payments,
        last_bill=bill,
        reconnect_fee_setting=ctx.settings.policy.reconnect_fee,
        service_order=service_order,
    )


def _last_payments(session: Session, account_id: int) -> Iterable[PaymentSummary]:
    rows = session.execute(
        select(Payment, Transaction, Receipt.number)
        .join(Transaction, Payment.transaction_id == Transaction.id)
        .join(Receipt, Receipt.transaction_id == Transaction.id)
        .where(Payment.account_id == account_id, Transaction.kind == TransactionKind.PAYMENT)
        .order_by(Transaction.id.desc())
        .limit(LAST_PAYMENTS)
    ).all()
    if not rows:
        return []
    txn_ids = [t.id for _, t, _ in rows]
    reversed_by = receipts.reversals_of(session, txn_ids)
    paid_with = receipts.tender_descriptions(session, txn_ids)
    return [
        PaymentSummary(
            receipt_number=number,
            paid_at=txn.created_at,
            amount=Money(payment.amount_cents),
            tenders=paid_with.get(txn.id, ""),
            voided=txn.id in reversed_by and reversed_by[txn.id].is_void,
        )
        for payment, txn, number in rows
    ]


def account_by_number(session: Session, number: str) -> Account:
    """The account numbered ``number`` (as typed, with or without dash or check digit);
    ``NotFound`` when there is none."""
    normalised = parse_account_number(number)
    account = session.execute(
        select(Account).where(Account.number == normalised)
    ).scalar_one_or_none()
    if account is None:
        raise NotFound(f"No account {normalised}")
    return account


def get_account(ctx: Context, number: str) -> AccountSummary:
    """The account view by number (as typed, with or without dash or check digit)."""
    with ctx.db.read() as session:
        return summarize(ctx, session, account_by_number(session, number))

"""Normalised search keys for account lookup: upper-case ASCII words, one spelling per idea.

The same functions build the keys stored with each account and the keys a typed query is
turned into, so "1200 Oak Street", "1200 OAK ST." and "1200 oak st" all meet in one index.
"""

from __future__ import annotations

import re
import unicodedata

from counter_app.domain.digits import DIGITS, only_digits

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")

STREET_ABBREVIATIONS: dict[str, str] = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "ROAD": "RD",
    "DRIVE": "DR",
    "LANE": "LN",
    "BOULEVARD": "BLVD",
    "COURT": "CT",
    "PLACE": "PL",
    "TERRACE": "TER",
    "CIRCLE": "CIR",
    "PARKWAY": "PKWY",
    "HIGHWAY": "HWY",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "APARTMENT": "APT",
    "SUITE": "STE",
}


def words(text: str) -> list[str]:
    """Upper-case ASCII words of ``text``: accents folded, punctuation dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [w for w in _NON_ALNUM.split(folded.upper()) if w]


def name_key(text: str) -> str:
    """``"Smith, John"`` → ``"SMITH JOHN"``; names are stored last name first."""
    return " ".join(words(text))


def address_key(text: str) -> str:
    """``"1200 Oak Street"`` → ``"1200 OAK ST"``."""
    return " ".join(STREET_ABBREVIATIONS.get(w, w) for w in words(text))


# What a search reads of a query: its first words, within the longest key column. A longer
# query can match nothing more (no stored key is longer), but each further word is one more
# condition on the word plan: 2,000 pasted words made a statement SQLite would not run.
MAX_QUERY_WORDS = 6
MAX_QUERY_CHARS = 160


def bounded_query(text: str) -> tuple[str, bool]:
    """``text`` stripped and cut to its first ``MAX_QUERY_WORDS`` words and
    ``MAX_QUERY_CHARS`` characters, and whether anything was cut."""
    raw = text.strip()
    bounded = raw[:MAX_QUERY_CHARS].rstrip()
    parts = bounded.split()
    if len(parts) > MAX_QUERY_WORDS:
        bounded = " ".join(parts[:MAX_QUERY_WORDS])
    return bounded, bounded != raw


MIN_WORD = 2  # shorter words (initials, "N" for North) are not indexed on their own


def search_words(name: str, address: str) -> set[str]:
    """Every word of a customer name and a service address an account can be found by,
    as ``address_key`` spells them: ``("Lopez, Ana Mary", "77 Old Mill Road")`` →
    ``{"LOPEZ", "ANA", "MARY", "77", "OLD", "MILL", "RD"}``."""
    return {w for w in f"{address_key(name)} {address_key(address)}".split() if len(w) >= MIN_WORD}


def street_key(address: str) -> str:
    """Street first, house number last: ``"1200 OAK ST"`` → ``"OAK ST 1200"``.

    Lets "oak" find every account on Oak St with the same prefix index.
    """
    parts = address_key(address).split()
    if len(parts) > 1 and parts[0][0] in DIGITS:
        return " ".join([*parts[1:], parts[0]])
    return " ".join(parts)


def digits_key(text: str) -> str:
    """Only the digits: phone and meter numbers as typed with any punctuation."""
    return only_digits(text)


def phone_key(text: str) -> str:
    """Phone number, local seven digits first, then the area code: ``5550102000`` →
    ``0102000555``. A prefix index then finds both "010-2000" and "(555) 010-2000"."""
    d = digits_key(text)
    d = d[-10:] if len(d) > 10 else d
    return d[-7:] + d[:-7] if len(d) == 10 else d


def meter_key(text: str) -> str:
    """Meter numbers keep letters and digits, no punctuation: ``77-20931`` → ``7720931``."""
    return "".join(words(text))

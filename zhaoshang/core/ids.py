"""Record ids from the outside world (query strings, path parts, JSON): strictly whole numbers.

``str.isdigit`` accepts "²" and "١", ``int`` accepts " 7", "1_000", ``True`` and ``1.5``, and a number past
the database's 64-bit integers makes the query fail. One helper decides for every view, form and serializer.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # the largest value of a 64-bit signed integer column (BigAutoField, SQLite's INTEGER)
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id ``value`` names (a string of ASCII digits or an int, not a bool), or None if it names none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 <= number <= MAX_ID else None

"""The customer list's rows without Qt: what a search matches, what each column sorts by, and
where one row goes in a sorted list of row slots (a binary search), so that adding, changing or
removing one customer never needs the whole list sorted again (customer_model.py).

A slot is a row's index in the model's list of rows. Every order here is a stable sort of the
slots: ties keep the order the rows came in, and a row added later (a higher slot) comes after
the rows it ties with — the same order a full sort of the same rows gives.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rows arrive from the worker thread, which imports the store (startup time)
    from pos_app.store.customers import CustomerRow

# Column -> CustomerRow field position (uid, name, card, company, registered, updated, last).
FIELDS = (0, 1, 4, 5, 7, 8, 9)
TIME_COLUMNS = frozenset({4, 5, 6})
# The member's plan (amount · day), said from the plan fields when its cell is painted.
PLAN_COLUMN = len(FIELDS)
PLAN_AMOUNT = 11
# The last column is not a stored field: 확인 중 while a charge to the customer is unsettled.
STATUS_COLUMN = PLAN_COLUMN + 1

# What a column compares; None: the order the rows came in.
SortKey = Callable[["CustomerRow"], Any]


def search_text(row: CustomerRow) -> str:
    """What a search matches: uid, name, phone digits, card last four (short = fast to scan)."""
    tel_digits = "".join(ch for ch in row.tel if ch.isdigit())
    last4 = "".join(ch for ch in row.card_number if ch.isdigit())[-4:]
    return f"{row.customer_uid}\n{row.name}\n{tel_digits}\n{last4}".casefold()


def normalize_query(text: str) -> str:
    """Lowercase; a phone-like query ("010-1234") loses its separators to match the digits."""
    query = text.strip().casefold()
    bare = query.replace("-", "").replace(" ", "")
    return bare if bare.isdigit() else query


class PreparedRows:
    """Rows with their search texts and uid index, built off the GUI thread (pure Python)."""

    __slots__ = ("by_uid", "haystacks", "rows")

    def __init__(self, rows: Iterable[CustomerRow]) -> None:
        self.rows = list(rows)
        self.haystacks = [search_text(row) for row in self.rows]
        self.by_uid = {row.customer_uid: i for i, row in enumerate(self.rows)}


def sort_key(column: int, checking: Collection[str]) -> SortKey | None:
    """What `column` sorts by; `checking` (the customers with an unsettled charge) for 상태,
    where they come first."""
    if column == STATUS_COLUMN:
        return lambda row: row.customer_uid not in checking
    if column == PLAN_COLUMN:
        return lambda row: row[PLAN_AMOUNT] or 0
    if column < 0:
        return None
    field = FIELDS[column]
    if column in TIME_COLUMNS:
        return lambda row: row[field] or 0
    return lambda row: str(row[field]).casefold()


def sorted_slots(rows: Sequence[CustomerRow], key: SortKey | None, descending: bool) -> list[int]:
    """Every slot of `rows` in sort order (descending: the ascending order reversed, ties too;
    without a key, the order the rows came in)."""
    slots = list(range(len(rows)))
    if key is not None:
        keys = list(map(key, rows))
        slots.sort(key=keys.__getitem__)
        if descending:
            slots.reverse()
    return slots


def place(
    slots: Sequence[int],
    slot: int,
    rows: Sequence[CustomerRow],
    key: SortKey | None,
    descending: bool,
) -> int:
    """Where `slot` goes in `slots` (sorted as `sorted_slots` sorts): after every row a full
    sort puts before it. 17 steps at 100,000 rows."""
    descending = descending and key is not None  # the order rows came in is never reversed
    target: Any = slot if key is None else (key(rows[slot]), slot)
    low, high = 0, len(slots)
    while low < high:
        middle = (low + high) // 2
        other = slots[middle]
        probe: Any = other if key is None else (key(rows[other]), other)
        if (probe > target) if descending else (probe < target):
            low = middle + 1
        else:
            high = middle
    return low


def find(
    slots: list[int],
    slot: int,
    rows: Sequence[CustomerRow],
    key: SortKey | None,
    descending: bool,
) -> int:
    """Where `slot` is in `slots`, -1 when it is not there."""
    at = place(slots, slot, rows, key, descending)
    if at < len(slots) and slots[at] == slot:
        return at
    try:  # only if the slots disagree with the rows (never expected): a scan still finds it
        return slots.index(slot)
    except ValueError:
        return -1

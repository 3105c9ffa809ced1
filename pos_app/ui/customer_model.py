"""The customer list as a table model that stays instant with 100,000 rows.

A stock QSortFilterProxyModel calls back into Python for every row on every keystroke (measured
0.5-3 s at 100,000 rows), so this model filters and sorts itself: rows stay in one list of
CustomerRow tuples with a precomputed lowercase search text each; the view sees `_visible`, a list
of row indices. Filtering is one list comprehension over the candidate indices (measured fastest
of the pure-Python forms) and, when the new query extends the old one, only over the rows that
matched before.

One customer added, changed or removed (a billing key issued or deleted, a plan, another
counter's change from the store server) is applied in place: its place in the sort order is
found by binary search and the view hears beginInsertRows / beginRemoveRows / beginMoveRows /
dataChanged. The model's part takes about 0.2 ms at 100,000 rows, where a rebuild took a quarter
of a second (docs/window.md, `customers_100k_add_ms`). A removed customer's slot in `_rows` is
left behind (never reused) until the next rebuild, so no other row's slot number changes and the
lists of slots stay valid. The single-selection view is told of removals before they happen
(customer_table.py), so a chosen member's row going never leaves its neighbour chosen.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from pos_app.ui.customer_rows import (
    FIELDS,
    PLAN_AMOUNT,
    SortKey,
    find,
    normalize_query,
    place,
    search_text,
    sort_key,
    sorted_slots,
)

# Named by the model's users (the worker, the view, tests) as before the rows had a module.
from pos_app.ui.customer_rows import PLAN_COLUMN as PLAN_COLUMN
from pos_app.ui.customer_rows import STATUS_COLUMN as STATUS_COLUMN
from pos_app.ui.customer_rows import PreparedRows as PreparedRows

if TYPE_CHECKING:  # rows arrive from the worker thread, which imports the store (startup time)
    from pos_app.store.customers import CustomerRow

ModelIndex = QModelIndex | QPersistentModelIndex

# CustomerRow positions of the plan fields the 정기 결제 cell says.
_PLAN_AMOUNT, _PLAN_DAY, _PLAN_ACTIVE, _PLAN_MODE = PLAN_AMOUNT, 13, 14, 18
_LAST_DAY = 31  # core.billing_day.LAST_DAY (not imported: this module loads before the core)
UID_ROLE = Qt.ItemDataRole.UserRole + 1
# True while the customer has a charge whose outcome is not settled (blocks a new charge).
CHECKING_ROLE = Qt.ItemDataRole.UserRole + 2
_CHECKING_BACKGROUND = QBrush(QColor("#ede7f6"))
_CHECKING_FOREGROUND = QBrush(QColor("#4527a0"))
# More changes than this at once are applied by one rebuild (see CustomerTableModel.apply).
ONE_BY_ONE_AT_MOST = 500


def _day(value: float | None) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(value)) if value else ""


def _minute(value: float | None) -> str:
    return time.strftime("%m-%d %H:%M", time.localtime(value)) if value else ""


# Registered and updated matter by day; the last charge by the minute.
_FORMATS = {4: _day, 5: _day, 6: _minute}
_CHECKING_ROLES = frozenset(
    {
        CHECKING_ROLE,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
    }
)


class CustomerTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = (
            self.tr("고객 ID"),
            self.tr("이름"),
            self.tr("카드"),
            self.tr("카드사"),
            self.tr("등록"),
            self.tr("변경"),
            self.tr("최근 결제"),
            self.tr("정기 결제"),
            self.tr("상태"),
        )
        self._plan_day = self.tr("%1일")
        self._plan_last_day = self.tr("말일")
        self._plan_paused = self.tr("정지")
        self._plan_portone = self.tr("PortOne 예약")
        self._checking_text = self.tr("확인 중")
        # Rows by slot, with their search texts; the uid index says each live customer's slot.
        self._rows: list[CustomerRow] = []
        self._haystacks: list[str] = []
        self._by_uid: dict[str, int] = {}
        # Every live slot in the current sort order.
        self._order: list[int] = []
        # What the view shows: the slots of _order that match the query, same order.
        self._visible: list[int] = []
        self._query = ""
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # customer_uids with an unsettled charge: a set, so painting never rescans the rows.
        self._checking: frozenset[str] = frozenset()
        # ... and as they were at the last sort, which a list sorted by 상태 keeps to.
        self._sorted_checking: frozenset[str] = frozenset()

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else STATUS_COLUMN + 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The common case first: painting asks for many roles per cell, 100,000 rows deep.
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == STATUS_COLUMN:
                return self._status_data(index, role)
            if column == PLAN_COLUMN:
                return self._plan_text(self._rows[self._visible[index.row()]])
            value = self._rows[self._visible[index.row()]][FIELDS[column]]
            shown = _FORMATS.get(column)
            if shown is None:
                return value
            return shown(value if isinstance(value, int | float) else None)
        if role == UID_ROLE:
            return self._rows[self._visible[index.row()]].customer_uid
        if role in _CHECKING_ROLES:
            # Nobody being checked (the usual case) costs one truth test.
            if not self._checking:
                return False if role == CHECKING_ROLE else None
            return self._status_data(index, role)
        return None

    def _plan_text(self, row: CustomerRow) -> str:
        """ "55,000원 · 5일", "· 말일", "· 정지" (paused), "· PortOne 예약"; "" without a plan."""
        amount = row[_PLAN_AMOUNT]
        if amount is None:
            return ""
        day = row[_PLAN_DAY]
        when = self._plan_last_day if day == _LAST_DAY else self._plan_day.replace("%1", str(day))
        text = f"{amount:,}원 · {when}"
        if row[_PLAN_MODE] == "portone":
            text += " · " + self._plan_portone
        if not row[_PLAN_ACTIVE]:
            text += " · " + self._plan_paused
        return text

    def _status_data(self, index: ModelIndex, role: int) -> Any:
        uid = self._rows[self._visible[index.row()]].customer_uid
        checking = uid in self._checking
        if role == CHECKING_ROLE:
            return checking
        if not checking:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _CHECKING_BACKGROUND
        if index.column() != STATUS_COLUMN:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _CHECKING_FOREGROUND
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._checking_text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self._rebuild()

    # -- what the window uses ----------------------------------------------------------------
    def set_rows(self, rows: Iterable[CustomerRow] | PreparedRows) -> None:
        """Replace every row (start-up, a reload from PortOne, the store server back after a
        break); a PreparedRows (made on the worker thread) costs the GUI thread only the sort
        and the filter."""
        prepared = rows if isinstance(rows, PreparedRows) else PreparedRows(rows)
        self.beginResetModel()
        self._rows = prepared.rows
        self._haystacks = prepared.haystacks
        self._by_uid = prepared.by_uid
        self._sort_rows()
        self._refilter(self._query, narrowing=False)
        self.endResetModel()

    def upsert(self, row: CustomerRow) -> None:
        """Add or replace one customer (issued, charged, refreshed, a plan, another counter).

        The row goes where a full sort would put it and the view hears one inserted, moved or
        repainted row, so the selection stays on the member it was on. A row that keeps its
        place and its match (a charge answer, usually) is only repainted.
        """
        slot = self._by_uid.get(row.customer_uid)
        haystack = search_text(row)
        if slot is None:
            self._add(row, haystack)
            return
        key = self._sort_key()
        was_shown = self._matches(self._haystacks[slot])
        if was_shown == self._matches(haystack) and (
            key is None or key(self._rows[slot]) == key(row)
        ):
            self._rows[slot], self._haystacks[slot] = row, haystack
            if was_shown:
                self._repaint(self._find(self._visible, slot))
            return
        # Found while the old row is still in place: the lists are sorted by its old key.
        at = self._find(self._order, slot)
        shown_at = self._find(self._visible, slot) if was_shown else -1
        self._rows[slot], self._haystacks[slot] = row, haystack
        if at < 0 or (was_shown and shown_at < 0):
            self._rebuild()  # the lists disagree with the rows (never expected): start over
            return
        self._move(slot, at, shown_at)

    def remove(self, customer_uid: str) -> None:
        """Drop one customer; the view hears one removed row. A selected member's row going
        leaves nobody selected (customer_table.py), never the neighbour that takes its place."""
        slot = self._by_uid.pop(customer_uid, None)
        if slot is None:
            return
        at = self._find(self._order, slot)
        shown_at = self._find(self._visible, slot) if self._matches(self._haystacks[slot]) else -1
        if shown_at >= 0:
            self._remove_shown(shown_at)
        if at >= 0:
            del self._order[at]
        # The slot stays behind, matching nothing, until the next full load or sort.
        self._haystacks[slot] = ""

    def apply(self, rows: Iterable[CustomerRow], gone: Iterable[str] = ()) -> None:
        """Several customers changed or removed at once (the store server's live feed gathers a
        moment's changes): one at a time, unless there are so many (another counter's import)
        that one rebuild costs the GUI thread less (about 0.05 ms a row against 15-50 ms)."""
        rows, gone = list(rows), list(gone)
        if len(rows) + len(gone) <= ONE_BY_ONE_AT_MOST:
            for row in rows:
                self.upsert(row)
            for uid in gone:
                self.remove(uid)
            return
        self.beginResetModel()
        for row in rows:
            slot = self._by_uid.get(row.customer_uid)
            if slot is None:
                self._by_uid[row.customer_uid] = len(self._rows)
                self._rows.append(row)
                self._haystacks.append(search_text(row))
            else:
                self._rows[slot], self._haystacks[slot] = row, search_text(row)
        for uid in gone:
            self._by_uid.pop(uid, None)  # _sort_rows drops the slot
        self._sort_rows()
        self._refilter(self._query, narrowing=False)
        self.endResetModel()

    def set_checking(self, customer_uids: Iterable[str]) -> None:
        """Which customers have an unsettled charge; only rows whose badge changed repaint.

        A list sorted by 상태 keeps the order of its last sort (rows do not jump under the
        cashier's pointer as badges come and go); clicking the heading sorts it again."""
        checking = frozenset(customer_uids)
        changed = checking ^ self._checking
        self._checking = checking
        for uid in changed:
            view_row = self.view_row_of(uid)
            if view_row >= 0:
                self._repaint(view_row)

    def is_checking(self, customer_uid: str) -> bool:
        return customer_uid in self._checking

    def set_query(self, text: str) -> None:
        query = normalize_query(text)
        if query == self._query:
            return
        narrowing = bool(self._query) and self._query in query
        self.beginResetModel()
        self._refilter(query, narrowing=narrowing)
        self.endResetModel()

    def row(self, view_row: int) -> CustomerRow:
        return self._rows[self._visible[view_row]]

    def find(self, customer_uid: str) -> CustomerRow | None:
        at = self._by_uid.get(customer_uid)
        return None if at is None else self._rows[at]

    def view_row_of(self, customer_uid: str) -> int:
        slot = self._by_uid.get(customer_uid)
        if slot is None or not self._matches(self._haystacks[slot]):
            return -1
        return self._find(self._visible, slot)

    def total(self) -> int:
        return len(self._by_uid)

    # -- one row at a time -----------------------------------------------------------------
    def _add(self, row: CustomerRow, haystack: str) -> None:
        slot = len(self._rows)
        self._rows.append(row)
        self._haystacks.append(haystack)
        self._by_uid[row.customer_uid] = slot
        self._order.insert(self._place(self._order, slot), slot)
        if self._matches(haystack):
            self._insert_shown(self._place(self._visible, slot), slot)

    def _move(self, slot: int, at: int, shown_at: int) -> None:
        """`slot`'s row changed its sort key or its match: from `at` in the order (`shown_at` in
        the view, -1 when not shown) to where it now belongs."""
        del self._order[at]
        self._order.insert(self._place(self._order, slot), slot)
        shown = self._matches(self._haystacks[slot])
        if shown_at < 0:
            if shown:
                self._insert_shown(self._place(self._visible, slot), slot)
            return
        if not shown:
            self._remove_shown(shown_at)
            return
        # Where it belongs among the others; the list changes only once the view is told.
        del self._visible[shown_at]
        to = self._place(self._visible, slot)
        self._visible.insert(shown_at, slot)
        if to != shown_at:
            # Qt counts the destination before the row leaves: one more when moving down.
            below = to + 1 if to > shown_at else to
            self.beginMoveRows(QModelIndex(), shown_at, shown_at, QModelIndex(), below)
            del self._visible[shown_at]
            self._visible.insert(to, slot)
            self.endMoveRows()
        self._repaint(to)

    def _insert_shown(self, view_row: int, slot: int) -> None:
        self.beginInsertRows(QModelIndex(), view_row, view_row)
        self._visible.insert(view_row, slot)
        self.endInsertRows()

    def _remove_shown(self, view_row: int) -> None:
        self.beginRemoveRows(QModelIndex(), view_row, view_row)
        del self._visible[view_row]
        self.endRemoveRows()

    def _repaint(self, view_row: int) -> None:
        if view_row >= 0:
            self.dataChanged.emit(self.index(view_row, 0), self.index(view_row, STATUS_COLUMN))

    def _matches(self, haystack: str) -> bool:
        return not self._query or self._query in haystack

    def _place(self, slots: list[int], slot: int) -> int:
        return place(slots, slot, self._rows, self._sort_key(), self._descending())

    def _find(self, slots: list[int], slot: int) -> int:
        return find(slots, slot, self._rows, self._sort_key(), self._descending())

    # -- filtering and sorting -----------------------------------------------------------
    def _rebuild(self) -> None:
        self.beginResetModel()
        self._sort_rows()
        self._refilter(self._query, narrowing=False)
        self.endResetModel()

    def _sort_key(self) -> SortKey | None:
        # 상태 sorts by the badges as of the last sort (see set_checking).
        return sort_key(self._sort_column, self._sorted_checking)

    def _descending(self) -> bool:
        return self._sort_column >= 0 and self._sort_order == Qt.SortOrder.DescendingOrder

    def _sort_rows(self) -> None:
        if len(self._by_uid) != len(self._rows):
            self._compact()
        self._sorted_checking = self._checking
        self._order = sorted_slots(self._rows, self._sort_key(), self._descending())

    def _compact(self) -> None:
        """Drop the slots removed customers left behind (keeping the others' relative order, so
        ties still break as before)."""
        live = sorted(self._by_uid.values())
        rows, haystacks = self._rows, self._haystacks
        self._rows = [rows[i] for i in live]
        self._haystacks = [haystacks[i] for i in live]
        self._by_uid = {row.customer_uid: i for i, row in enumerate(self._rows)}

    def _refilter(self, query: str, *, narrowing: bool) -> None:
        self._query = query
        if not query:
            self._visible = list(self._order)
            return
        hay = self._haystacks
        candidates = self._visible if narrowing else self._order
        self._visible = [i for i in candidates if query in hay[i]]

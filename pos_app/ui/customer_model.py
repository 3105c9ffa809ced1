"""The customer list as a table model that stays instant with 100,000 rows.

A stock QSortFilterProxyModel calls back into Python for every row on every keystroke (measured
0.5-3 s at 100,000 rows), so this model filters and sorts itself: rows stay in one list of
CustomerRow tuples with a precomputed lowercase search text each; the view sees `_visible`, a list
of row indices. Filtering is one list comprehension over the candidate indices (measured fastest
of the pure-Python forms) and, when the new query extends the old one, only over the rows that
matched before.
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

if TYPE_CHECKING:  # rows arrive from the worker thread, which imports the store (startup time)
    from pos_app.store.customers import CustomerRow

ModelIndex = QModelIndex | QPersistentModelIndex

# Column -> CustomerRow field position (uid, name, card, company, registered, updated, last).
_FIELDS = (0, 1, 4, 5, 7, 8, 9)
_TIME_COLUMNS = frozenset({4, 5, 6})
# The member's plan (amount · day), said from the plan fields when its cell is painted.
PLAN_COLUMN = len(_FIELDS)
_PLAN_AMOUNT, _PLAN_DAY, _PLAN_ACTIVE, _PLAN_MODE = 11, 13, 14, 18
# The last column is not a stored field: 확인 중 while a charge to the customer is unsettled.
STATUS_COLUMN = PLAN_COLUMN + 1
_LAST_DAY = 31  # core.billing_day.LAST_DAY (not imported: this module loads before the core)
UID_ROLE = Qt.ItemDataRole.UserRole + 1
# True while the customer has a charge whose outcome is not settled (blocks a new charge).
CHECKING_ROLE = Qt.ItemDataRole.UserRole + 2
_CHECKING_BACKGROUND = QBrush(QColor("#ede7f6"))
_CHECKING_FOREGROUND = QBrush(QColor("#4527a0"))


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


class PreparedRows:
    """Rows with their search texts and uid index, built off the GUI thread (pure Python)."""

    __slots__ = ("by_uid", "haystacks", "rows")

    def __init__(self, rows: Iterable[CustomerRow]) -> None:
        self.rows = list(rows)
        self.haystacks = [search_text(row) for row in self.rows]
        self.by_uid = {row.customer_uid: i for i, row in enumerate(self.rows)}


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
        self._rows: list[CustomerRow] = []
        self._haystacks: list[str] = []
        self._by_uid: dict[str, int] = {}
        # Every row index in the current sort order.
        self._order: list[int] = []
        # What the view shows: the rows of _order that match the query, same order.
        self._visible: list[int] = []
        self._query = ""
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # customer_uids with an unsettled charge: a set, so painting never rescans the rows.
        self._checking: frozenset[str] = frozenset()

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
            value = self._rows[self._visible[index.row()]][_FIELDS[column]]
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
        self.beginResetModel()
        self._sort_rows()
        self._refilter(self._query, narrowing=False)
        self.endResetModel()

    # -- what the window uses ----------------------------------------------------------------
    def set_rows(self, rows: Iterable[CustomerRow] | PreparedRows) -> None:
        """Replace every row; a PreparedRows (made on the worker thread) costs the GUI thread
        only the sort and the filter."""
        prepared = rows if isinstance(rows, PreparedRows) else PreparedRows(rows)
        self.beginResetModel()
        self._rows = prepared.rows
        self._haystacks = prepared.haystacks
        self._by_uid = prepared.by_uid
        self._sort_rows()
        self._refilter(self._query, narrowing=False)
        self.endResetModel()

    def upsert(self, row: CustomerRow) -> None:
        """Add or replace one customer (after issuing, charging or refreshing).

        Replacing a row that keeps its place (same sort key, still matching) only repaints it,
        so a charge answer costs nothing even with 100,000 customers.
        """
        at = self._by_uid.get(row.customer_uid)
        if at is None:
            self.set_rows([*self._rows, row])
            return
        old, hay = self._rows[at], search_text(row)
        self._rows[at] = row
        was_shown = not self._query or self._query in self._haystacks[at]
        shown = not self._query or self._query in hay
        self._haystacks[at] = hay
        field = _FIELDS[self._sort_column] if 0 <= self._sort_column < PLAN_COLUMN else -1
        if self._sort_column == PLAN_COLUMN:
            field = _PLAN_AMOUNT
        if was_shown == shown and (field < 0 or old[field] == row[field]):
            if shown:
                view_row = self._visible.index(at)
                self.dataChanged.emit(
                    self.index(view_row, 0), self.index(view_row, STATUS_COLUMN - 1)
                )
            return
        self.beginResetModel()
        self._sort_rows()
        self._refilter(self._query, narrowing=False)
        self.endResetModel()

    def set_checking(self, customer_uids: Iterable[str]) -> None:
        """Which customers have an unsettled charge; only rows whose badge changed repaint."""
        checking = frozenset(customer_uids)
        changed = checking ^ self._checking
        self._checking = checking
        last = STATUS_COLUMN
        for uid in changed:
            view_row = self.view_row_of(uid)
            if view_row >= 0:
                self.dataChanged.emit(self.index(view_row, 0), self.index(view_row, last))

    def is_checking(self, customer_uid: str) -> bool:
        return customer_uid in self._checking

    def remove(self, customer_uid: str) -> None:
        if customer_uid in self._by_uid:
            self.set_rows(r for r in self._rows if r.customer_uid != customer_uid)

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
        at = self._by_uid.get(customer_uid)
        try:
            return -1 if at is None else self._visible.index(at)
        except ValueError:
            return -1

    def total(self) -> int:
        return len(self._rows)

    # -- filtering and sorting -----------------------------------------------------------
    def _sort_rows(self) -> None:
        indices = list(range(len(self._rows)))
        rows = self._rows
        if self._sort_column == STATUS_COLUMN:
            checking = self._checking
            # Customers being checked first (descending order puts them last).
            indices.sort(key=lambda i: rows[i].customer_uid not in checking)
            if self._sort_order == Qt.SortOrder.DescendingOrder:
                indices.reverse()
        elif self._sort_column == PLAN_COLUMN:
            indices.sort(key=lambda i: rows[i][_PLAN_AMOUNT] or 0)
            if self._sort_order == Qt.SortOrder.DescendingOrder:
                indices.reverse()
        elif self._sort_column >= 0:
            field = _FIELDS[self._sort_column]
            if self._sort_column in _TIME_COLUMNS:
                indices.sort(key=lambda i: rows[i][field] or 0)
            else:
                indices.sort(key=lambda i: str(rows[i][field]).casefold())
            if self._sort_order == Qt.SortOrder.DescendingOrder:
                indices.reverse()
        self._order = indices

    def _refilter(self, query: str, *, narrowing: bool) -> None:
        self._query = query
        if not query:
            self._visible = list(self._order)
            return
        hay = self._haystacks
        candidates = self._visible if narrowing else self._order
        self._visible = [i for i in candidates if query in hay[i]]

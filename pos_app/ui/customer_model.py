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
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from pos_app.store.customers import CustomerRow

ModelIndex = QModelIndex | QPersistentModelIndex

# Column -> CustomerRow field position (uid, name, card, company, registered, updated, last).
_FIELDS = (0, 1, 4, 5, 7, 8, 9)
_TIME_COLUMNS = frozenset({4, 5, 6})
UID_ROLE = Qt.ItemDataRole.UserRole + 1


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
        )
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

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_FIELDS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._rows[self._visible[index.row()]][_FIELDS[index.column()]]
            shown = _FORMATS.get(index.column())
            if shown is None:
                return value
            return shown(value if isinstance(value, int | float) else None)
        if role == UID_ROLE:
            return self._rows[self._visible[index.row()]].customer_uid
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
        field = _FIELDS[self._sort_column] if self._sort_column >= 0 else -1
        if was_shown == shown and (field < 0 or old[field] == row[field]):
            if shown:
                view_row = self._visible.index(at)
                self.dataChanged.emit(
                    self.index(view_row, 0), self.index(view_row, len(_FIELDS) - 1)
                )
            return
        self.beginResetModel()
        self._sort_rows()
        self._refilter(self._query, narrowing=False)
        self.endResetModel()

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
        if self._sort_column >= 0:
            field = _FIELDS[self._sort_column]
            rows = self._rows
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


def rows_for_test(count: int) -> Sequence[CustomerRow]:
    """Plausible customers for benchmarks and screenshots (no card data: masked numbers only)."""
    names = ("김민준", "이서연", "박도윤", "최지우", "정하준", "강서윤", "조시우", "윤하은")
    now = int(time.time())
    return [
        CustomerRow(
            customer_uid=f"member{i:06d}_{i % 10000:04d}",
            name=f"{names[i % len(names)]}{i}",
            tel=f"010-{(i * 7) % 10000:04d}-{i % 10000:04d}",
            email=f"m{i}@example.com",
            card_number=f"424242******{i % 10000:04d}",
            card_name=("신한카드", "KB국민카드", "BC카드", "현대카드")[i % 4],
            card_type=0,
            registered=now - i * 60,
            updated=now - i * 30,
            last_charge_at=float(now - i * 10) if i % 3 else None,
        )
        for i in range(count)
    ]

"""Saved customers: search as you type, sortable table, refresh from PortOne on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.customer_model import (
    STATUS_COLUMN,
    CustomerTableModel,
    ModelIndex,
    PreparedRows,
)
from pos_app.ui.fields import action_button

if TYPE_CHECKING:  # rows arrive from the worker thread, which imports the store (startup time)
    from pos_app.store.customers import CustomerRow

# Model column widths. The 상태 column (확인 중) is shown third, after the name, so it stays in
# view on a 1024-wide screen whatever scrolls off to the right.
_COLUMN_WIDTHS = (112, 64, 76, 80, 80, 80, 86, 110, 64)  # 정기 결제 before 상태
_STATUS_SHOWN_AT = 2


class CustomerTableView(QTableView):
    """A table that, entered by Tab with nobody chosen, leaves no row current: Qt would make the
    first row current without highlighting it, and the first Down would then jump to the
    second row. With no current row, Down chooses the first.

    When the chosen member's row goes (a card deleted here or at another counter, or a change
    that takes it out of the search), nobody is chosen any more: Qt's single-selection view
    would select the next row in its place, and 재결제 would then name a member nobody chose.
    """

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        selection = self.selectionModel()
        if selection is not None and not selection.hasSelection():
            selection.clearCurrentIndex()

    def rowsAboutToBeRemoved(self, parent: ModelIndex, start: int, end: int) -> None:
        selection = self.selectionModel()
        if selection is not None:
            current = selection.currentIndex()
            going = current.isValid() and start <= current.row() <= end
            if going or any(start <= index.row() <= end for index in selection.selectedRows()):
                selection.clear()  # before Qt moves the current row (and its selection) on
        super().rowsAboutToBeRemoved(parent, start, end)


class CustomerPanel(QGroupBox):
    """`customerSelected(uid)` fires with "" when nothing is selected.

    The selected customer is the row highlighted in the list, never a merely "current" one: a
    table that gets focus by Tab makes its first row current without highlighting it, and 재결제
    must not charge a customer nobody chose. Any change of the search text clears the choice.
    """

    customerSelected = Signal(str)
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerPanel")
        self.setTitle(self.tr("등록 고객"))
        self.model = CustomerTableModel(self)

        self.search = QLineEdit()
        self.search.setObjectName("customerSearchEdit")
        self.search.setPlaceholderText(self.tr("고객 ID, 이름, 전화번호, 카드 끝 4자리"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("검색"))
        search_label.setBuddy(self.search)
        self.search.setAccessibleName(self.tr("고객 검색"))
        self.count = QLabel()
        self.count.setObjectName("customerCountLabel")
        self.refresh = QPushButton(self.tr("새로고침"))
        self.refresh.setObjectName("refreshCustomersButton")
        self.refresh.setAccessibleName(self.tr("PortOne에서 새로고침"))
        self.refresh.setToolTip(self.tr("PortOne에서 저장된 카드 정보를 다시 불러옵니다"))
        self.refresh.setAutoDefault(True)

        self.table = CustomerTableView()
        self.table.setObjectName("customerTable")
        self.table.setAccessibleName(self.tr("등록 고객 목록"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        rows = self.table.verticalHeader()
        # Fixed row heights keep 100,000 rows cheap: Qt never measures them.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(28)
        rows.hide()
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setStretchLastSection(True)
        columns.moveSection(STATUS_COLUMN, _STATUS_SHOWN_AT)
        columns.setSortIndicatorShown(True)
        columns.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate(_COLUMN_WIDTHS):
            # Never narrower than its heading (English "Card company" was cut off); +12 for
            # the bold the style sheet gives headings after this is measured.
            self.table.setColumnWidth(column, max(width, columns.sectionSizeHint(column) + 12))

        # Settles every charge whose answer was lost by asking PortOne (never by charging again).
        self.reconcile_button = action_button(self.tr("미확인 결제 확인"), "reconcileButton")
        self.reconcile_button.setToolTip(
            self.tr("결과를 모르는 결제를 PortOne에 조회해 정리합니다 (다시 결제하지 않음)")
        )
        # What can be done with the selected customer, under the table.
        self.selected_label = QLabel()
        self.selected_label.setObjectName("selectedCustomerLabel")
        self.selected_label.setWordWrap(True)
        self.again_button = action_button(self.tr("재결제"), "chargeAgainButton", "primary", "F5")
        self.delete_button = action_button(self.tr("카드 삭제"), "deleteKeyButton", "danger")

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.refresh)
        # Under the table, in reading (and Tab) order: who is chosen, what to do with them, then
        # settling unknown charges. 새로고침 sits in the search line, so this line stays short
        # enough for a 1024-wide window in English too.
        footer = QHBoxLayout()
        footer.addWidget(self.again_button)
        footer.addWidget(self.delete_button)
        footer.addStretch(1)
        footer.addWidget(self.reconcile_button)
        # Shown while the shop's store server is away: the list is the last one it sent.
        self.stale_label = QLabel(
            self.tr(
                "매장 서버 연결 끊김 — 마지막으로 불러온 목록입니다 (다른 계산대의 변경 미반영)"
            )
        )
        self.stale_label.setObjectName("staleListLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.stale_label)
        self._layout.addLayout(top)
        self._layout.addWidget(self.table, 1)
        self._layout.addWidget(self.selected_label)
        self._layout.addLayout(footer)

        self._selected = ""
        self.search.textChanged.connect(self._search_changed)
        self.refresh.clicked.connect(self.refreshRequested)
        self.model.modelReset.connect(self._after_reset)
        # One customer added or removed (customer_model.py): the count; the selection is the
        # view's business (CustomerTableView.rowsAboutToBeRemoved) and says so through
        # selectionChanged.
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._update_count()

    def describe_selected(self, uid: str) -> CustomerRow | None:
        """Put the selected customer (and a 확인 중 note) under the table; returns its row."""
        row = self.model.find(uid) if uid else None
        if row is None:
            self.selected_label.setText(self.tr("재결제할 고객을 목록에서 선택하세요"))
            return None
        text = f"{row.customer_uid} · {row.name} · {row.card_name} {row.card_number}"
        if self.model.is_checking(uid):
            text += " · " + self.tr("확인 중 — 이전 결제 결과 미확인")
        self.selected_label.setText(text)
        return row

    def set_stale(self, stale: bool) -> None:
        """Mark the list as the last one known (the store server is away) or live again."""
        self.stale_label.setVisible(stale)
        self.table.setProperty("stale", stale)
        self.table.setEnabled(True)

    def set_rows(self, rows: list[CustomerRow] | PreparedRows) -> None:
        self.model.set_rows(rows)

    def clear_selection(self) -> None:
        self.table.selectionModel().clear()
        self._selection_changed()

    def selected_uid(self) -> str:
        return self._selected

    def select(self, customer_uid: str) -> None:
        """Select `customer_uid`; a search that hides it is cleared first (a customer the list
        does not show must not stay "selected" behind it, nor the one before stay instead)."""
        if self.model.find(customer_uid) is None:
            self.clear_selection()
            return
        if self.model.view_row_of(customer_uid) < 0:
            self.search.clear()
        row = self.model.view_row_of(customer_uid)
        if row < 0:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _search_changed(self, text: str) -> None:
        # A new search is a new look for someone: whoever was chosen before is not chosen now.
        self.clear_selection()
        self.model.set_query(text)

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        uid = self.model.row(rows[0].row()).customer_uid if rows else ""
        if uid != self._selected:
            self._selected = uid
            self.customerSelected.emit(uid)

    def _after_reset(self) -> None:
        self._update_count()
        # A reset drops the selection; keep the selected customer if still shown.
        previous = self._selected
        if previous and self.model.view_row_of(previous) >= 0:
            self.select(previous)
        elif previous:
            self._selected = ""
            self.customerSelected.emit("")

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        if shown == total:
            self.count.setText(self.tr("%1명").replace("%1", f"{total:,}"))
        else:
            self.count.setText(
                self.tr("%1 / %2명").replace("%1", f"{shown:,}").replace("%2", f"{total:,}")
            )

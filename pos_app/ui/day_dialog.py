"""매출 내역 · 마감: one day's charges and refunds from the journal, with the day's totals.

What the counter checks before closing: how much came in, what was refunded, and whether any
charge still needs asking PortOne (확인 필요). A row's order id can be looked up at PortOne (the
main window's result panel then shows the payment, with its refund and receipt actions), and
the day can be saved as a CSV file for the accountant. The dialog only shows and asks: the
journal is read and the file written on the till's worker thread (TillActions sends the
requests), so the window never waits on the disk.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.card import InvalidInput
from pos_app.core.order import check_merchant_uid
from pos_app.services.report import local_time
from pos_app.ui.fields import error_note, fitted_size, set_style_property
from pos_app.ui.won import won

if TYPE_CHECKING:
    from pos_app.services.report import Totals
    from pos_app.store.journal import JournalRow

_COLUMNS = 9
_STATE_COLUMN, _AMOUNT_COLUMN, _ORDER_COLUMN = 2, 3, 8
# The state a closing cashier must act on stands out; money that never moved is greyed.
_UNSETTLED = QColor("#b26a00")
_NO_MONEY = QColor("#7b8794")


class DaySalesDialog(QDialog):
    """`dayRequested(date)` asks for a day's rows, `exportRequested(date, path)` for its CSV
    file; `lookup_uid` holds the order id to look up at PortOne once the dialog is accepted."""

    dayRequested = Signal(object)
    exportRequested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None, lang: str = "ko") -> None:
        super().__init__(parent)
        self.setObjectName("daySalesDialog")
        self._lang = lang
        self.setWindowTitle(self.tr("매출 내역 · 마감"))
        self.resize(fitted_size(self, QSize(1100, 640)))
        self.lookup_uid = ""
        self._shown: date | None = None

        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("dayEdit")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(QDate.currentDate())
        self.day.setAccessibleName(self.tr("날짜"))
        day_label = QLabel(self.tr("날짜"))
        day_label.setObjectName("dayLabel")
        day_label.setBuddy(self.day)
        self.today_button = QPushButton(self.tr("오늘"))
        self.today_button.setObjectName("todayButton")
        self.show_button = QPushButton(self.tr("조회"))
        self.show_button.setObjectName("showDayButton")
        self.show_button.setAutoDefault(False)

        self.table = QTableWidget(0, _COLUMNS)
        self.table.setObjectName("dayTable")
        self.table.setAccessibleName(self.tr("결제와 환불 목록"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("시각"),
                self.tr("구분"),
                self.tr("상태"),
                self.tr("금액"),
                self.tr("고객 ID"),
                self.tr("주문명"),
                self.tr("카드"),
                self.tr("승인번호"),
                self.tr("주문번호"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

        self.totals = QLabel()
        self.totals.setObjectName("dayTotalsLabel")
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("dayStatusLabel")
        self.status.setWordWrap(True)

        self.order = QLineEdit()
        self.order.setObjectName("lookupOrderEdit")
        self.order.setPlaceholderText(self.tr("목록에서 고르거나 주문번호를 입력"))
        self.order.setAccessibleName(self.tr("조회할 주문번호"))
        order_label = QLabel(self.tr("주문번호"))
        order_label.setObjectName("lookupOrderLabel")
        order_label.setBuddy(self.order)
        self.order_error = error_note(self, "lookupOrderError")
        self.lookup_button = QPushButton(self.tr("PortOne에서 조회"))
        self.lookup_button.setObjectName("lookupButton")
        self.lookup_button.setAutoDefault(False)
        self.export_button = QPushButton(self.tr("CSV로 저장…"))
        self.export_button.setObjectName("exportDayButton")
        self.export_button.setAutoDefault(False)
        close_button = QPushButton(self.tr("닫기"))
        close_button.setObjectName("closeDayButton")
        close_button.setAutoDefault(False)

        top = QHBoxLayout()
        top.addWidget(day_label)
        top.addWidget(self.day)
        top.addWidget(self.today_button)
        top.addWidget(self.show_button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        lookup = QHBoxLayout()
        lookup.addWidget(order_label)
        lookup.addWidget(self.order, 1)
        lookup.addWidget(self.lookup_button)
        lookup.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.status)
        layout.addLayout(lookup)
        layout.addWidget(self.order_error)

        self.today_button.clicked.connect(self._today)
        self.show_button.clicked.connect(self._ask_day)
        self.day.dateChanged.connect(self._ask_day)
        self.export_button.clicked.connect(self._export)
        self.lookup_button.clicked.connect(self._lookup)
        self.order.returnPressed.connect(self._lookup)
        self.order.textEdited.connect(lambda _text: self.order_error.hide())
        close_button.clicked.connect(self.reject)
        self.table.currentCellChanged.connect(self._row_chosen)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self._lookup())

    # -- what the till's worker answers ----------------------------------------------------------
    def set_busy(self, text: str) -> None:
        """A request for this dialog is on its way: nothing else may be asked meanwhile."""
        self._enable(False)
        self.status.setText(text)
        set_style_property(self.status, "tone", "")

    def show_day(self, day: date, rows: tuple[JournalRow, ...], totals: Totals) -> None:
        self._shown = day
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, text in enumerate(self._cells(row)):
                item = QTableWidgetItem(text)
                if column == _AMOUNT_COLUMN:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if row.is_open and column == _STATE_COLUMN:
                    item.setForeground(QBrush(_UNSETTLED))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                elif row.state in ("declined", "refused", "void"):
                    item.setForeground(QBrush(_NO_MONEY))
                self.table.setItem(index, column, item)
        self.totals.setText(self._totals_text(totals))
        if totals.unknown_count:
            self.status.setText(
                self.tr(
                    "확인 필요 %1건: 결과를 모르는 결제입니다. 창의 '미확인 결제 확인'으로 "
                    "PortOne에 물어 정리한 뒤 마감하세요."
                ).replace("%1", str(totals.unknown_count))
            )
            set_style_property(self.status, "tone", "warning")
        elif not rows:
            self.status.setText(self.tr("이 날의 결제가 없습니다."))
            set_style_property(self.status, "tone", "")
        else:
            self.status.setText(self.tr("모든 결제의 결과가 확인되었습니다."))
            set_style_property(self.status, "tone", "")
        self._enable(True)

    def show_exported(self, path: str) -> None:
        self.status.setText(self.tr("저장했습니다: %1").replace("%1", path))
        set_style_property(self.status, "tone", "")
        self._enable(True)

    def show_failed(self, message: str) -> None:
        """PortOne's or the system's own words, as they came."""
        self.status.setText(message)
        set_style_property(self.status, "tone", "warning")
        self._enable(True)

    # -- the person's choices ------------------------------------------------------------------
    def _today(self) -> None:
        today = QDate.currentDate()
        self.day.setMaximumDate(today)  # the dialog may have stayed open past midnight
        if self.day.date() == today:
            self._ask_day()
        else:
            self.day.setDate(today)  # dateChanged asks

    def _ask_day(self) -> None:
        self.dayRequested.emit(self._chosen_day())

    def _export(self) -> None:
        day = self._shown or self._chosen_day()
        # Where an owner looks for a file they saved: the documents folder (not wherever the
        # program happened to start).
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("매출 내역 저장"),
            str(Path(folder) / f"pos-sales-{day.isoformat()}.csv"),
            self.tr("CSV 파일 (*.csv)"),
        )
        if path:
            self.exportRequested.emit(day, path)

    def _row_chosen(self, row: int, _column: int, _previous_row: int, _previous: int) -> None:
        item = self.table.item(row, _ORDER_COLUMN) if row >= 0 else None
        if item is not None:
            self.order.setText(item.text())
            self.order_error.hide()

    def _lookup(self) -> None:
        if not self.lookup_button.isEnabled():
            return  # Enter in the field while the day loads: the window could not ask now
        try:
            uid = check_merchant_uid(self.order.text().strip())
        except InvalidInput as exc:
            self.order_error.setText(exc.message(self._lang))
            self.order_error.show()
            self.order.setFocus()
            return
        self.lookup_uid = uid
        self.accept()

    # -- helpers ---------------------------------------------------------------------------------
    def _chosen_day(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _enable(self, on: bool) -> None:
        for widget in (
            self.day,
            self.today_button,
            self.show_button,
            self.export_button,
            self.lookup_button,
        ):
            widget.setEnabled(on)

    def _cells(self, row: JournalRow) -> list[str]:
        signed = -row.amount if row.kind == "refund" else row.amount
        return [
            local_time(row.created_at)[11:],  # the day is the dialog's; the time is enough
            self._kind_text(row.kind),
            self._state_text(row),
            won(signed),
            row.customer_uid or "",
            row.order_name,
            f"{row.card_name} {row.card_number}".strip(),
            row.apply_num or "",
            row.merchant_uid,
        ]

    def _kind_text(self, kind: str) -> str:
        return {
            "charge_once": self.tr("1회 결제"),
            "issue_and_charge": self.tr("발급 + 결제"),
            "charge_again": self.tr("재결제"),
            "refund": self.tr("환불"),
        }.get(kind, kind)

    def _state_text(self, row: JournalRow) -> str:
        if row.is_open:
            return self.tr("확인 필요")
        return {
            "paid": self.tr("승인"),
            "declined": self.tr("거절"),
            "refused": self.tr("요청 거부"),
            "void": self.tr("결제 안 됨"),
            "refunded": self.tr("환불됨"),
        }.get(row.state, row.state)

    def _totals_text(self, totals: Totals) -> str:
        return (
            self.tr("결제 %1건 %2 · 환불 %3건 %4 · 순매출 %5 · 거절 %6건 · 확인 필요 %7건")
            .replace("%1", str(totals.paid_count))
            .replace("%2", won(totals.paid_amount))
            .replace("%3", str(totals.refunded_count))
            .replace("%4", won(totals.refunded_amount))
            .replace("%5", won(totals.net_amount))
            .replace("%6", str(totals.declined_count))
            .replace("%7", str(totals.unknown_count))
        )

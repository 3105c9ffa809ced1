"""The billing run's table: every row of the preview, then what each came to as the run goes.

Rows are set once per preview; results change rows in place (one `dataChanged` per batch), so a
2,000-row run costs the GUI thread a repaint of the rows in view, never a rebuild. Texts a person
reads are in the window's language; PortOne's own words (a decline's reason) are shown as given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from pos_app.core.money import format_krw

if TYPE_CHECKING:
    from pos_app.services.billing_run import RowResult
    from pos_app.services.run_preview import RunPreview

ModelIndex = QModelIndex | QPersistentModelIndex

STATUS, MEMBER, CUSTOMER, AMOUNT, ORDER_NAME, PERIOD, MESSAGE, MERCHANT_UID = range(8)
# Kinds whose message is PortOne's own (shown as it is); the others are said in our words.
PORTONE_WORDS = frozenset({"declined", "refused", "skip:declined", "skip:refused"})
_COLORS = {
    "paid": QColor("#1b5e20"),
    "skip:already_paid": QColor("#1b5e20"),
    "declined": QColor("#b71c1c"),
    "refused": QColor("#b71c1c"),
    "unknown": QColor("#b26a00"),
    "blocked": QColor("#b26a00"),
    "waiting": QColor("#4527a0"),
}
_GREY = QColor("#7b8794")


@dataclass(frozen=True)
class RunRow:
    """One line of the table. `key`: the run position of a row to charge, or a negative number
    for a row skipped before the run. `status`: a result kind (paid, declined, …), "pending"
    before it is sent, or "skip:<code>" for a skipped row."""

    key: int
    line: int
    customer_uid: str
    member: str
    amount: int
    order_name: str
    period: str
    status: str
    message: str
    merchant_uid: str
    retry_of: str = ""
    imp_uid: str = ""
    card: str = ""  # paid: the card's tail as PortOne showed it


class RunTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = (
            self.tr("상태"),
            self.tr("회원"),
            self.tr("고객 ID"),
            self.tr("금액"),
            self.tr("주문명"),
            self.tr("기간"),
            self.tr("내용"),
            self.tr("주문번호"),
        )
        self._status_text = {
            "pending": self.tr("결제 예정"),
            "waiting": self.tr("확인 후 결제"),
            "paid": self.tr("결제됨"),
            "declined": self.tr("거절"),
            "refused": self.tr("거부"),
            "unknown": self.tr("확인 필요"),
            "blocked": self.tr("보류"),
            "repeat": self.tr("중복 청구"),
            "not_sent": self.tr("보내지 않음"),
            "no_customer": self.tr("등록 안 됨"),
            "already_done": self.tr("이미 처리"),
            "skip:already_paid": self.tr("이미 결제"),
            "skip:declined": self.tr("이전 거절"),
            "skip:refused": self.tr("이전 거부"),
            "skip:no_customer": self.tr("등록 안 됨"),
            "skip:unsettled": self.tr("미확인 결제"),
            "skip:repeat": self.tr("중복 청구"),
            "skip:charged_in_period": self.tr("이번 달 결제됨"),
            "skip:retries_used": self.tr("재시도 끝"),
        }
        self._message_text = {
            "pending": "",
            "waiting": self.tr("이 회원의 다른 결제 결과를 PortOne에 먼저 확인하는 중입니다."),
            "unknown": self.tr(
                "결과를 아직 모릅니다. 다시 결제하지 말고 '미확인 결제 확인'으로 확인하세요."
            ),
            "blocked": self.tr("이 회원의 이전 결제 결과가 확인되지 않아 보내지 않았습니다."),
            "repeat": self.tr(
                "이번 기간에 같은 금액을 다른 청구로 이미 결제했습니다. 보내지 않았습니다."
            ),
            "not_sent": self.tr("정기 결제를 멈춰서 보내지 않았습니다."),
            "skip:already_paid": self.tr("이번 기간에 이미 결제했습니다."),
            "skip:no_customer": self.tr("PortOne에 등록된 카드가 없습니다."),
            "skip:unsettled": self.tr("이 회원의 이전 결제 결과를 아직 모릅니다."),
            "skip:repeat": self.tr("이번 기간에 같은 금액을 다른 청구로 이미 결제했습니다."),
            "skip:charged_in_period": self.tr(
                "이번 달 정기 결제를 이미 했습니다 (그 뒤 금액이나 주문명이 바뀜)."
            ),
            "skip:retries_used": self.tr("거절된 청구를 더 다시 시도할 수 없습니다."),
        }
        self._rows: list[RunRow] = []
        self._by_key: dict[int, int] = {}

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (STATUS, MESSAGE):
            color = _COLORS.get(row.status)
            if color is None and row.status.startswith("skip:"):
                color = _GREY
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == MESSAGE:
            return self.message(row)
        return None

    def _display(self, row: RunRow, column: int) -> str:
        if column == STATUS:
            return self.status_text(row.status)
        if column == MEMBER:
            return row.member
        if column == CUSTOMER:
            return row.customer_uid
        if column == AMOUNT:
            return format_krw(row.amount)
        if column == ORDER_NAME:
            return row.order_name
        if column == PERIOD:
            return row.period
        if column == MESSAGE:
            return self.message(row)
        return row.merchant_uid

    # -- what the dialog uses ----------------------------------------------------------------
    def status_text(self, status: str) -> str:
        return self._status_text.get(status, status)

    def message(self, row: RunRow) -> str:
        """PortOne's words for a decline or refusal; ours for the rest."""
        if row.status == "paid":
            return " · ".join(p for p in (row.card, self._retry_note(row)) if p)
        if row.status in PORTONE_WORDS or row.status not in self._message_text:
            return row.message
        return " ".join(p for p in (self._message_text[row.status], self._retry_note(row)) if p)

    def _retry_note(self, row: RunRow) -> str:
        if not row.retry_of:
            return ""
        return self.tr("거절된 %1 을 다시 시도").replace("%1", row.retry_of)

    def set_rows(self, rows: Iterable[RunRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._by_key = {row.key: n for n, row in enumerate(self._rows) if row.key >= 0}
        self.endResetModel()

    def apply(self, results: Sequence[RowResult]) -> None:
        """What rows came to; one repaint signal for the whole batch."""
        changed: list[int] = []
        for result in results:
            at = self._by_key.get(result.item.position)
            if at is None:
                continue
            self._rows[at] = replace(
                self._rows[at],
                status=result.kind,
                message=result.message,
                imp_uid=result.imp_uid or "",
                card=result.card,
            )
            changed.append(at)
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), len(self._headers) - 1)
            )

    def rows(self) -> list[RunRow]:
        return list(self._rows)

    def row_at(self, view_row: int) -> RunRow:
        return self._rows[view_row]

    def count(self, status: str) -> int:
        return sum(1 for row in self._rows if row.status == status)


# Rows that need nobody's attention once the run is over.
SETTLED_FINE = frozenset({"paid", "pending", "skip:already_paid"})


class AttentionFilter(QSortFilterProxyModel):
    """With `only_attention`, only the rows someone has to look at: declined, refused, to check,
    held, skipped for a reason other than being paid already."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.only_attention = False

    def set_only_attention(self, on: bool) -> None:
        self.beginFilterChange()
        self.only_attention = on
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self.only_attention:
            return True
        model = self.sourceModel()
        assert isinstance(model, RunTableModel)
        return model.row_at(source_row).status not in SETTLED_FINE


def rows_of_preview(preview: RunPreview) -> list[RunRow]:
    """The table's rows for a preview: the rows to charge (by run position), then the skipped."""
    names = preview.names
    rows = [
        RunRow(
            i.position,
            i.line,
            i.customer_uid,
            names.get(i.customer_uid, ""),
            i.amount,
            i.name,
            i.period,
            "pending",
            "",
            i.merchant_uid,
            i.retry_of,
        )
        for i in preview.prepared.items
    ]
    for n, skipped in enumerate(preview.prepared.skipped):
        i = skipped.item
        rows.append(
            RunRow(
                -1 - n,
                i.line,
                i.customer_uid,
                names.get(i.customer_uid, ""),
                i.amount,
                i.name,
                i.period,
                f"skip:{skipped.code}",
                skipped.message,
                skipped.earlier.merchant_uid if skipped.earlier is not None else i.merchant_uid,
            )
        )
    offset = len(preview.prepared.skipped)
    for n, due in enumerate(preview.due_skipped):
        rows.append(
            RunRow(
                -1 - offset - n,
                0,
                due.customer_uid,
                names.get(due.customer_uid, ""),
                0,
                "",
                due.period,
                f"skip:{due.code}",
                "",
                due.merchant_uid,
            )
        )
    return rows

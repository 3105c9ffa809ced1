"""기록 (menu 매출): the audit trail in a table, filtered as one types, with the chain's verdict.

Entries and the chain check are read on the staff worker thread (`PreparedAudit`, search texts
included), so opening it with 100,000 entries costs the GUI thread only the model reset. The
model filters itself, as the customer list does (pos_app/ui/customer_model.py): a stock
QSortFilterProxyModel calls back into Python for every row on every keystroke, measured 0.5-3 s
at 100,000 rows. Newest first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.fields import set_style_property
from pos_app.ui.task_thread import TaskThread

if TYPE_CHECKING:
    from pos_app.services.audit import AuditTrail
    from pos_app.store.audit import AuditEntry, ChainCheck

ModelIndex = QModelIndex | QPersistentModelIndex


def _action_names() -> dict[str, str]:
    return {
        "sign_in": QCoreApplication.translate("audit_view", "로그인"),
        "sign_out": QCoreApplication.translate("audit_view", "로그아웃"),
        "lock": QCoreApplication.translate("audit_view", "잠금"),
        "pin_failed": QCoreApplication.translate("audit_view", "PIN 틀림"),
        "approval": QCoreApplication.translate("audit_view", "관리자 승인"),
        "approval_refused": QCoreApplication.translate("audit_view", "승인 거절"),
        "charge": QCoreApplication.translate("audit_view", "결제"),
        "charge_settled": QCoreApplication.translate("audit_view", "결제 결과 확인"),
        "refund": QCoreApplication.translate("audit_view", "환불"),
        "key_issued": QCoreApplication.translate("audit_view", "카드 등록"),
        "key_deleted": QCoreApplication.translate("audit_view", "카드 삭제"),
        "override": QCoreApplication.translate("audit_view", "확인 중 결제 진행"),
        "settings_changed": QCoreApplication.translate("audit_view", "설정 변경"),
        "credentials_changed": QCoreApplication.translate("audit_view", "API 키 변경"),
        "staff_added": QCoreApplication.translate("audit_view", "직원 추가"),
        "staff_removed": QCoreApplication.translate("audit_view", "직원 삭제"),
        "staff_pin_changed": QCoreApplication.translate("audit_view", "PIN 변경"),
        "staff_settings_changed": QCoreApplication.translate("audit_view", "직원 설정 변경"),
        "run_start": QCoreApplication.translate("audit_view", "일괄 결제 시작"),
        "run_pause": QCoreApplication.translate("audit_view", "일괄 결제 멈춤"),
        "run_stop": QCoreApplication.translate("audit_view", "일괄 결제 끝"),
        "export": QCoreApplication.translate("audit_view", "내보내기"),
    }


def details_text(details: str) -> str:
    """`{"a":1,"b":"x"}` shown as `a: 1 · b: x`."""
    try:
        value = json.loads(details)
    except ValueError:
        return details
    if not isinstance(value, dict):
        return details
    return " · ".join(f"{k}: {v}" for k, v in value.items())


class PreparedAudit:
    """Entries newest first with their search texts, and the chain check: built off the GUI
    thread (pure Python)."""

    __slots__ = ("check", "entries", "haystacks")

    def __init__(
        self, entries: list[AuditEntry], check: ChainCheck, labels: dict[str, str] | None = None
    ) -> None:
        self.entries = entries[::-1]
        names = labels or {}
        # Short texts scan faster: the person, the action (code and shown name) and the detail
        # values without their keys and quotes.
        self.haystacks = [
            f"{e.person}\n{e.action}\n{names.get(e.action, '')}\n{_values(e.details)}".casefold()
            for e in self.entries
        ]
        self.check = check


def _values(details: str) -> str:
    try:
        value = json.loads(details)
    except ValueError:
        return details
    return "\n".join(map(str, value.values())) if isinstance(value, dict) else details


class AuditModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = (
            self.tr("번호"),
            self.tr("시간"),
            self.tr("단말기"),
            self.tr("직원"),
            self.tr("동작"),
            self.tr("내용"),
        )
        self._actions = _action_names()
        self._entries: list[AuditEntry] = []
        self._haystacks: list[str] = []
        self._visible: list[int] = []
        self._query = ""

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        e = self._entries[self._visible[index.row()]]
        column = index.column()
        if column == 0:
            return e.seq
        if column == 1:
            return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.at))
        if column == 2:
            return e.terminal
        if column == 3:
            return e.person or "—"
        if column == 4:
            return self._actions.get(e.action, e.action)
        return details_text(e.details)

    def set_prepared(self, prepared: PreparedAudit) -> None:
        self.beginResetModel()
        self._entries, self._haystacks = prepared.entries, prepared.haystacks
        self._visible = self._matching(range(len(self._entries)), self._query)
        self.endResetModel()

    def set_query(self, text: str) -> None:
        query = text.strip().casefold()
        if query == self._query:
            return
        # A longer query only narrows what matched before.
        narrower = query.startswith(self._query)
        candidates = self._visible if narrower else range(len(self._entries))
        self.beginResetModel()
        self._query = query
        self._visible = self._matching(candidates, query)
        self.endResetModel()

    def _matching(self, candidates: Any, query: str) -> list[int]:
        if not query:
            return list(candidates)
        haystacks = self._haystacks
        return [i for i in candidates if query in haystacks[i]]

    def action_names(self) -> dict[str, str]:
        return dict(self._actions)

    def entry(self, row: int) -> AuditEntry:
        return self._entries[self._visible[row]]


# Days back from today for each choice of the range box (None: every entry).
_RANGES: tuple[int | None, ...] = (0, 6, 29, None)


class AuditDialog(QDialog):
    """`loaded` fires once the worker's entries are in the model (for tests and the status)."""

    loaded = Signal()
    exported = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskThread,
        trail: Callable[[], AuditTrail],
        record_export: Callable[[str, int], None],
        lang: str = "ko",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(self.tr("기록"))
        self._tasks = tasks
        self._trail = trail
        self._record_export = record_export
        self._lang = lang
        self._task = 0
        self._prepared: PreparedAudit | None = None
        self.model = AuditModel(self)

        self.range = QComboBox()
        self.range.setObjectName("auditRangeCombo")
        for text in (self.tr("오늘"), self.tr("최근 7일"), self.tr("최근 30일"), self.tr("전체")):
            self.range.addItem(text)
        self.range.setCurrentIndex(1)
        self.search = QLineEdit()
        self.search.setObjectName("auditSearchEdit")
        self.search.setPlaceholderText(self.tr("직원, 동작, 주문번호로 찾기"))
        self.search.setClearButtonEnabled(True)
        self.export_button = QPushButton(self.tr("CSV로 저장…"))
        self.export_button.setObjectName("auditExportButton")
        self.export_button.setEnabled(False)
        self.status = QLabel(self.tr("기록을 읽는 중…"))
        self.status.setObjectName("auditChainStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.table.verticalHeader()
        rows.hide()
        # Fixed row heights: the view never measures 100,000 rows to lay them out.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((64, 150, 60, 110, 120)):
            self.table.setColumnWidth(column, width)

        top = QHBoxLayout()
        top.addWidget(self.range)
        top.addWidget(self.search, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.resize(980, 620)

        self.search.textChanged.connect(self.model.set_query)
        self.range.currentIndexChanged.connect(lambda _i: self.reload())
        self.export_button.clicked.connect(self._export)
        self.reload()

    def since(self) -> date | None:
        back = _RANGES[self.range.currentIndex()]
        return None if back is None else date.today() - timedelta(days=back)

    def reload(self) -> None:
        since, trail = self.since(), self._trail
        if self._task:
            self._tasks.forget(self._task)
        self.export_button.setEnabled(False)

        labels = self.model.action_names()

        def read() -> PreparedAudit:
            source = trail()
            return PreparedAudit(source.entries(since), source.verify(), labels)

        self._task = self._tasks.submit(read, self._show, self._failed)

    def _show(self, prepared: PreparedAudit) -> None:
        from pos_app.services.audit import anchor_of, check_message

        self._task = 0
        self._prepared = prepared
        self.model.set_prepared(prepared)
        check = prepared.check
        text = check_message(check, self._lang)
        if not check.ok:
            text = self.tr("기록이 손상되었습니다: %1").replace("%1", text)
        elif check.head_seq:
            text = (
                self.tr(
                    "전체 기록 %1건, 이상 없음. 확인 값 %2 (따로 적어 두면 나중에 기록이 다시 "
                    "쓰였는지 확인할 수 있습니다)"
                )
                .replace("%1", str(check.entry_count))
                .replace("%2", anchor_of(check))
            )
        self.status.setText(text)
        set_style_property(self.status, "role", "" if check.ok else "error")
        self.export_button.setEnabled(True)
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self._task = 0
        self.status.setText(self.tr("기록을 읽지 못했습니다: %1").replace("%1", str(exc)))
        set_style_property(self.status, "role", "error")

    def _export(self) -> None:
        prepared = self._prepared
        if prepared is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("기록 저장"), f"audit-{date.today().isoformat()}.csv", "CSV (*.csv)"
        )
        if not path:
            return
        entries = prepared.entries[::-1]  # oldest first in the file, as `pos-app audit --csv`
        record = self._record_export

        def write() -> str:
            from pos_app.services.audit import write_csv

            with open(path, "w", encoding="utf-8-sig", newline="") as stream:
                write_csv(entries, stream)
            record(path, len(entries))
            return path

        self.export_button.setEnabled(False)
        self._tasks.submit(write, self._exported, self._failed)

    def _exported(self, path: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("저장했습니다: %1").replace("%1", path))
        self.exported.emit(path)

    def done(self, result: int) -> None:
        if self._task:
            self._tasks.forget(self._task)
            self._task = 0
        super().done(result)

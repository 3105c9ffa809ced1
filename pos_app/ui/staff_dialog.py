"""설정 → 직원: add and remove staff, change a PIN, set the idle lock (a manager's screen once a
manager exists; anyone may add the first one).

Every change runs on the staff worker thread (a PIN hash takes about 0.1 s) and is recorded in
the audit trail as done by `by`: the manager signed in, or the one who approved opening this.
PIN fields are wiped as soon as they are read, whatever happens next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.confirm import ask
from pos_app.ui.fields import error_note, set_style_property
from pos_app.ui.secure_edit import PinEdit
from pos_app.ui.task_thread import TaskThread

if TYPE_CHECKING:
    from pos_app.core.staff_pin import StaffPin
    from pos_app.services.staff import StaffBook
    from pos_app.store.staff import StaffMember


class StaffDialog(QDialog):
    """`staffChanged(list[StaffMember])` after every change (the sign-in list follows it)."""

    staffChanged = Signal(object)
    idleLockChanged = Signal(int)
    answered = Signal()  # any answer from the worker, for tests

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskThread,
        book: Callable[[], StaffBook],
        by: str,
        lang: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.setWindowTitle(self.tr("직원"))
        self._tasks, self._book, self._by, self._lang = tasks, book, by, lang
        self._busy = False
        self._roles = {"cashier": self.tr("캐셔"), "manager": self.tr("관리자")}

        self.table = QTableWidget(0, 2)
        self.table.setObjectName("staffTable")
        self.table.setHorizontalHeaderLabels([self.tr("이름"), self.tr("역할")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.remove_button = QPushButton(self.tr("선택한 직원 삭제"))
        self.remove_button.setObjectName("staffRemoveButton")

        person = QGroupBox(self.tr("직원 추가 · PIN 변경"))
        form = QFormLayout(person)
        self.name = QLineEdit()
        self.name.setObjectName("staffNameEdit")
        self.name.setMaxLength(20)
        self.role = QComboBox()
        self.role.setObjectName("staffRoleCombo")
        for role, text in self._roles.items():
            self.role.addItem(text, role)
        self.pin = PinEdit()
        self.pin.setObjectName("staffPinEdit")
        self.pin_again = PinEdit()
        self.pin_again.setObjectName("staffPinAgainEdit")
        form.addRow(self.tr("이름"), self.name)
        form.addRow(self.tr("역할"), self.role)
        form.addRow(self.tr("PIN (숫자 4~8자리)"), self.pin)
        form.addRow(self.tr("PIN 확인"), self.pin_again)
        self.add_button = QPushButton(self.tr("추가"))
        self.add_button.setObjectName("staffAddButton")
        self.pin_button = QPushButton(self.tr("선택한 직원의 PIN 변경"))
        self.pin_button.setObjectName("staffPinButton")
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.pin_button)
        form.addRow(row)

        lock = QGroupBox(self.tr("자동 잠금"))
        lock_row = QHBoxLayout(lock)
        self.idle = QSpinBox()
        self.idle.setObjectName("idleLockSpin")
        self.idle.setRange(0, 240)
        self.idle.setSuffix(self.tr("분 (0 = 끄기)"))
        self.idle_button = QPushButton(self.tr("저장"))
        self.idle_button.setObjectName("idleLockSaveButton")
        lock_row.addWidget(self.idle, 1)
        lock_row.addWidget(self.idle_button)

        self.message = error_note(self, "staffMessage")
        close = QPushButton(self.tr("닫기"))
        close.setObjectName("staffCloseButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)

        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.remove_button)
        right = QVBoxLayout()
        right.addWidget(person)
        right.addWidget(lock)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.message)
        layout.addWidget(close)

        self.add_button.clicked.connect(self._add)
        self.pin_button.clicked.connect(self._change_pin)
        self.remove_button.clicked.connect(self._remove)
        self.idle_button.clicked.connect(self._save_idle)
        self._run(lambda b: None)

    # -- reading ---------------------------------------------------------------------------------
    def selected_name(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.text() if item is not None else ""

    def _show(self, state: tuple[list[StaffMember], int], note: str) -> None:
        members, minutes = state
        self._busy = False
        self._enable(True)
        self.table.setRowCount(len(members))
        for i, member in enumerate(members):
            self.table.setItem(i, 0, QTableWidgetItem(member.name))
            self.table.setItem(i, 1, QTableWidgetItem(self._roles[member.role]))
        self.idle.setValue(minutes)
        self._say(note, error=False)
        self.staffChanged.emit(members)
        self.answered.emit()

    # -- changes -----------------------------------------------------------------------------------
    def _new_pin(self) -> StaffPin | None:
        """The typed PIN, both fields wiped; None (and the reason shown) when it breaks a rule."""
        from pos_app.services.staff import StaffError, parse_new_pin

        first, second = self.pin.text(), self.pin_again.text()
        self.pin.wipe()
        self.pin_again.wipe()
        try:
            return parse_new_pin(first, second)
        except StaffError as exc:
            self._say(exc.message(self._lang), error=True)
            return None

    def _add(self) -> None:
        if self._busy:
            return
        name, role = self.name.text(), str(self.role.currentData())
        pin = self._new_pin()
        if pin is None:
            return
        by = self._by
        self.name.clear()
        self._run(
            lambda b: b.add(name, role, pin, by),
            self.tr("%1 님을 추가했습니다.").replace("%1", name.strip()),
        )

    def _change_pin(self) -> None:
        name = self.selected_name()
        if self._busy:
            return
        if not name:
            self._say(self.tr("PIN을 바꿀 직원을 목록에서 고르세요."), error=True)
            return
        pin = self._new_pin()
        if pin is None:
            return
        by = self._by
        self._run(
            lambda b: b.change_pin(name, pin, by),
            self.tr("%1 님의 PIN을 바꿨습니다.").replace("%1", name),
        )

    def _remove(self) -> None:
        name = self.selected_name()
        if self._busy or not name:
            return
        question = self.tr("%1 님을 직원 목록에서 삭제할까요?").replace("%1", name)
        if not ask(self, self.tr("직원 삭제"), question, self.tr("삭제")):
            return
        by = self._by
        self._run(
            lambda b: b.remove(name, by), self.tr("%1 님을 삭제했습니다.").replace("%1", name)
        )

    def _save_idle(self) -> None:
        if self._busy:
            return
        minutes, by = self.idle.value(), self._by
        self._run(
            lambda b: b.set_idle_lock_minutes(minutes, by),
            self.tr("자동 잠금을 저장했습니다."),
        )
        self.idleLockChanged.emit(minutes)

    def _run(self, change: Callable[[StaffBook], object], note: str = "") -> None:
        """`change` on the worker, then the list read again."""
        source = self._book

        def work() -> tuple[list[StaffMember], int]:
            book = source()
            change(book)
            return book.members(), book.idle_lock_minutes()

        self._busy = True
        self._enable(False)
        self._tasks.submit(work, lambda state: self._show(state, note), self._failed)

    def _failed(self, exc: Exception) -> None:
        from pos_app.services.staff import StaffError

        self._busy = False
        self._enable(True)
        text = exc.message(self._lang) if isinstance(exc, StaffError) else str(exc)
        self._say(text, error=True)
        self.answered.emit()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        set_style_property(self.message, "role", "error" if error else "note")

    def _enable(self, on: bool) -> None:
        for button in (self.add_button, self.pin_button, self.remove_button, self.idle_button):
            button.setEnabled(on)

    def done(self, result: int) -> None:
        self.pin.wipe()
        self.pin_again.wipe()
        super().done(result)

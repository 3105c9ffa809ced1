"""The selected member's plan, under the customer list: amount, order name, billing day (1–28
or 말일), active or paused, optional start and end months; or plans for many members from a CSV
file (customer_uid,amount,name,day).

Bad input is said under its field, in the window's language, before anything is saved. The
editor only asks (`saveRequested`, `importRequested`); the plan is written off the GUI thread
(BillingRunController) and the saved row comes back through `saved()`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.order import ORDER_NAME_MAX
from pos_app.ui.fields import set_style_property

if TYPE_CHECKING:
    from pos_app.core.errors import InvalidInput
    from pos_app.store.customers import CustomerRow, MemberPlan
    from pos_app.store.schedules import ScheduleRow

_LAST_DAY = 31  # core.billing_day.LAST_DAY


class PlanEditor(QFrame):
    """`saveRequested(customer_uid, MemberPlan | None)`: None removes the plan.
    `importRequested(path)`: plans from a CSV file.

    One line under the list says the selected member's plan; 계획 편집 (`planEditToggle`) opens
    the fields below it. Closed, it costs the list one line, which matters on a 690-line screen."""

    saveRequested = Signal(str, object)
    importRequested = Signal(str)
    # PortOne schedules: register the member's next months, revoke them, or show them.
    scheduleRequested = Signal(str)
    unscheduleRequested = Signal(str)
    schedulesWanted = Signal(str)

    def __init__(self, parent: QWidget | None = None, lang: str = "ko") -> None:
        super().__init__(parent)
        self.setObjectName("planEditor")
        self._lang = lang
        self._uid = ""
        self._ready = False
        self._plan: MemberPlan | None = None

        self.amount = QLineEdit()
        self.amount.setObjectName("planAmountEdit")
        self.amount.setPlaceholderText("55,000")
        self.amount.setMaximumWidth(96)
        self.amount.setAccessibleName(self.tr("정기 결제 금액"))
        self.name = QLineEdit()
        self.name.setObjectName("planNameEdit")
        self.name.setPlaceholderText(self.tr("주문명 예: 월 회비"))
        self.name.setMaxLength(ORDER_NAME_MAX)
        self.name.setAccessibleName(self.tr("정기 결제 주문명"))
        self.day = QComboBox()
        self.day.setObjectName("planDayEdit")
        self.day.setAccessibleName(self.tr("결제일"))
        for day in range(1, 29):
            self.day.addItem(self.tr("%1일").replace("%1", str(day)), day)
        self.day.addItem(self.tr("말일"), _LAST_DAY)
        self.active = QCheckBox(self.tr("사용"))
        self.active.setObjectName("planActiveCheck")
        self.active.setToolTip(self.tr("끄면 일시 정지: 정기 결제에서 빠집니다"))
        self.active.setAccessibleName(self.tr("정기 결제 사용"))
        self.active.setChecked(True)
        self.start = QLineEdit()
        self.start.setObjectName("planStartEdit")
        self.start.setPlaceholderText(self.tr("시작 월 (선택)"))
        self.start.setAccessibleName(self.tr("시작 월"))
        self.start.setMaximumWidth(120)
        self.end = QLineEdit()
        self.end.setObjectName("planEndEdit")
        self.end.setPlaceholderText(self.tr("종료 월 (선택)"))
        self.end.setAccessibleName(self.tr("종료 월"))
        self.end.setMaximumWidth(120)
        amount_label = QLabel(self.tr("금액"))
        amount_label.setBuddy(self.amount)
        day_label = QLabel(self.tr("매월"))
        day_label.setBuddy(self.day)

        self.save_button = QPushButton(self.tr("계획 저장"))
        self.save_button.setObjectName("planSaveButton")
        self.remove_button = QPushButton(self.tr("계획 삭제"))
        self.remove_button.setObjectName("planRemoveButton")
        self.import_button = QPushButton(self.tr("CSV 가져오기…"))
        self.import_button.setObjectName("planImportButton")
        self.import_button.setToolTip(
            self.tr("여러 회원의 계획을 CSV(customer_uid,amount,name,day)에서 가져옵니다")
        )
        self.schedule_button = QPushButton(self.tr("PortOne 예약 등록"))
        self.schedule_button.setObjectName("planScheduleButton")
        self.schedule_button.setToolTip(
            self.tr(
                "다음 3개월 결제를 PortOne에 예약합니다: 이 PC가 꺼져 있어도 PortOne이 결제합니다"
            )
        )
        self.unschedule_button = QPushButton(self.tr("예약 취소"))
        self.unschedule_button.setObjectName("planUnscheduleButton")
        for button in (
            self.save_button,
            self.remove_button,
            self.import_button,
            self.schedule_button,
            self.unschedule_button,
        ):
            button.setAutoDefault(True)
            button.setAccessibleName(button.text())
        # The member's PortOne schedules and their states (예정, 결제됨, 거절, 취소됨).
        self.schedules = QLabel()
        self.schedules.setObjectName("planSchedulesLabel")
        self.schedules.setWordWrap(True)
        self.schedules.hide()
        self.status = QLabel()
        self.status.setObjectName("planStatusLabel")
        # One line beside the title: a long text is cut, never widens the customer panel.
        self.status.setWordWrap(False)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # One line under the fields says what is wrong, naming the field (which turns red).
        self.error = QLabel()
        self.error.setObjectName("planError")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.fields = {
            "amount": self.amount,
            "order_name": self.name,
            "billing_day": self.day,
            "plan_month": self.start,
        }

        self.toggle = QToolButton()
        self.toggle.setObjectName("planEditToggle")
        self.toggle.setText(self.tr("계획 편집"))
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(self.tr("정기 결제 계획 편집"))
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        title = QLabel(self.tr("정기 결제"))
        title.setObjectName("planTitle")

        first = QHBoxLayout()
        first.setSpacing(6)
        leading: tuple[QWidget, ...] = (amount_label, self.amount, day_label, self.day)
        for widget in leading:
            first.addWidget(widget)
        first.addWidget(self.name, 1)
        trailing: tuple[QWidget, ...] = (self.active, self.save_button, self.remove_button)
        for widget in trailing:
            first.addWidget(widget)
        second = QHBoxLayout()
        second.setSpacing(6)
        second.addWidget(self.start)
        second.addWidget(self.end)
        second.addStretch(1)
        second.addWidget(self.schedule_button)
        second.addWidget(self.unschedule_button)
        second.addWidget(self.import_button)
        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(title)
        header.addWidget(self.status, 1)
        header.addWidget(self.toggle)
        self.body = QWidget()
        self.body.setObjectName("planEditorFields")
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(4)
        body.addLayout(first)
        body.addLayout(second)
        body.addWidget(self.schedules)
        body.addWidget(self.error)
        self.body.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._open_fields)

        self.schedule_button.clicked.connect(self._schedule)
        self.unschedule_button.clicked.connect(self._unschedule)
        self.save_button.clicked.connect(self._save)
        self.remove_button.clicked.connect(self._remove)
        self.import_button.clicked.connect(self._import)
        self.amount.returnPressed.connect(self._save)
        self.name.returnPressed.connect(self._save)
        self.show_customer(None)

    # -- what the window tells it ----------------------------------------------------------------
    def show_customer(self, row: CustomerRow | None) -> None:
        """The selected member's plan in the fields (empty fields for a member without one)."""
        self._clear_errors()
        self._uid = row.customer_uid if row is not None else ""
        plan = row.plan if row is not None else None
        self.amount.setText(f"{plan.amount:,}" if plan else "")
        self.name.setText(plan.name if plan else "")
        self.day.setCurrentIndex(max(0, self.day.findData(plan.day)) if plan else 0)
        self.active.setChecked(plan.active if plan else True)
        self.start.setText(plan.start or "" if plan else "")
        self.end.setText(plan.end or "" if plan else "")
        self._plan = plan
        self.schedules.clear()
        self.schedules.hide()
        if plan is not None and plan.mode == "portone" and self._ready:
            self.schedulesWanted.emit(self._uid)
        if row is None:
            self.status.setText(self.tr("회원을 목록에서 선택하세요."))
        elif plan is None:
            self.status.setText(
                self.tr("%1: 정기 결제 계획이 없습니다.").replace("%1", row.customer_uid)
            )
        else:
            self.status.setText(self._describe(row))
        self._update_buttons()

    def set_ready(self, ready: bool) -> None:
        self._ready = ready
        self._update_buttons()

    def saved(self, row: CustomerRow | None) -> None:
        if row is None:
            self.status.setText(
                self.tr("저장하지 못했습니다: 이 회원은 등록 고객 목록에 없습니다.")
            )
            return
        if row.customer_uid == self._uid:
            self.show_customer(row)
            self.status.setText(self.tr("저장했습니다.") + " " + self._describe(row))

    def show_schedules(self, customer_uid: str, rows: list[ScheduleRow]) -> None:
        """The member's PortOne schedules, oldest first, each with its state."""
        if customer_uid != self._uid:
            return
        states = {
            "registering": self.tr("확인 중"),
            "scheduled": self.tr("예정"),
            "executed": self.tr("결제됨"),
            "revoked": self.tr("취소됨"),
            "unregistered": self.tr("등록 안 됨"),
        }
        parts = []
        for schedule in rows:
            state = states.get(schedule.state, schedule.state)
            if schedule.state == "executed" and schedule.payment_status != "paid":
                state = self.tr("거절") + (
                    f" ({schedule.fail_reason})" if schedule.fail_reason else ""
                )
            day = date.fromtimestamp(schedule.schedule_at).isoformat()
            parts.append(f"{day} {state}")
        self.schedules.setText(self.tr("PortOne 예약: ") + ", ".join(parts) if parts else "")
        self.schedules.setVisible(bool(parts))

    def failed(self, message: str) -> None:
        """A short note beside the title; a longer one (a refused plan file) under the fields."""
        if "\n" not in message:
            self.status.setText(message)
            return
        self.error.setText(message)
        self.error.show()
        self.open_fields()

    def open_fields(self) -> None:
        self.toggle.setChecked(True)

    # -- the person's actions ------------------------------------------------------------------
    def _open_fields(self, on: bool) -> None:
        self.body.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if on and self.amount.isEnabled():
            self.amount.setFocus()

    def _save(self) -> None:
        from pos_app.core.errors import InvalidInput
        from pos_app.services.member_plans import checked_plan

        if not self._uid:
            return
        self._clear_errors()
        try:
            plan = checked_plan(
                self.amount.text(),
                self.name.text(),
                int(self.day.currentData()),
                active=self.active.isChecked(),
                start=self.start.text(),
                end=self.end.text(),
            )
        except InvalidInput as exc:
            self._show_errors([exc])
            return
        self.status.setText(self.tr("저장하는 중"))
        self.saveRequested.emit(self._uid, plan)

    def _schedule(self) -> None:
        from pos_app.ui.confirm import ask

        plan = self._plan
        if not self._uid or plan is None or not plan.active:
            self.failed(self.tr("먼저 사용 중인 계획을 저장하세요."))
            return
        text = (
            self.tr(
                "%1: 매월 %2 %3원을 다음 3개월 PortOne에 예약합니다. 이 PC가 꺼져 있어도 "
                "PortOne이 결제하고, 이 프로그램의 정기 결제에서는 빠집니다."
            )
            .replace("%1", self._uid)
            .replace("%2", _day_text(self, plan.day))
            .replace("%3", f"{plan.amount:,}")
        )
        if ask(self, self.tr("PortOne 예약 등록"), text, self.tr("예약 등록")):
            self.status.setText(self.tr("PortOne에 예약하는 중"))
            self.scheduleRequested.emit(self._uid)

    def _unschedule(self) -> None:
        if self._uid:
            self.status.setText(self.tr("PortOne 예약을 취소하는 중"))
            self.unscheduleRequested.emit(self._uid)

    def _remove(self) -> None:
        if self._uid:
            self.status.setText(self.tr("삭제하는 중"))
            self.saveRequested.emit(self._uid, None)

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("정기 결제 계획 가져오기"),
            "",
            self.tr("CSV 파일 (*.csv);;모든 파일 (*)"),
        )
        if path:
            self.status.setText(self.tr("계획 파일을 읽는 중"))
            self.importRequested.emit(path)

    # -- helpers -------------------------------------------------------------------------------
    def _describe(self, row: CustomerRow) -> str:
        from pos_app.core.billing_day import day_label, next_billing_date

        plan = row.plan
        if plan is None:
            return ""
        text = (
            self.tr("%1: 매월 %2 %3원 (%4)")
            .replace("%1", row.customer_uid)
            .replace("%2", day_label(plan.day, self._lang))
            .replace("%3", f"{plan.amount:,}")
            .replace("%4", plan.name)
        )
        if not plan.active:
            return text + " · " + self.tr("일시 정지")
        upcoming = next_billing_date(plan.day, date.today(), start=plan.start, end=plan.end)
        if upcoming is None:
            return text + " · " + self.tr("끝남 (종료 월이 지남)")
        text += " · " + self.tr("다음 결제일 %1").replace("%1", upcoming.isoformat())
        if plan.mode == "portone":
            text += " · " + self.tr("PortOne 예약으로 결제")
        return text

    def _show_errors(self, errors: list[InvalidInput]) -> None:
        names = {
            "amount": self.tr("금액"),
            "order_name": self.tr("주문명"),
            "billing_day": self.tr("결제일"),
            "plan_month": self.tr("기간"),
        }
        lines = []
        for error in errors:
            field = self.fields.get(error.field, self.amount)
            set_style_property(field, "invalid", True)
            lines.append(f"{names.get(error.field, '')}: {error.message(self._lang)}")
        self.error.setText("\n".join(lines))
        self.error.show()
        self.fields.get(errors[0].field, self.amount).setFocus()

    def _clear_errors(self) -> None:
        self.error.clear()
        self.error.hide()
        for field in self.fields.values():
            if field.property("invalid"):
                set_style_property(field, "invalid", False)

    def _update_buttons(self) -> None:
        ready = self._ready
        has_member = bool(self._uid)
        for widget in (self.amount, self.name, self.day, self.active, self.start, self.end):
            widget.setEnabled(ready and has_member)
        self.save_button.setEnabled(ready and has_member)
        self.remove_button.setEnabled(ready and has_member)
        self.import_button.setEnabled(ready)
        at_portone = self._plan is not None and self._plan.mode == "portone"
        self.schedule_button.setEnabled(ready and self._plan is not None and self._plan.active)
        self.schedule_button.setText(
            self.tr("예약 다시 확인") if at_portone else self.tr("PortOne 예약 등록")
        )
        self.unschedule_button.setEnabled(ready and at_portone)


def _day_text(editor: PlanEditor, day: int) -> str:
    return editor.tr("말일") if day == _LAST_DAY else editor.tr("%1일").replace("%1", str(day))

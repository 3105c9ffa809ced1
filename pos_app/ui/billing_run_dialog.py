"""결제 → 정기 결제…: the monthly billing run, with a preview before anything is sent.

The cashier picks the members due on a day (default today; days missed while the PC was off are
included) or a bill file, reads the preview (how many, the total, who is skipped and why), and
starts. The run shows its progress, can be paused (what is in flight finishes, nothing new is
sent), resumed and stopped; declined rows can be tried again with a reason that is kept; the
results can be saved as CSV. The dialog is not modal: the window keeps serving walk-in customers
while a run goes on, and closing the dialog leaves the run going.

The dialog only shows and asks; `BillingRunController` does the work off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.money import format_krw
from pos_app.ui.billing_run_model import AttentionFilter, RunTableModel, rows_of_preview
from pos_app.ui.confirm import ask
from pos_app.ui.fields import error_note, note_label

if TYPE_CHECKING:
    from pos_app.services.billing_run import RowResult, RunProgress
    from pos_app.services.run_preview import RunPreview
    from pos_app.ui.billing_controller import BillingRunController

_WIDTHS = (90, 90, 120, 90, 120, 70, 220)


class BillingRunDialog(QDialog):
    def __init__(
        self, controller: BillingRunController, parent: QWidget | None = None, lang: str = "ko"
    ) -> None:
        super().__init__(parent)
        self.setObjectName("billingRunDialog")
        self.setWindowTitle(self.tr("정기 결제"))
        self.setModal(False)
        self.resize(1000, 640)  # fits a 1024×690 counter screen
        self.controller = controller
        self._lang = lang
        self._busy = False  # a preview is being built
        # Asked before declined rows are tried again (the staff gate's manager approval); the
        # reason given is passed on to the preview and kept in the journal.
        self.approve_retry: Callable[[str], bool] = lambda _reason: True
        self._shown_state = ""  # the run state the buttons were last set for
        self._build()
        controller.previewReady.connect(self.show_preview)
        controller.failed.connect(self.show_failure)
        controller.resultsArrived.connect(self.show_results)
        controller.progressChanged.connect(self.show_progress)
        controller.exported.connect(self._exported)
        self._update_buttons()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.due_choice = QRadioButton(self.tr("결제일이 된 회원"))
        self.due_choice.setObjectName("billingRunDueChoice")
        self.due_choice.setChecked(True)
        self.file_choice = QRadioButton(self.tr("청구 파일"))
        self.file_choice.setObjectName("billingRunFileChoice")
        choices = QButtonGroup(self)
        choices.addButton(self.due_choice)
        choices.addButton(self.file_choice)

        self.due_date = QDateEdit(QDate.currentDate())
        self.due_date.setObjectName("billingRunDueDate")
        self.due_date.setCalendarPopup(True)
        self.due_date.setDisplayFormat("yyyy-MM-dd")
        # Nothing after today: every plan would be "due" (docs/billing-run.md); the service
        # refuses it too, this only keeps the calendar from offering it.
        self.due_date.setMaximumDate(QDate.currentDate())
        self.due_date.setAccessibleName(self.tr("결제일"))
        self.due_note = QLabel(self.tr("이날까지 결제일이 지난 회원 (PC가 꺼져 있던 날 포함)"))
        self.due_note.setObjectName("billingRunDueNote")
        self.due_button = QPushButton(self.tr("회원 보기"))
        self.due_button.setObjectName("billingRunDueButton")

        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("billingRunFileEdit")
        self.file_edit.setPlaceholderText(self.tr("customer_uid,amount,name 형식의 CSV 파일"))
        self.file_edit.setAccessibleName(self.tr("청구 파일"))
        self.browse_button = QPushButton(self.tr("찾아보기…"))
        self.browse_button.setObjectName("billingRunBrowseButton")
        self.period_edit = QLineEdit(date.today().strftime("%Y-%m"))
        self.period_edit.setObjectName("billingRunPeriodEdit")
        self.period_edit.setMaximumWidth(110)
        self.period_edit.setAccessibleName(self.tr("청구 기간"))
        period_label = QLabel(self.tr("기간"))
        period_label.setBuddy(self.period_edit)
        self.load_button = QPushButton(self.tr("불러오기"))
        self.load_button.setObjectName("billingRunLoadButton")

        source = QGridLayout()
        source.addWidget(self.due_choice, 0, 0)
        source.addWidget(self.due_date, 0, 1)
        source.addWidget(self.due_note, 0, 2, 1, 3)
        source.addWidget(self.due_button, 0, 5)
        source.addWidget(self.file_choice, 1, 0)
        source.addWidget(self.file_edit, 1, 1, 1, 2)
        source.addWidget(self.browse_button, 1, 3)
        period = QHBoxLayout()
        period.addWidget(period_label)
        period.addWidget(self.period_edit)
        source.addLayout(period, 1, 4)
        source.addWidget(self.load_button, 1, 5)
        source.setColumnStretch(2, 1)

        self.preview_label = note_label(self, "billingRunPreview", "")
        self.problems = error_note(self, "billingRunProblems")

        self.model = RunTableModel(self)
        self.shown = AttentionFilter(self)
        self.shown.setSourceModel(self.model)
        self.attention_only = QCheckBox(self.tr("확인할 것만 보기"))
        self.attention_only.setObjectName("billingRunAttentionOnly")
        self.attention_only.toggled.connect(self.shown.set_only_attention)
        self.table = QTableView()
        self.table.setObjectName("billingRunTable")
        self.table.setAccessibleName(self.tr("정기 결제 목록"))
        self.table.setModel(self.shown)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(_WIDTHS):
            self.table.setColumnWidth(column, width)

        self.progress = QProgressBar()
        self.progress.setObjectName("billingRunProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        self.progress.setAccessibleName(self.tr("진행"))
        self.summary = note_label(self, "billingRunSummary", "")
        # One line: a wrapped label asks the layout for a new height at every change (measured
        # as the GUI thread's largest cost while a run reports).
        self.summary.setWordWrap(False)

        self.start_button = QPushButton(self.tr("결제 시작"))
        self.start_button.setObjectName("billingRunStartButton")
        self.start_button.setProperty("role", "primary")
        self.pause_button = QPushButton(self.tr("일시 정지"))
        self.pause_button.setObjectName("billingRunPauseButton")
        self.stop_button = QPushButton(self.tr("중지"))
        self.stop_button.setObjectName("billingRunStopButton")
        self.stop_button.setProperty("role", "danger")
        self.retry_button = QPushButton(self.tr("거절 건 다시 시도…"))
        self.retry_button.setObjectName("billingRunRetryButton")
        self.export_button = QPushButton(self.tr("CSV로 저장…"))
        self.export_button.setObjectName("billingRunExportButton")
        self.close_button = QPushButton(self.tr("닫기"))
        self.close_button.setObjectName("billingRunCloseButton")
        for button in (
            self.due_button,
            self.browse_button,
            self.load_button,
            self.start_button,
            self.pause_button,
            self.stop_button,
            self.retry_button,
            self.export_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
            button.setAccessibleName(button.text())
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.retry_button, self.export_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(source)
        preview = QHBoxLayout()
        preview.addWidget(self.preview_label, 1)
        preview.addWidget(self.attention_only)
        layout.addLayout(preview)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

        self._date_timer = QTimer(self)
        self._date_timer.setSingleShot(True)
        self._date_timer.setInterval(300)
        self._date_timer.timeout.connect(lambda: self.load_due())
        self.due_date.dateChanged.connect(lambda _d: self._due_date_changed())
        self.due_button.clicked.connect(lambda: self.load_due())
        self.load_button.clicked.connect(lambda: self.load_file())
        self.file_edit.returnPressed.connect(lambda: self.load_file())
        self.file_edit.textEdited.connect(lambda _t: self.file_choice.setChecked(True))
        self.browse_button.clicked.connect(self._browse)
        self.start_button.clicked.connect(self._start)
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.stop_button.clicked.connect(self._stop)
        self.retry_button.clicked.connect(self._retry_declined)
        self.export_button.clicked.connect(self._export)
        self.close_button.clicked.connect(self.close)

    # -- asking for a preview ------------------------------------------------------------------
    def load_due(self, retry_reason: str = "") -> None:
        self._date_timer.stop()
        if self.controller.active():
            return
        self.due_choice.setChecked(True)
        day = self.due_date.date().toPython()
        assert isinstance(day, date)
        self._waiting(self.tr("결제일이 된 회원을 찾는 중 (미확인 결제는 PortOne에 먼저 확인)"))
        self.controller.preview_due(day, retry_reason)

    def load_file(self, retry_reason: str = "") -> None:
        if self.controller.active():
            return
        path = self.file_edit.text().strip()
        if not path:
            self.problems.setText(self.tr("청구 파일을 고르거나 경로를 입력하세요."))
            self.problems.show()
            self.file_edit.setFocus()
            return
        self.file_choice.setChecked(True)
        self._waiting(self.tr("청구 파일을 읽는 중"))
        self.controller.preview_file(path, self.period_edit.text().strip(), retry_reason)

    def load_resume(self, record: object) -> None:
        """An interrupted run, offered at start: its rows are settled with PortOne first."""
        self._waiting(self.tr("멈춘 정기 결제를 PortOne에 확인하는 중"))
        self.controller.preview_resume(record)  # type: ignore[arg-type]

    def busy(self) -> bool:
        """A preview is being built (the source fields wait for it)."""
        return self._busy

    def showEvent(self, event: QShowEvent) -> None:
        # The dialog may be shown again after midnight: today moves, and so does the cap.
        self.due_date.setMaximumDate(QDate.currentDate())
        super().showEvent(event)

    def _due_date_changed(self) -> None:
        if not self.controller.active():
            self._date_timer.start()

    def _waiting(self, text: str) -> None:
        self._busy = True
        self.problems.hide()
        self.preview_label.setText(text)
        self.summary.clear()
        self._update_buttons()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("청구 파일"), "", self.tr("CSV 파일 (*.csv);;모든 파일 (*)")
        )
        if path:
            self.file_edit.setText(path)
            self.load_file()

    # -- what the controller says --------------------------------------------------------------
    def show_preview(self, preview: RunPreview) -> None:
        self._busy = False
        self.progress.setRange(0, max(1, len(preview.prepared.items)))
        self.progress.setValue(0)
        if preview.refused:
            self.model.set_rows([])
            lines = [self._problem_text(p.line, p.message_en, p.message) for p in preview.problems]
            self.problems.setText(
                self.tr("청구 파일을 받지 않았습니다. 아무것도 결제하지 않았습니다.")
                + "\n"
                + "\n".join(lines)
            )
            self.problems.show()
            self.preview_label.setText("")
            self._update_buttons()
            return
        self.problems.hide()
        self.model.set_rows(rows_of_preview(preview))
        prepared = preview.prepared
        skipped = len(prepared.skipped) + len(preview.due_skipped)
        text = (
            self.tr("결제할 회원 %1건 · 합계 %2 · 건너뜀 %3건")
            .replace("%1", f"{len(prepared.items):,}")
            .replace("%2", format_krw(prepared.total_amount))
            .replace("%3", f"{skipped:,}")
        )
        if preview.source == "resume":
            text = self.tr("멈췄던 정기 결제를 이어서 합니다.") + " " + text
        if preview.paused or preview.at_portone:
            text += " · " + self.tr("일시 정지 %1명 · PortOne 예약 %2명").replace(
                "%1", str(preview.paused)
            ).replace("%2", str(preview.at_portone))
        if preview.retry_reason:
            text += " · " + self.tr("거절 건 다시 시도: %1").replace("%1", preview.retry_reason)
        self.preview_label.setText(text)
        self.start_button.setText(
            self.tr("%1건 결제 시작").replace("%1", f"{len(prepared.items):,}")
            if prepared.items
            else self.tr("결제 시작")
        )
        self._update_buttons()

    def show_failure(self, exc: Exception) -> None:
        from pos_app.ui.billing_texts import failure_text

        self._busy = False
        self.problems.setText(failure_text(exc, self._lang))
        self.problems.show()
        self.preview_label.clear()
        self._update_buttons()

    def show_results(self, results: list[RowResult]) -> None:
        self.model.apply(results)

    def show_progress(self, progress: RunProgress) -> None:
        self.progress.setRange(0, max(1, progress.total))
        self.progress.setValue(progress.done)
        counts = progress.counts
        parts = [
            f"{progress.done:,}/{progress.total:,}",
            self.tr("결제 %1 (%2)")
            .replace("%1", str(counts.get("paid", 0)))
            .replace("%2", format_krw(progress.amount_paid)),
            self.tr("거절 %1").replace("%1", str(counts.get("declined", 0))),
            self.tr("거부 %1").replace("%1", str(counts.get("refused", 0))),
            self.tr("확인 필요 %1").replace("%1", str(counts.get("unknown", 0))),
        ]
        held = counts.get("blocked", 0) + counts.get("repeat", 0) + counts.get("not_sent", 0)
        if held:
            parts.append(self.tr("보내지 않음 %1").replace("%1", str(held)))
        if progress.rate_per_s:
            parts.append(self.tr("%1건/초").replace("%1", f"{progress.rate_per_s:.1f}"))
        if progress.eta_s is not None and progress.state == "running":
            left = int(progress.eta_s + 0.5)
            parts.append(self.tr("남은 시간 %1").replace("%1", f"{left // 60}:{left % 60:02d}"))
        parts.append(self._state_text(progress))
        self.summary.setText(" · ".join(p for p in parts if p))
        if progress.state != self._shown_state:  # buttons change with the state only
            self._shown_state = progress.state
            self._update_buttons()

    def _state_text(self, progress: RunProgress) -> str:
        if progress.state == "paused" and progress.reason == "connection":
            return self.tr(
                "멈춤: PortOne에 연결되지 않습니다 (연속 실패). 연결을 확인한 뒤 '계속'을 누르세요."
            )
        if progress.state == "paused" and progress.reason == "storage":
            return self.tr("멈춤: 거래 기록에 쓸 수 없습니다. '중지'를 누르고 문제를 해결하세요.")
        return {
            "running": self.tr("진행 중"),
            "pausing": self.tr("멈추는 중 (보낸 결제의 응답을 기다림)"),
            "paused": self.tr("일시 정지됨"),
            "stopping": self.tr("중지하는 중"),
            "stopped": self.tr("중지됨"),
            "finished": self.tr("끝남"),
        }.get(progress.state, "")

    # -- the person's actions ------------------------------------------------------------------
    def _start(self) -> None:
        preview = self.controller.preview
        if preview is None or not preview.prepared.items or self.controller.active():
            return
        count, total = len(preview.prepared.items), preview.prepared.total_amount
        if not ask(
            self,
            self.tr("정기 결제 시작"),
            self.tr("회원 %1건, 합계 %2을 결제합니다. 시작할까요?")
            .replace("%1", f"{count:,}")
            .replace("%2", format_krw(total)),
            self.tr("결제 시작"),
        ):
            return
        self.controller.start()
        self.start_button.setEnabled(False)
        self.summary.setText(self.tr("시작하는 중"))

    def _pause_or_resume(self) -> None:
        progress = self.controller.progress()
        if progress is None:
            return
        if progress.state in ("paused", "pausing"):
            self.controller.resume()
        else:
            self.controller.pause()

    def _stop(self) -> None:
        if self.controller.active():
            self.controller.stop()

    def _retry_declined(self) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("retryReasonDialog")
        dialog.setWindowTitle(self.tr("거절 건 다시 시도"))
        dialog.setLabelText(
            self.tr(
                "카드사가 거절한 건을 새 주문번호로 한 번 더 결제합니다. 사유를 남겨 주세요 "
                "(거래 기록에 남습니다)."
            )
        )
        dialog.setTextValue("")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        reason = dialog.textValue().strip()
        if not reason:
            self.problems.setText(self.tr("다시 시도하려면 사유가 필요합니다."))
            self.problems.show()
            return
        if not self.approve_retry(reason):
            return
        if self.file_choice.isChecked():
            self.load_file(reason)
        else:
            self.load_due(reason)

    def _export(self) -> None:
        from pos_app.services.run_export import RunCsvRow

        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("결과를 CSV로 저장"),
            f"billing-run-{date.today().isoformat()}.csv",
            self.tr("CSV 파일 (*.csv)"),
        )
        if not path:
            return
        model = self.model
        rows = [
            RunCsvRow(
                r.line,
                r.member,
                r.customer_uid,
                r.amount,
                r.order_name,
                r.period,
                model.status_text(r.status),
                model.message(r),
                r.merchant_uid,
                r.imp_uid,
                r.retry_of,
            )
            for r in model.rows()
        ]
        self.controller.export(path, rows, self._lang)

    def _exported(self, path: str, count: int) -> None:
        self.summary.setText(
            self.tr("%1건을 저장했습니다: %2").replace("%1", str(count)).replace("%2", path)
        )

    # -- helpers -------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        controller = self.controller
        active = controller.active()
        progress = controller.progress()
        preview = controller.preview
        # A preview is started once: after its run, a new preview is asked for.
        startable = (
            not active
            and not self._busy
            and preview is not None
            and not preview.refused
            and bool(preview.prepared.items)
            and controller.run is None
        )
        self.start_button.setEnabled(startable)
        paused = progress is not None and progress.state in ("paused", "pausing")
        self.pause_button.setText(self.tr("계속") if paused else self.tr("일시 정지"))
        self.pause_button.setEnabled(
            active and progress is not None and progress.state != "stopping"
        )
        self.stop_button.setEnabled(active)
        for widget in (
            self.due_date,
            self.due_button,
            self.file_edit,
            self.browse_button,
            self.period_edit,
            self.load_button,
            self.due_choice,
            self.file_choice,
        ):
            widget.setEnabled(not active and not self._busy)
        declined = self.model.count("declined") + self.model.count("skip:declined")
        self.retry_button.setEnabled(not active and not self._busy and declined > 0)
        self.export_button.setEnabled(not active and self.model.rowCount() > 0)

    def _problem_text(self, line: int, english: str, korean: str) -> str:
        message = english if self._lang == "en" and english else korean
        return (self.tr("%1행: ").replace("%1", str(line)) if line else "") + message

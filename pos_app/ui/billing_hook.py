"""The billing run and member plans in the main window, through as few touch points as possible:
a 결제 menu with 정기 결제… (`billingRunAction`, Ctrl+B), the plan editor under the customer list,
at start the offer to resume a run a kill or a power cut interrupted, and the run's entries in
the audit trail (run_start, run_pause, run_stop, a retry's approval, the results' export).

The main window makes one `BillingRunHook` once its till side exists (`add_till_side`); the hook
listens to the till worker's `opened` and to the window's close (an event filter), so neither
the window nor its worker needs to know more about billing runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence

from pos_app.ui.billing_controller import BillingRunController
from pos_app.ui.plan_editor import PlanEditor

# How often the window asks PortOne what became of its schedules (and at start).
SCHEDULE_SYNC_MS = 5 * 60 * 1000

if TYPE_CHECKING:
    from pos_app.services.billing_run import BillingRun, RunProgress
    from pos_app.services.schedules import SyncResult
    from pos_app.services.till import Till
    from pos_app.store.audit import Detail
    from pos_app.store.customers import CustomerRow
    from pos_app.store.schedules import ScheduleRow
    from pos_app.ui.billing_run_dialog import BillingRunDialog
    from pos_app.ui.main_window import MainWindow


class BillingRunHook(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = BillingRunController(self._till, self)
        self.dialog: BillingRunDialog | None = None
        self._closing = False

        menu_bar = window.menuBar()
        menu = menu_bar.addMenu(QCoreApplication.translate("BillingHook", "결제"))
        menu.setObjectName("billingMenu")
        existing = menu_bar.actions()
        if len(existing) > 2:  # after 매출, before 설정
            menu_bar.insertMenu(existing[1], menu)
        self.action = QAction(QCoreApplication.translate("BillingHook", "정기 결제…"), window)
        self.action.setObjectName("billingRunAction")
        self.action.setShortcut(QKeySequence("Ctrl+B"))  # F2-F9 are the counter's
        self.action.setEnabled(False)
        self.action.triggered.connect(self.open_dialog)
        menu.addAction(self.action)

        self.plan_editor = PlanEditor(lang=window.lang)
        layout = window.customers.layout()
        if layout is not None:
            layout.addWidget(self.plan_editor)
        window.customers.customerSelected.connect(self._selected)
        self.plan_editor.saveRequested.connect(self.controller.save_plan)
        self.plan_editor.importRequested.connect(self.controller.import_plans)
        self.plan_editor.scheduleRequested.connect(self._register_schedules)
        self.plan_editor.unscheduleRequested.connect(self._revoke_schedules)
        self.plan_editor.schedulesWanted.connect(self.controller.show_schedules)
        self.controller.schedulesShown.connect(self._schedules_shown)
        self.controller.schedulesSynced.connect(self._schedules_synced)
        # What PortOne's schedules came to is asked at start and every few minutes.
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(SCHEDULE_SYNC_MS)
        self._sync_timer.timeout.connect(self.controller.sync_schedules)
        self.controller.planSaved.connect(self._plan_saved)
        self.controller.plansImported.connect(self._plans_imported)
        self.controller.interruptedFound.connect(self._offer_resume)
        self.controller.failed.connect(self._failed)
        self.controller.runStarted.connect(self._run_started)
        self.controller.progressChanged.connect(self._run_progress)
        self.controller.exported.connect(self._exported)
        self._audited_state = ""
        window.till.opened.connect(self._opened)
        window.installEventFilter(self)

    # -- the dialog ------------------------------------------------------------------------------
    def open_dialog(self) -> BillingRunDialog:
        if self.dialog is None:
            from pos_app.ui.billing_run_dialog import BillingRunDialog

            self.dialog = BillingRunDialog(self.controller, self.window, self.window.lang)
            self.dialog.approve_retry = self._approve_retry
            self.dialog.load_due()
        if self.dialog.isVisible():  # asked for again while open (behind the window)
            self.dialog.raise_()
            self.dialog.activateWindow()
        else:
            self.dialog.show()
        return self.dialog

    def _offer_resume(self, interrupted: list[object]) -> None:
        from pos_app.core.money import format_krw
        from pos_app.services.run_resume import Interrupted
        from pos_app.ui.confirm import ask

        found = [i for i in interrupted if isinstance(i, Interrupted)]
        if not found or self._closing or self.controller.active():
            return
        run = found[-1]
        text = (
            QCoreApplication.translate(
                "BillingHook",
                "지난 정기 결제(%1)가 끝나지 않았습니다: 남은 %2건, 합계 %3. 보낸 결제는 "
                "PortOne에 먼저 확인하고, 나머지를 같은 주문번호로 이어서 결제합니다 (두 번 "
                "결제되지 않습니다). 이어서 할까요?",
            )
            .replace("%1", run.record.label)
            .replace("%2", f"{run.left:,}")
            .replace("%3", format_krw(run.amount_left))
        )
        if ask(
            self.window,
            QCoreApplication.translate("BillingHook", "멈춘 정기 결제"),
            text,
            QCoreApplication.translate("BillingHook", "이어서 하기"),
        ):
            self.open_dialog().load_resume(run.record)

    # -- the audit trail and approvals (the staff gate, docs/staff.md) -----------------------------
    def _audit(self, action: str, details: dict[str, Detail]) -> None:
        staff = getattr(self.window, "staff", None)
        if staff is not None:
            staff.record(action, details)

    def _approve_retry(self, reason: str) -> bool:
        """Trying declined cards again is a manager's decision where the shop has staff; the
        decision and its reason go into the audit trail (and each charge's journal note)."""
        staff = getattr(self.window, "staff", None)
        details: dict[str, Detail] = {"reason": reason}
        if staff is not None and not staff.approve("retry_declined", details):
            return False
        self._audit("override", {"guard": "retry_declined", **details})
        return True

    def _run_started(self, run: BillingRun) -> None:
        record = run.record
        self._audited_state = "running"
        self._audit(
            "run_start",
            {
                "run_id": record.id if record is not None else "",
                "source": record.source if record is not None else "",
                "label": record.label if record is not None else "",
                "rows": len(run.items),
                "amount": sum(i.amount for i in run.items),
                "concurrency": run.concurrency,
                "mode": self.window.mode,
            },
        )

    def _run_progress(self, progress: RunProgress) -> None:
        run = self.controller.run
        if run is None or progress.state == self._audited_state:
            return
        run_id = run.record.id if run.record is not None else ""
        if progress.state == "paused":
            self._audit("run_pause", {"run_id": run_id, "reason": progress.reason})
        elif progress.state in ("finished", "stopped"):
            counts: dict[str, Detail] = {k: v for k, v in progress.counts.items()}
            self._audit(
                "run_stop",
                {
                    "run_id": run_id,
                    "state": progress.state,
                    **counts,
                    "amount_paid": progress.amount_paid,
                },
            )
        elif progress.state != "running":
            return
        self._audited_state = progress.state

    def _exported(self, path: str, rows: int) -> None:
        self._audit("export", {"what": "billing_run", "path": path, "rows": rows})

    # -- the plan editor ---------------------------------------------------------------------------
    def _selected(self, customer_uid: str) -> None:
        self.plan_editor.show_customer(self.window.customers.model.find(customer_uid))

    def _plan_saved(self, row: CustomerRow | None) -> None:
        if row is not None:
            self.window.customers.model.upsert(row)
        self.plan_editor.saved(row)

    def _plans_imported(self, result: object, rows: list[CustomerRow]) -> None:
        from pos_app.services.member_plans import PlanFile

        if isinstance(result, PlanFile):  # refused: nothing saved
            lines = [
                (f"{p.line}: " if p.line else "")
                + (p.message_en if self.window.lang == "en" and p.message_en else p.message)
                for p in result.problems
            ]
            self.plan_editor.failed(
                QCoreApplication.translate(
                    "BillingHook", "계획 파일을 받지 않았습니다. 아무것도 저장하지 않았습니다."
                )
                + "\n"
                + "\n".join(lines)
            )
            return
        for row in rows:
            self.window.customers.model.upsert(row)
        missing = getattr(result, "not_found", [])
        self.plan_editor.failed(
            QCoreApplication.translate(
                "BillingHook", "회원 %1명의 계획을 저장했습니다. 찾지 못한 고객 %2명."
            )
            .replace("%1", str(len(rows)))
            .replace("%2", str(len(missing)))
            + (" " + ", ".join(missing[:10]) if missing else "")
        )
        selected = self.window.customers.selected_uid()
        if selected:
            self._selected(selected)

    # -- PortOne schedules ----------------------------------------------------------------------
    def _register_schedules(self, customer_uid: str) -> None:
        self._audit("schedule_register", {"customer_uid": customer_uid})
        self.controller.register_schedules(customer_uid)

    def _revoke_schedules(self, customer_uid: str) -> None:
        self._audit("schedule_revoke", {"customer_uid": customer_uid})
        self.controller.revoke_schedules(customer_uid)

    def _schedules_shown(
        self, customer_uid: str, rows: list[ScheduleRow], member: CustomerRow | None
    ) -> None:
        if member is not None:
            self.window.customers.model.upsert(member)
            if customer_uid == self.window.customers.selected_uid():
                self.plan_editor.show_customer(member)
        self.plan_editor.show_schedules(customer_uid, rows)

    def _schedules_synced(self, result: SyncResult, members: list[CustomerRow]) -> None:
        for member in members:
            self.window.customers.model.upsert(member)
        if result.paid or result.declined:
            self.window.statusBar().showMessage(
                QCoreApplication.translate(
                    "BillingHook", "PortOne 예약 결제를 확인했습니다: 결제 %1건, 거절 %2건"
                )
                .replace("%1", str(result.paid))
                .replace("%2", str(result.declined)),
                15_000,
            )
        selected = self.window.customers.selected_uid()
        if selected in result.members:
            self.controller.show_schedules(selected)

    def _failed(self, exc: Exception) -> None:
        from pos_app.ui.billing_texts import failure_text

        if self.dialog is None or not self.dialog.isVisible():
            self.plan_editor.failed(failure_text(exc, self.window.lang))

    # -- the till and the window ---------------------------------------------------------------
    def _opened(self, _opened: object) -> None:
        self.action.setEnabled(True)
        self.plan_editor.set_ready(True)
        self.controller.find_interrupted()
        self.controller.sync_schedules()
        self._sync_timer.start()

    def _till(self) -> Till | None:
        return None if self._closing else self.window.till.till

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and not self._closing:
            # Before the window stops its till: a run in progress is left paused, its charges in
            # flight answered, to be offered for resuming at the next start.
            self._closing = True
            self._sync_timer.stop()
            self.controller.shutdown()
        return False

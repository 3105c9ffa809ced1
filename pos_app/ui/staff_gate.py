"""Who is at the counter: sign-in, 잠금 and the idle lock, a manager's approval in place, and the
audit entries the window writes (docs/staff.md).

With no manager on the staff the window works as a single-user till: no sign-in, no approvals,
nothing covered; the audit trail is still written. Once a manager exists, the window opens at
the sign-in dialog, the banner names the person signed in, and a cashier's refund, key deletion,
guard override, settings change and staff management ask for a manager's PIN.

The staff file and the audit trail are opened and used only on this gate's own worker thread
(`TaskThread`): scrypt and SQLite never run on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

from pos_app.ui import till_requests as asked
from pos_app.ui.task_thread import TaskThread

if TYPE_CHECKING:
    from pos_app.core.staff_pin import StaffPin
    from pos_app.services.audit import AuditTrail
    from pos_app.services.live import ShopChange, StoreHealth
    from pos_app.services.settings import TillSettings
    from pos_app.services.staff import StaffBook
    from pos_app.store.audit import Detail
    from pos_app.store.staff import StaffMember
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.settings_dialog import SettingsDialog
    from pos_app.ui.sign_in_dialog import SignInDialog

# Input that means someone is at the counter (restarts the idle lock's clock).
_PRESENCE = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


def _what(action: str) -> str:
    """What a manager is asked to approve, in the approval dialog's sentence."""
    return {
        "refund": QCoreApplication.translate("staff_gate", "환불"),
        "delete_key": QCoreApplication.translate("staff_gate", "저장된 카드 삭제"),
        "override": QCoreApplication.translate("staff_gate", "확인 중인 결제가 있는 고객의 결제"),
        "duplicate": QCoreApplication.translate("staff_gate", "같은 금액 재결제"),
        "settings": QCoreApplication.translate("staff_gate", "설정 변경"),
        "staff": QCoreApplication.translate("staff_gate", "직원 관리"),
        "retry_declined": QCoreApplication.translate("staff_gate", "거절된 정기 결제 다시 시도"),
    }.get(action, action)


class StaffGate(QObject):
    signedIn = Signal(str)
    locked = Signal()
    stateLoaded = Signal()  # the staff list is known (for tests: the window may be covered)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("staffGate")
        self.window = window
        self.person: StaffMember | None = None  # signed in now; None while locked or unmanaged
        self.members: list[StaffMember] = []
        self.managed = False  # a manager exists: sign-in, lock and approvals are on
        self._last_person = ""  # who answers for a till reply that arrives after a lock
        # Opened and used on the worker thread only.
        self._trail: AuditTrail | None = None
        self._book: StaffBook | None = None
        self._terminal = ""
        self.tasks = TaskThread("staff-worker", self, on_close=self._close_files)
        self._sign_in: SignInDialog | None = None
        self._approved_by: dict[str, str] = {}
        self._idle_ms = 0
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(lambda: self.lock("idle"))
        self._watching_input = False
        self._add_actions()
        window.till.answered.connect(self._till_answered)
        # Another counter of the shop changed the staff (a store server's live feed), or the
        # store server is back after it could not give the staff list.
        window.till.shopChanged.connect(self._shop_changed)
        window.till.storeHealth.connect(self._store_health)
        window.till.opened.connect(self._store_back)
        self._unread = False  # the staff list could not be read (the window is shut meanwhile)

    # -- worker side -------------------------------------------------------------------------------
    def trail(self) -> AuditTrail:
        """The audit trail; call only from tasks (the worker thread). A shop without staff
        gets only this file, never an empty staff file."""
        if self._trail is None:
            from pos_app.services import places
            from pos_app.services.audit import AuditTrail

            self._terminal = places.terminal_id(places.saved_settings())
            # The data folder's file, or the shop's store server's trail (one for every counter).
            self._trail = AuditTrail(places.open_audit_log())
        return self._trail

    def book(self) -> StaffBook:
        """The staff file with the same trail; call only from tasks (the worker thread)."""
        if self._book is None:
            from pos_app.services import places
            from pos_app.services.staff import StaffBook

            trail = self.trail()
            store = places.open_staff_store(beside=trail.log)
            self._book = StaffBook(store, trail, self._terminal)
        return self._book

    def _close_files(self) -> None:
        if self._book is not None:
            self._book.close()  # its trail too
        elif self._trail is not None:
            self._trail.close()
        self._book, self._trail = None, None

    def _read_state(self) -> tuple[list[StaffMember], int, str]:
        """The staff, the idle lock, and why the staff has no manager when it must have one
        ("" when all is well): "staff_file" when the trail records a manager being added (the
        last manager cannot be removed, so the staff file was deleted or edited), "left_behind"
        when a store server is set and this data folder's own staff has a manager that was never
        copied there (services/staff.manager_left_behind)."""
        from pos_app.services import places
        from pos_app.services.staff import DEFAULT_IDLE_LOCK_MINUTES, manager_left_behind

        members, minutes = [], DEFAULT_IDLE_LOCK_MINUTES
        if places.staff_kept():
            book = self.book()
            members, minutes = book.members(), book.idle_lock_minutes()
        if any(m.is_manager for m in members):
            return members, minutes, ""
        if self.trail().ever_had_manager():
            return members, minutes, "staff_file"
        return members, minutes, "left_behind" if manager_left_behind() else ""

    # -- start and stop ----------------------------------------------------------------------------
    def start(self) -> None:
        """Once the window is on screen (two stats and the settings file's store server on this
        thread, nothing else read): with a staff file or a store server, the form stays covered
        until it is known whether someone must sign in."""
        from pos_app.services import places

        staff_file = places.staff_kept()
        if not staff_file and not places.audit_kept():
            self.stateLoaded.emit()  # a shop that never had staff or a trail: as it always was
            return
        if staff_file:
            self._cover(True)
        self.tasks.submit(self._read_state, self._state_read, self._state_failed)

    def _state_read(self, state: tuple[list[StaffMember], int, str]) -> None:
        members, minutes, lost = state
        self._unread = False
        if lost == "left_behind":
            self._shut(
                QCoreApplication.translate(
                    "staff_gate",
                    "이 계산대의 직원 정보에는 관리자가 있는데 매장 서버의 직원 정보에는 관리자가 "
                    "없습니다. 'pos-app db import-sqlite'로 이 계산대의 직원을 매장 서버로 옮긴 "
                    "뒤 시작하세요.",
                )
            )
            self.record("lock", {"reason": "staff_not_on_store_server"})
            return
        if lost:
            self._shut(
                QCoreApplication.translate(
                    "staff_gate",
                    "이 컴퓨터에는 관리자가 등록되어 있었는데 직원 정보에 관리자가 없습니다 (직원 "
                    "파일이 지워졌거나 바뀌었습니다). 'pos-app staff add 이름 --role manager'로 "
                    "관리자를 다시 추가한 뒤 시작하세요.",
                )
            )
            self.record("lock", {"reason": "staff_file_without_manager"})
            return
        self._set_members(members)
        self._set_idle_minutes(minutes)
        if self.managed:
            self._show_sign_in()
        else:
            self._cover(False)
        self.stateLoaded.emit()

    def _shop_changed(self, change: ShopChange) -> None:
        if change.staff:
            self.tasks.submit(self._read_state, self._staff_changed, self._state_failed)

    def _store_health(self, health: StoreHealth) -> None:
        if health.reachable:
            self._store_back()

    def _store_back(self, *_: object) -> None:
        """The store server answers (the till opened, or its feed reconnected): a staff list it
        could not give before is read now; until then the window stayed shut."""
        if self._unread:
            self.tasks.submit(self._read_state, self._state_reread, self._state_failed)

    def _state_reread(self, state: tuple[list[StaffMember], int, str]) -> None:
        shut, self._sign_in = self._sign_in, None
        if shut is not None:  # the sign-in that said why the window was shut
            shut.done(QDialog.DialogCode.Rejected)
            shut.deleteLater()
        self._state_read(state)

    def _staff_changed(self, state: tuple[list[StaffMember], int, str]) -> None:
        """Another counter added or removed someone, or changed the idle lock: the lists follow,
        someone signed in here who was removed is signed out, and a shop that just got its
        first manager signs in from now on."""
        members, minutes, lost = state
        if lost:
            self._state_read(state)
            return
        self._set_members(members)
        self._set_idle_minutes(minutes)
        person = self.person
        if person is not None and person.name not in {m.name for m in members}:
            self.lock("staff_removed")
        elif person is None:
            self.lock("staff_changed")  # nothing when still unmanaged or already at sign-in

    def _state_failed(self, exc: Exception) -> None:
        # A staff file that cannot be read keeps the counter shut (fail closed);
        # `pos-app staff list` shows what is wrong. A store server that was away is asked again
        # when it is back.
        self._unread = True
        self._shut(
            QCoreApplication.translate("staff_gate", "직원 정보를 읽지 못했습니다: %1").replace(
                "%1", str(exc)
            )
        )

    def _shut(self, problem: str) -> None:
        """Fail closed: the sign-in dialog with no names to sign in with, saying why."""
        self.members, self.managed = [], True
        self.window.clear_form()
        self._show_sign_in()
        if self._sign_in is not None:
            self._sign_in.error.setText(problem)
            self._sign_in.error.show()
        self.stateLoaded.emit()

    def shutdown(self) -> None:
        """The window closes: sign-out recorded, the worker stopped after what is queued."""
        self._idle.stop()
        self._watch_input(False)
        if self.person is not None:
            self.record("sign_out")
        # A sign-in left open (the window locked, or shut saying why) goes with the window: it
        # ignores Esc and its close box, so nothing else would close it.
        dialog, self._sign_in = self._sign_in, None
        if dialog is not None:
            dialog.done(QDialog.DialogCode.Rejected)
            dialog.deleteLater()
        self.tasks.stop()

    # -- sign-in and lock --------------------------------------------------------------------------
    def _set_members(self, members: list[StaffMember]) -> None:
        self.members = members
        self.managed = any(m.is_manager for m in members)
        self.lock_action.setEnabled(self.managed)
        self._watch_input(self.managed)
        if self._sign_in is not None:
            self._sign_in.set_names([m.name for m in members])

    def _set_idle_minutes(self, minutes: int) -> None:
        self._idle_ms = minutes * 60_000
        self._restart_idle()

    def _restart_idle(self) -> None:
        if self._idle_ms and self.person is not None:
            self._idle.start(self._idle_ms)
        else:
            self._idle.stop()

    def _watch_input(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._watching_input:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching_input = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._idle_ms and self.person is not None and event.type() in _PRESENCE:
            self._idle.start(self._idle_ms)
        return False

    def lock(self, reason: str = "shortcut") -> None:
        """잠금: card data in the form wiped, open dialogs closed (their actions cancelled), the
        window covered by the sign-in dialog."""
        if not self.managed or self._sign_in is not None:
            return
        self._idle.stop()
        self._close_dialogs()
        self.window.clear_form()
        if self.person is not None:
            self.record("lock", {"reason": reason})
        self.person = None
        self.window.banner.set_person("")
        self._show_sign_in()
        self.locked.emit()

    def _close_dialogs(self) -> None:
        for _ in range(10):  # nested dialogs close from the top; a stubborn one stops the loop
            modal = QApplication.activeModalWidget()
            if modal is None or modal is self._sign_in:
                return
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            if QApplication.activeModalWidget() is modal:
                return
        # Dialogs opened with open() (not modal to the application) are closed too.
        for dialog in self.window.findChildren(QDialog):
            if dialog.isVisible() and dialog is not self._sign_in:
                dialog.reject()

    def _cover(self, on: bool) -> None:
        """While nobody is signed in the form and the lists are hidden and the menus shut."""
        central = self.window.centralWidget()
        if central is not None:
            central.setVisible(not on)
        self.window.menuBar().setEnabled(not on)

    def _show_sign_in(self) -> None:
        from pos_app.ui.sign_in_dialog import SignInDialog

        self._cover(True)
        names = [m.name for m in self.members]
        dialog = SignInDialog(self.window, self.tasks, self._check_sign_in, self.window.lang, names)
        dialog.accepted.connect(lambda: self._signed_in(dialog))
        dialog.quitRequested.connect(self.window.close)
        self._sign_in = dialog
        dialog.open()
        dialog.pin.setFocus()

    def _check_sign_in(self, name: str, pin: StaffPin) -> StaffMember:
        return self.book().sign_in(name, pin)  # on the worker

    def _signed_in(self, dialog: SignInDialog) -> None:
        member = dialog.member
        self._sign_in = None
        dialog.deleteLater()
        if member is None:
            return
        self.person = member
        self._last_person = member.name
        self._cover(False)
        role = (
            QCoreApplication.translate("staff_gate", "관리자")
            if member.is_manager
            else QCoreApplication.translate("staff_gate", "캐셔")
        )
        self.window.banner.set_person(f"{member.name} ({role})")
        self._restart_idle()
        self.window.activateWindow()  # keys (and 잠금's shortcut) go to the counter again
        self.window.card.number.setFocus()
        self.signedIn.emit(member.name)

    # -- approval ----------------------------------------------------------------------------------
    def approve(self, action: str, details: Mapping[str, Detail] | None = None) -> bool:
        """True when `action` may go ahead: no manager on the staff, a manager signed in, or a
        manager's PIN typed now (the dialog blocks until answered). Recorded by the service."""
        info = dict(details or {})
        person = self.person
        if not self.managed or (person is not None and person.is_manager):
            if person is not None:
                self._approved_by[action] = person.name
            self._record_override(action, info, person.name if person else "")
            return True
        from pos_app.ui.manager_approval import ManagerApprovalDialog

        asker = person.name if person is not None else ""
        managers = [m.name for m in self.members if m.is_manager]

        def check(name: str, pin: StaffPin) -> StaffMember:
            return self.book().approve(name, pin, action, asker, info)  # on the worker

        dialog = ManagerApprovalDialog(
            self.window, self.tasks, check, self.window.lang, managers, _what(action)
        )
        try:
            approved = dialog.exec() == QDialog.DialogCode.Accepted and dialog.member is not None
            if approved and dialog.member is not None:
                self._approved_by[action] = dialog.member.name
                self._record_override(action, info, dialog.member.name)
            else:
                self.record("approval_refused", {"for": action, "why": "cancelled", **info})
            return approved
        finally:
            dialog.deleteLater()

    def _record_override(self, action: str, info: dict[str, Detail], by: str) -> None:
        if action in ("override", "duplicate"):
            self.record("override", {"guard": action, **info, "approved_by": by})

    # -- the trail ---------------------------------------------------------------------------------
    def record(self, action: str, details: Mapping[str, Detail] | None = None) -> None:
        """Append to the audit trail on the worker, as the person signed in ("" without staff)."""
        person = self.person.name if self.person is not None else self._last_person
        info = dict(details or {})
        self.tasks.submit(lambda: self.trail().record(action, person, self._terminal, info))

    def _till_answered(self, request: object, answer: object) -> None:
        """The outcome of every charge, refund, key issue and deletion, once it is known."""
        mode = self.window.mode
        if isinstance(answer, asked.Reconciled):
            for outcome in answer.outcomes:
                self.record(
                    "charge_settled",
                    {"merchant_uid": outcome.merchant_uid, "outcome": outcome.kind, "mode": mode},
                )
            for refund in answer.refunds:
                self.record(
                    "refund",
                    {"imp_uid": refund.imp_uid, "outcome": refund.kind, "settled": True},
                )
            return
        if isinstance(request, asked.ChargeRequest) and isinstance(answer, asked.Charged):
            charge = answer.outcome
            details: dict[str, Detail] = {
                "merchant_uid": charge.merchant_uid,
                "outcome": charge.kind,
                "amount": charge.amount or (charge.payment.amount if charge.payment else 0),
                "customer_uid": charge.customer_uid or answer.customer_uid,
                "via": request.action,
                "mode": mode,
            }
            for guard in ("override", "duplicate"):
                if guard in self._approved_by:
                    details[f"{guard}_approved_by"] = self._approved_by.pop(guard)
            self.record("charge", details)
            if request.action == "issue_and_charge" and charge.kind == "paid":
                self.record("key_issued", {"customer_uid": answer.customer_uid, "mode": mode})
        elif isinstance(request, asked.CheckOutcome) and isinstance(answer, asked.Charged):
            self.record(
                "charge_settled",
                {"merchant_uid": answer.outcome.merchant_uid, "outcome": answer.kind, "mode": mode},
            )
        elif isinstance(answer, asked.KeyIssued):
            self.record("key_issued", {"customer_uid": answer.key.customer_uid, "mode": mode})
        elif isinstance(answer, asked.KeyDeleted):
            details = {"customer_uid": answer.key.customer_uid, "mode": mode}
            if "delete_key" in self._approved_by:
                details["approved_by"] = self._approved_by.pop("delete_key")
            self.record("key_deleted", details)
        elif isinstance(request, asked.RefundRequest):
            self._record_refund(request, answer, mode)
        elif isinstance(answer, asked.DayExported):
            self.record("export", {"what": "day_sales", "path": answer.path})

    def _record_refund(self, request: asked.RefundRequest, answer: object, mode: str) -> None:
        if isinstance(answer, asked.Refunded):
            details: dict[str, Detail] = {
                "imp_uid": request.imp_uid,
                "outcome": "refunded",
                "mode": mode,
                "amount": answer.amount,
            }
        elif isinstance(answer, asked.RefundUnsettled):
            details = {"imp_uid": request.imp_uid, "outcome": "unknown", "mode": mode}
        elif isinstance(answer, asked.Failed) and not answer.invalid:
            details = {"imp_uid": request.imp_uid, "outcome": "refused", "mode": mode}
        else:
            return
        if "refund" in self._approved_by:
            details["approved_by"] = self._approved_by.pop("refund")
        self.record("refund", details)

    # -- menus and dialogs -------------------------------------------------------------------------
    def _add_actions(self) -> None:
        window = self.window
        self.audit_action = QAction(QCoreApplication.translate("staff_gate", "기록…"), window)
        self.audit_action.setObjectName("auditLogAction")
        self.audit_action.triggered.connect(self.open_audit)
        self.staff_action = QAction(QCoreApplication.translate("staff_gate", "직원…"), window)
        self.staff_action.setObjectName("staffAction")
        self.staff_action.triggered.connect(self.open_staff)
        self.lock_action = QAction(QCoreApplication.translate("staff_gate", "잠금"), window)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(False)
        self.lock_action.triggered.connect(lambda: self.lock("shortcut"))
        sales = window.findChild(QMenu, "salesMenu")
        if sales is not None:
            sales.addAction(self.audit_action)
        settings = window.findChild(QMenu, "settingsMenu")
        if settings is not None:
            actions = settings.actions()
            if len(actions) > 1:  # before the separator above 끝내기
                settings.insertActions(actions[1], [self.staff_action, self.lock_action])
            else:
                settings.addActions([self.staff_action, self.lock_action])

    def open_audit(self) -> None:
        from pos_app.ui.audit_view import AuditDialog

        person = self.person.name if self.person is not None else ""
        trail = self.trail

        def record_export(path: str, rows: int) -> None:  # on the worker, after writing
            details: dict[str, Detail] = {"what": "audit", "path": path, "rows": rows}
            trail().record("export", person, self._terminal, details)

        dialog = AuditDialog(self.window, self.tasks, trail, record_export, self.window.lang)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def open_staff(self) -> None:
        from pos_app.ui.staff_dialog import StaffDialog

        if not self.approve("staff"):
            return
        by = self._approved_by.pop("staff", "")
        dialog = StaffDialog(self.window, self.tasks, self.book, by, self.window.lang)
        dialog.staffChanged.connect(self._set_members)
        dialog.idleLockChanged.connect(self._set_idle_minutes)
        dialog.finished.connect(lambda _r: self._staff_closed(dialog))
        dialog.open()

    def _staff_closed(self, dialog: QWidget) -> None:
        dialog.deleteLater()
        if self.managed and self.person is None and self._sign_in is None:
            self.lock("staff")  # the first manager was just added: from now on, people sign in

    def watch_settings(self, dialog: SettingsDialog) -> None:
        """Record what a saved settings dialog changed (values are not secret; keys never
        appear, only that they were saved or removed)."""
        from pos_app.services.settings import load_till_settings
        from pos_app.services.store_server import saved_store_settings

        before, store_before = load_till_settings(), saved_store_settings()

        def saved(after: TillSettings) -> None:
            changed: dict[str, Detail] = {}
            for name, value in asdict(after).items():
                if getattr(before, name, None) != value:
                    changed[name] = str(value)
            # Where the shop's records are (매장 서버): a change moves every record.
            for name, value in asdict(saved_store_settings()).items():
                if getattr(store_before, name, None) != value:
                    changed[f"store_server.{name}"] = str(value)
            if changed:
                self.record("settings_changed", changed)

        dialog.settingsSaved.connect(saved)
        dialog.credentialsChanged.connect(
            lambda change: self.record("credentials_changed", {"change": change})
        )

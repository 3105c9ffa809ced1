"""결제 → 정기 결제… driven as a person would: preview, start, pause and resume, serving a walk-in
meanwhile, resuming a run a kill interrupted, retrying declined rows, saving the results; and the
plan editor under the customer list."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from gui_helpers import (
    WAIT_MS,
    OpenWindow,
    answer_next_dialog,
    fill_amount,
    fill_card,
    run_action,
    sandbox_get,
    type_into,
)
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.core.card import KeyInCard
from pos_app.gateway.client import PortOneClient
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.services.opening import open_till
from pos_app.store.customers import MemberPlan
from pos_app.ui.billing_run_dialog import BillingRunDialog
from pos_app.ui.main_window import MainWindow

AGAIN = "/subscribe/payments/again"
GOOD: tuple[str, str, str, str] = ("4242424242424242", "12/39", "880101", "12")
DECLINING: tuple[str, str, str, str] = ("4000000000000341", "12/39", "880101", "12")


def _members(base: str, uids: list[str], card: tuple[str, str, str, str] = GOOD) -> None:
    with PortOneClient(base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        for uid in uids:
            client.issue_billing_key(uid, KeyInCard.parse(*card))


def _with_plans(base: str, plans: dict[str, int], day: int = 5) -> None:
    """Members saved in the index with plans switched on in January, before the window opens."""
    with open_till(base) as till:
        till.import_customers(sorted(plans))
        till.set_plans(
            (uid, MemberPlan(amount, "월 회비", day, since="2026-01-10"))
            for uid, amount in plans.items()
        )


def _fault(base: str, kind: str, times: int, delay_ms: int = 0) -> None:
    body = {"endpoint": AGAIN, "kind": kind, "times": times, "delay_ms": delay_ms}
    httpx.post(base + "/__sandbox__/faults", json=body, timeout=10).raise_for_status()


def _paid(base: str) -> list[dict[str, Any]]:
    return [p for p in sandbox_get(base, "/__sandbox__/payments") if p["status"] == "paid"]


def _open_dialog(qtbot: QtBot, window: MainWindow) -> BillingRunDialog:
    action = window.billing.action
    assert action.objectName() == "billingRunAction" and action.isEnabled()
    assert action.shortcut().toString() == "Ctrl+B"
    action.trigger()
    dialog = window.findChild(BillingRunDialog, "billingRunDialog")
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    # It opens on the members due today; the person reads that first.
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT_MS)
    return dialog


def _preview_day(qtbot: QtBot, dialog: BillingRunDialog, day: date) -> None:
    dialog.due_date.setDate(QDate(day.year, day.month, day.day))
    qtbot.mouseClick(dialog.due_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=WAIT_MS)


def _start(qtbot: QtBot, dialog: BillingRunDialog) -> list[str]:
    seen = answer_next_dialog(True)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    return seen


def _finished(dialog: BillingRunDialog) -> bool:
    return dialog.summary.text().endswith(("끝남", "finished"))


def test_members_due_previewed_then_charged_while_a_walk_in_is_served(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    uids = [f"gym{i:02d}" for i in range(24)]
    _members(sandbox_url, uids)
    _with_plans(sandbox_url, {uid: 50000 + i for i, uid in enumerate(uids)})
    window = open_window()
    dialog = _open_dialog(qtbot, window)
    for name in (
        "billingRunDueDate",
        "billingRunFileEdit",
        "billingRunLoadButton",
        "billingRunStartButton",
        "billingRunProgress",
        "billingRunSummary",
        "billingRunPauseButton",
        "billingRunStopButton",
        "billingRunTable",
    ):
        assert dialog.findChild(QWidget, name) is not None, name

    _preview_day(qtbot, dialog, date(2026, 3, 5))
    # February and March for each: nothing is sent before the person starts.
    total = 2 * sum(50000 + i for i in range(24))
    assert "48건" in dialog.preview_label.text() and f"{total:,}원" in dialog.preview_label.text()
    assert dialog.model.rowCount() == 48 and dialog.model.count("pending") == 48
    assert _paid(sandbox_url) == []

    _fault(sandbox_url, "delay", times=48, delay_ms=250)
    seen = _start(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert "48건" in seen[0]
    # The cashier serves a walk-in customer at the counter while the run goes on.
    qtbot.waitUntil(lambda: window.billing.controller.active(), timeout=WAIT_MS)
    fill_card(qtbot, window, "5555555555554444")
    fill_amount(qtbot, window, "4,500", "음료")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    qtbot.waitUntil(lambda: _finished(dialog), timeout=WAIT_MS * 2)

    assert dialog.progress.value() == dialog.progress.maximum() == 48
    assert dialog.model.count("paid") == 48
    assert "결제 48" in dialog.summary.text()
    paid = _paid(sandbox_url)
    per_order = Counter(p["merchant_uid"] for p in paid)
    assert len(per_order) == 49 and set(per_order.values()) == {1}  # 48 + the walk-in


def test_pause_sends_nothing_new_and_resume_finishes(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    uids = [f"p{i:02d}" for i in range(40)]
    _members(sandbox_url, uids)
    _with_plans(sandbox_url, dict.fromkeys(uids, 30000))
    window = open_window()
    dialog = _open_dialog(qtbot, window)
    _preview_day(qtbot, dialog, date(2026, 2, 6))
    _fault(sandbox_url, "delay", times=40, delay_ms=300)
    _start(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 5, timeout=WAIT_MS)
    assert dialog.pause_button.text() == "일시 정지"
    qtbot.mouseClick(dialog.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "일시 정지됨" in dialog.summary.text(), timeout=WAIT_MS)
    assert dialog.pause_button.text() == "계속"
    sent = len(sandbox_get(sandbox_url, "/__sandbox__/payments"))
    assert sent < 40
    qtbot.wait(800)  # paused: however long, nothing new leaves
    assert len(sandbox_get(sandbox_url, "/__sandbox__/payments")) == sent
    assert dialog.progress.value() == sent
    qtbot.mouseClick(dialog.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _finished(dialog), timeout=WAIT_MS * 2)
    assert Counter(p["customer_uid"] for p in _paid(sandbox_url)) == dict.fromkeys(uids, 1)


def test_a_run_killed_mid_way_is_offered_at_start_and_resumed_once(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, pos_app_home: Path, tmp_path: Path
) -> None:
    """`pos-app bill` on this counter is SIGKILLed mid-run; the window offers to resume it, asks
    PortOne about what was in flight, and finishes it: every row paid exactly once."""
    uids = [f"k{i:02d}" for i in range(40)]
    _members(sandbox_url, uids)
    bill = tmp_path / "bill.csv"
    bill.write_text("".join(f"{u},{7000 + i},3월 회비\n" for i, u in enumerate(uids)))
    _fault(sandbox_url, "delay", times=1000, delay_ms=200)
    env = {
        **__import__("os").environ,
        "POS_APP_HOME": str(pos_app_home),
        "POS_APP_API_BASE": sandbox_url,
        "POS_APP_READ_TIMEOUT_S": "1",
        "POS_APP_SETTLE_GRACE_S": "0",
    }
    command = [sys.executable, "-m", "pos_app", "bill", str(bill), "--period", "2026-03"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while process.poll() is None and len(sandbox_get(sandbox_url, "/__sandbox__/payments")) < 8:
            threading.Event().wait(0.01)
        process.kill()  # SIGKILL; on Windows TerminateProcess, just as abrupt
    finally:
        process.wait(30)
    assert process.returncode != 0  # killed (-SIGKILL on POSIX, 1 on Windows)
    left_paid = len(_paid(sandbox_url))
    assert left_paid < 40

    offered = answer_next_dialog(True)
    window = open_window()
    qtbot.waitUntil(lambda: bool(offered), timeout=WAIT_MS)
    assert "이어서" in offered[0]
    dialog = window.findChild(BillingRunDialog, "billingRunDialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=WAIT_MS)
    assert "멈췄던 정기 결제를 이어서" in dialog.preview_label.text()
    _start(qtbot, dialog)
    qtbot.waitUntil(lambda: _finished(dialog), timeout=WAIT_MS * 4)
    per_order = Counter(p["merchant_uid"] for p in _paid(sandbox_url))
    assert len(per_order) == 40 and set(per_order.values()) == {1}
    assert dialog.model.count("paid") + dialog.model.count("skip:already_paid") == 40


def test_declined_rows_are_retried_with_a_reason_under_a_new_order_id(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, tmp_path: Path
) -> None:
    _members(sandbox_url, ["fine"])
    _members(sandbox_url, ["limit"], DECLINING)
    bill = tmp_path / "bill.csv"
    bill.write_text("customer_uid,amount,name\nfine,10000,3월 회비\nlimit,20000,3월 회비\n")
    window = open_window()
    dialog = _open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: dialog.preview_label.text() != "", timeout=WAIT_MS)
    type_into(qtbot, dialog.file_edit, str(bill))
    dialog.period_edit.setText("2026-03")
    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.count("pending") == 2, timeout=WAIT_MS)
    assert not dialog.retry_button.isEnabled()
    _start(qtbot, dialog)
    qtbot.waitUntil(lambda: _finished(dialog), timeout=WAIT_MS)
    assert (dialog.model.count("paid"), dialog.model.count("declined")) == (1, 1)
    assert dialog.retry_button.isEnabled()
    dialog.attention_only.setChecked(True)  # only what someone must look at
    assert dialog.table.model().rowCount() == 1
    dialog.attention_only.setChecked(False)

    _members(sandbox_url, ["limit"])  # the member brought another card

    def give_reason() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QInputDialog):
            QTimer.singleShot(10, give_reason)
            return
        assert box.objectName() == "retryReasonDialog"
        box.setTextValue("카드 교체")
        box.accept()

    QTimer.singleShot(0, give_reason)
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.count("pending") == 1, timeout=WAIT_MS)
    assert "카드 교체" in dialog.preview_label.text()
    _start(qtbot, dialog)
    qtbot.waitUntil(lambda: _finished(dialog), timeout=WAIT_MS)
    paid = _paid(sandbox_url)
    retried = [p for p in paid if p["customer_uid"] == "limit"]
    assert len(retried) == 1 and retried[0]["merchant_uid"].endswith("r2")
    with open_till(sandbox_url) as till:
        row = till.journal_row(retried[0]["merchant_uid"])
        assert row is not None and "카드 교체" in (row.note or "")


def test_results_are_saved_as_csv_that_a_spreadsheet_cannot_run(
    qtbot: QtBot,
    open_window: OpenWindow,
    sandbox_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _members(sandbox_url, ["x1"])
    bill = tmp_path / "bill.csv"
    bill.write_text("x1,10000,=HYPERLINK(1)\n")
    window = open_window()
    dialog = _open_dialog(qtbot, window)
    dialog.file_edit.setText(str(bill))
    dialog.period_edit.setText("2026-04")
    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=WAIT_MS)
    _start(qtbot, dialog)
    qtbot.waitUntil(lambda: _finished(dialog), timeout=WAIT_MS)
    out = tmp_path / "results.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "저장했습니다" in dialog.summary.text(), timeout=WAIT_MS)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("행,회원,고객 ID,금액")
    assert "'=HYPERLINK(1)" in text and ",결제됨," in text


def test_plan_editor_saves_a_plan_the_list_shows_it_and_bad_input_is_said_at_the_field(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    _members(sandbox_url, ["member1"])
    with open_till(sandbox_url) as till:
        till.import_customers(["member1"])
    window = open_window()
    editor = window.billing.plan_editor
    window.customers.select("member1")
    qtbot.waitUntil(lambda: editor.save_button.isEnabled(), timeout=WAIT_MS)
    assert not editor.amount.isVisible()  # one line under the list until asked
    qtbot.mouseClick(editor.toggle, Qt.MouseButton.LeftButton)
    assert editor.amount.isVisible()
    type_into(qtbot, editor.amount, "55,000원x")
    type_into(qtbot, editor.name, "월 회비")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    error = editor.findChild(QLabel, "planError")
    assert error is not None and error.isVisible() and error.text()
    editor.amount.clear()
    type_into(qtbot, editor.amount, "55000")
    editor.day.setCurrentIndex(editor.day.findData(31))  # 말일
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "저장했습니다" in editor.status.text(), timeout=WAIT_MS)
    assert not error.isVisible()
    model = window.customers.model
    from pos_app.ui.customer_model import PLAN_COLUMN

    row = model.view_row_of("member1")
    assert model.data(model.index(row, PLAN_COLUMN)) == "55,000원 · 말일"
    editor.active.setChecked(False)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "정지" in model.data(model.index(row, PLAN_COLUMN)), timeout=WAIT_MS)
    with open_till(sandbox_url) as till:
        plan = till.customer("member1").plan  # type: ignore[union-attr]
    assert plan is not None and (plan.amount, plan.day, plan.active) == (55000, 31, False)


def test_the_plan_column_reads_the_rows_plan_fields() -> None:
    from pos_app.store.customers import CustomerRow
    from pos_app.ui import customer_model

    fields = CustomerRow._fields
    assert fields.index("plan_amount") == customer_model._PLAN_AMOUNT
    assert fields.index("plan_day") == customer_model._PLAN_DAY
    assert fields.index("plan_active") == customer_model._PLAN_ACTIVE
    assert fields.index("plan_mode") == customer_model._PLAN_MODE


def test_buttons_follow_the_run(qtbot: QtBot, open_window: OpenWindow, sandbox_url: str) -> None:
    window = open_window()
    dialog = _open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: dialog.preview_label.text() != "", timeout=WAIT_MS)
    # Nobody is due: nothing to start, pause or stop.
    for button in (dialog.start_button, dialog.pause_button, dialog.stop_button):
        assert isinstance(button, QPushButton) and not button.isEnabled()


def test_closing_the_window_mid_run_leaves_it_paused_and_the_next_start_resumes_it(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    uids = [f"c{i:02d}" for i in range(40)]
    _members(sandbox_url, uids)
    _with_plans(sandbox_url, dict.fromkeys(uids, 20000))
    window = open_window()
    dialog = _open_dialog(qtbot, window)
    _preview_day(qtbot, dialog, date(2026, 2, 6))
    _fault(sandbox_url, "delay", times=40, delay_ms=300)
    _start(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 5, timeout=WAIT_MS)
    window.close()  # charges in flight come back first; nothing new is sent
    paid_at_close = len(_paid(sandbox_url))
    assert paid_at_close < 40

    offered = answer_next_dialog(True)
    again = open_window()
    qtbot.waitUntil(lambda: bool(offered), timeout=WAIT_MS)
    resumed = again.findChild(BillingRunDialog, "billingRunDialog")
    assert resumed is not None
    qtbot.waitUntil(lambda: resumed.start_button.isEnabled(), timeout=WAIT_MS)
    assert resumed.model.count("pending") == 40 - paid_at_close
    _start(qtbot, resumed)
    qtbot.waitUntil(lambda: _finished(resumed), timeout=WAIT_MS * 2)
    assert Counter(p["customer_uid"] for p in _paid(sandbox_url)) == dict.fromkeys(uids, 1)


def test_a_plan_registered_at_portone_from_the_editor_then_learned_and_revoked(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    from pos_app.services.schedules import register
    from pos_app.ui.customer_model import PLAN_COLUMN

    _members(sandbox_url, ["sched1", "sched2"])
    _with_plans(sandbox_url, {"sched1": 40000, "sched2": 45000})
    with open_till(sandbox_url) as till:  # sched2's plan went to PortOne from another counter
        first = register(till, "sched2")[0]
    window = open_window()
    editor = window.billing.plan_editor
    window.customers.select("sched1")
    qtbot.waitUntil(lambda: editor.save_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(editor.toggle, Qt.MouseButton.LeftButton)
    asked = answer_next_dialog(True)
    qtbot.mouseClick(editor.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.schedules.isVisible(), timeout=WAIT_MS)
    assert asked and "PortOne" in asked[0]
    assert editor.schedules.text().count("예정") == 3
    assert editor.unschedule_button.isEnabled()
    model = window.customers.model
    assert "PortOne 예약" in model.data(model.index(model.view_row_of("sched1"), PLAN_COLUMN))
    qtbot.mouseClick(editor.unschedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.schedules.text().count("취소됨") == 3, timeout=WAIT_MS)
    assert not editor.unschedule_button.isEnabled()

    # PortOne charges sched2 on its day; the window learns it when it next asks (every few
    # minutes: the timer's tick here), records it in the journal and says so.
    clock = httpx.get(sandbox_url + "/__sandbox__/clock", timeout=10).json()["response"]["now"]
    body = {"advance_s": first.schedule_at - int(clock) + 60}
    httpx.post(sandbox_url + "/__sandbox__/clock", json=body, timeout=10).raise_for_status()
    window.billing._sync_timer.timeout.emit()
    qtbot.waitUntil(
        lambda: "PortOne 예약 결제" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )
    assert "결제 1건" in window.statusBar().currentMessage()
    with open_till(sandbox_url) as till:
        row = till.journal_row(first.merchant_uid)
    assert row is not None and row.state == "paid" and row.note == "PortOne 예약 결제"


def test_a_day_after_today_cannot_be_chosen_nor_previewed(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    """A slip of the calendar would make every plan due for months not yet begun: the date field
    stops at today, and the service refuses a later day (said under the fields, nothing sent)."""
    _members(sandbox_url, ["gym01"])
    _with_plans(sandbox_url, {"gym01": 50000})
    window = open_window()
    dialog = _open_dialog(qtbot, window)
    today = QDate.currentDate()
    dialog.due_date.setDate(today.addMonths(1))
    assert dialog.due_date.date() == today

    dialog.controller.preview_due(date.today().replace(year=date.today().year + 1))
    qtbot.waitUntil(lambda: dialog.problems.isVisible(), timeout=WAIT_MS)
    assert "오늘" in dialog.problems.text() and "미리 결제하지 않습니다" in dialog.problems.text()
    assert not dialog.start_button.isEnabled()
    assert _paid(sandbox_url) == []

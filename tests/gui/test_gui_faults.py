"""Every sandbox fault on every charge path, driven through the window over real HTTP: the sandbox
holds one paid payment per intended charge (none when the fault came before it acted), the
window shows the right state, and after 미확인 결제 확인 the journal agrees with the sandbox."""

from __future__ import annotations

import time

import pytest
from gui_helpers import WAIT_MS, OpenWindow
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from safety_helpers import (
    FLOWS,
    arm,
    click_and_wait,
    disarm,
    endpoint_of,
    issue,
    journal_rows,
    paid,
    prepare,
)

from pos_app.ui.main_window import MainWindow

# What the window shows right after the fault: PortOne answered (late, or after one token
# refresh), or the till's own look-up right after a lost answer found the payment...
PAID_AT_ONCE = ("delay", "expire_token", "drop_after", "malformed")
# ...or the request never reached PortOne's books. A 500 is a complete answer: the look-up
# right after it that finds nothing settles it as not charged. A dropped connection proves
# nothing by itself: "unknown" until PortOne can no longer be working on it and still has
# nothing (portone-v1.md §6).
NOT_ACTED = ("error_500", "drop_before")


def run_flow(qtbot: QtBot, window: MainWindow, base: str, flow: str, fault: str) -> str:
    """Arm `fault` on the flow's endpoint, send the charge through the window; the outcome shown."""
    arm(base, endpoint_of(flow), fault, delay_ms=50 if fault == "delay" else 0)
    button = prepare(qtbot, window, flow, "15000", "fault")
    return click_and_wait(qtbot, window, button)


def uid_for(flow: str) -> str | None:
    return None if flow == "charge_once" else "fault_4242"


def reconcile_and_audit(qtbot: QtBot, window: MainWindow, base: str, flow: str) -> None:
    """The button settles whatever is left; then every journal row agrees with the sandbox."""
    window.statusBar().clearMessage()
    qtbot.mouseClick(window.customers.reconcile_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "미확인 결제" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    rows = journal_rows()
    assert len(rows) == 1
    row = rows[0]
    held = paid(base, row.merchant_uid)
    assert len(held) <= 1  # never twice
    if held:
        assert (row.state, row.imp_uid, row.amount) == ("paid", held[0]["imp_uid"], 15000)
    else:
        assert row.state == "void"  # PortOne never saw it
    assert len(paid(base)) == len(held)
    uid = uid_for(flow)
    if uid is not None:
        assert not window.customers.model.is_checking(uid)
        if flow == "issue_and_charge":  # saved exactly when it was charged
            assert (window.customers.model.find(uid) is not None) == bool(held)


def prepare_flow(qtbot: QtBot, window: MainWindow, flow: str) -> None:
    if flow == "charge_again":
        assert issue(qtbot, window, "fault") == "fault_4242"


@pytest.mark.parametrize("flow", FLOWS)
@pytest.mark.parametrize("fault", PAID_AT_ONCE + NOT_ACTED)
def test_fault_through_the_window(
    qtbot: QtBot,
    open_window: OpenWindow,
    sandbox_url: str,
    monkeypatch: pytest.MonkeyPatch,
    flow: str,
    fault: str,
) -> None:
    # A short wait for answers, so a charge that may be in flight can be settled within 2 s.
    monkeypatch.setenv("POS_APP_READ_TIMEOUT_S", "1")
    monkeypatch.setenv("POS_APP_SETTLE_GRACE_S", "0")
    window = open_window()
    prepare_flow(qtbot, window, flow)
    outcome = run_flow(qtbot, window, sandbox_url, flow, fault)
    disarm(sandbox_url)
    if fault in PAID_AT_ONCE:
        assert outcome == "paid"
        assert len(paid(sandbox_url)) == 1
    elif outcome == "unknown":
        assert window.result.check_button.isVisible()
        uid = uid_for(flow)
        if flow == "charge_again":
            assert uid is not None and window.customers.model.is_checking(uid)
        settle_after = journal_rows()[0].settle_after
        assert settle_after is not None
        qtbot.waitUntil(lambda: time.time() > settle_after + 0.2, timeout=WAIT_MS)
        assert click_and_wait(qtbot, window, window.result.check_button) == "refused"
        assert "결제되지 않았습니다" in window.result.headline.text()
        assert paid(sandbox_url) == []
    else:
        assert (fault, outcome) == ("error_500", "refused") or fault == "drop_before"
        assert outcome == "refused"
        assert "결제되지 않았습니다" in window.result.headline.text()
        assert paid(sandbox_url) == []
    reconcile_and_audit(qtbot, window, sandbox_url, flow)


@pytest.mark.parametrize("flow", FLOWS)
@pytest.mark.parametrize("fault", ["drop_after", "malformed"])
def test_lost_answer_and_failed_lookup_is_unknown_until_checked(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, flow: str, fault: str
) -> None:
    window = open_window()
    prepare_flow(qtbot, window, flow)
    arm(sandbox_url, "/payments/find", "error_500", times=50)
    assert run_flow(qtbot, window, sandbox_url, flow, fault) == "unknown"
    assert "다시 결제하지 말고" in window.result.message.text()
    if flow == "charge_again":
        assert window.customers.model.is_checking("fault_4242")
    disarm(sandbox_url)
    assert click_and_wait(qtbot, window, window.result.check_button) == "paid"
    assert len(paid(sandbox_url)) == 1
    reconcile_and_audit(qtbot, window, sandbox_url, flow)

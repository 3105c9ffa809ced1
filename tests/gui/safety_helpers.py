"""Helpers for the charge-safety tests: faults, what the sandbox holds, the journal, guard
dialogs, and the three charge flows driven through the window."""

from __future__ import annotations

from typing import Any

import httpx
from gui_helpers import (
    WAIT_MS,
    answer_charge_again,
    fill_amount,
    fill_card,
    sandbox_get,
    type_into,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.services import places
from pos_app.store.journal import Journal, JournalRow
from pos_app.ui.guard_dialogs import OverrideDialog
from pos_app.ui.main_window import MainWindow

FLOWS = ("charge_once", "issue_and_charge", "charge_again")
CHARGE_PATHS = ("/subscribe/payments/onetime", "/subscribe/payments/again")
CARD = "4242424242424242"


def arm(base: str, endpoint: str, kind: str, *, times: int = 1, delay_ms: int = 0) -> None:
    body = {"endpoint": endpoint, "kind": kind, "times": times, "delay_ms": delay_ms}
    httpx.post(base + "/__sandbox__/faults", json=body, timeout=10).raise_for_status()


def disarm(base: str) -> None:
    httpx.delete(base + "/__sandbox__/faults", timeout=10).raise_for_status()


def endpoint_of(flow: str) -> str:
    return CHARGE_PATHS[1] if flow == "charge_again" else CHARGE_PATHS[0]


def paid(base: str, merchant_uid: str | None = None) -> list[dict[str, Any]]:
    return [
        p
        for p in sandbox_get(base, "/__sandbox__/payments")
        if p["status"] == "paid" and merchant_uid in (None, p["merchant_uid"])
    ]


def charges_sent(base: str) -> int:
    """Charge requests the sandbox received (dropped ones included)."""
    requests = sandbox_get(base, "/__sandbox__/requests")
    return sum(1 for r in requests if r["path"] in CHARGE_PATHS)


def journal_rows(*, refunds: bool = False) -> list[JournalRow]:
    """The window's charge rows (or refund rows), read through a second connection (WAL)."""
    journal = Journal(places.journal_path("sandbox"))
    try:
        return [r for r in journal.all_rows() if (r.kind == "refund") == refunds]
    finally:
        journal.close()


def issue(qtbot: QtBot, window: MainWindow, name: str, number: str = CARD) -> str:
    """Save a card for `name` through the window; returns its customer_uid (selected)."""
    fill_card(qtbot, window, number)
    type_into(qtbot, window.customer.name, name)
    uid = window.customer.uid.text()
    qtbot.mouseClick(window.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.outcome() == "issued", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.customers.selected_uid() == uid, timeout=WAIT_MS)
    return uid


def prepare(qtbot: QtBot, window: MainWindow, flow: str, amount: str, name: str) -> QWidget:
    """Fill the form for `flow` (charge_again: the customer is already selected); returns the
    button that sends it."""
    window.amount.clear()  # a charge again leaves the amount typed (the next one may repeat it)
    if flow != "charge_again":
        fill_card(qtbot, window, CARD)
    if flow == "issue_and_charge":
        type_into(qtbot, window.customer.name, name)
    fill_amount(qtbot, window, amount)
    return {
        "charge_once": window.charge_button,
        "issue_and_charge": window.issue_charge_button,
        "charge_again": window.customers.again_button,
    }[flow]


def click_and_wait(qtbot: QtBot, window: MainWindow, button: QWidget) -> str:
    if button is window.customers.again_button:
        answer_charge_again(yes=True)  # 재결제 names who and how much first
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.outcome() != "", timeout=WAIT_MS)
    return window.result.outcome()


def answer_override(reason: str | None, seen: list[str] | None = None) -> list[bool]:
    """Answer the next override dialog: type `reason` and accept, or cancel (None). The list
    returned gets whether OK was disabled while the reason was still empty."""
    disabled_when_empty: list[bool] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, OverrideDialog):
            QTimer.singleShot(10, poll)
            return
        disabled_when_empty.append(not dialog.accept_button.isEnabled())
        if seen is not None:
            seen.append(dialog.findChild(QWidget, "overrideText").text())  # type: ignore[union-attr]
        if reason is None:
            dialog.reject()
            return
        dialog.reason.setText(reason)
        dialog.accept_button.click()

    QTimer.singleShot(0, poll)
    return disabled_when_empty


def answer_dialogs(answers: list[bool], on_show: Any = None) -> list[str]:
    """Answer the next len(answers) confirmation boxes in turn (yes/no); `on_show()` runs while
    each is open. Returns the texts they showed."""
    from PySide6.QtWidgets import QMessageBox

    seen: list[str] = []

    def poll() -> None:
        box = QApplication.activeModalWidget()
        # The mark is kept on the box itself: a Python id() of the first box could be the id of
        # the second (the first one's wrapper is gone), which left the second unanswered and
        # the test waiting in its modal loop for ever (pytest-timeout cannot interrupt that).
        if (
            not isinstance(box, QMessageBox)
            or box.objectName() != "confirmDialog"
            or box.property("answeredByTest")
            or not box.isVisible()
        ):
            QTimer.singleShot(10, poll)
            return
        box.setProperty("answeredByTest", True)
        seen.append(box.text())
        if on_show is not None:
            on_show()
        name = "confirmYesButton" if answers[len(seen) - 1] else "confirmNoButton"
        button = box.findChild(QAbstractButton, name)
        assert button is not None
        button.click()
        if len(seen) < len(answers):
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen

"""Every action of the main window against the real sandbox, typed as a cashier would."""

from __future__ import annotations

import logging

import pytest
from gui_helpers import (
    WAIT_MS,
    OpenWindow,
    answer_next_dialog,
    elsewhere,
    fill_amount,
    fill_card,
    requests_seen,
    run_action,
    sandbox_get,
    sandbox_post,
    type_into,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from pos_app.ui.main_window import MainWindow


def panel_text(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.result.findChildren(QLabel))


def charge_paths(base: str) -> list[str]:
    return [r["path"] for r in requests_seen(base) if not r["path"].startswith("/__sandbox__")]


def test_window_opens_in_sandbox_mode_with_the_banner(open_window: OpenWindow) -> None:
    window = open_window()
    assert window.findChild(QWidget, "modeBanner") is window.banner
    assert window.banner.text() == "연습 모드 — 실제 결제가 되지 않습니다"
    assert window.banner.property("mode") == "sandbox"
    assert "연습 모드" in window.windowTitle()
    assert window.focusWidget() is window.card.number or window.card.number.hasFocus()


def test_charge_once_approved_shows_approval_and_clears_card_fields(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "12000", "Coffee beans")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    assert [edit.text() for edit in window.card.edits()] == ["", "", "", ""]
    shown = panel_text(window)
    assert "12,000원" in shown and "**** 4242" in shown and "신한카드" in shown
    assert "424242" not in shown  # PortOne's BIN is not repeated on screen
    assert "영수증" in window.result.receipt.text()
    paid = [p for p in sandbox_get(sandbox_url, "/__sandbox__/payments") if p["status"] == "paid"]
    assert len(paid) == 1 and paid[0]["amount"] == 12000


def test_declined_card_shows_the_card_company_reason(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    fill_card(qtbot, window, "4000000000000341")
    fill_amount(qtbot, window, "33000")
    assert run_action(qtbot, window, window.charge_button) == "declined"
    assert "[8325]한도초과" in window.result.message.text()
    assert window.card.number.text()  # kept for the cashier to check (issue 13)
    assert window.card.is_kept()


def test_card_authentication_failure_is_refused_with_portone_message(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    for number in ("4000000000000002", "4000000000000069"):
        fill_card(qtbot, window, number)
        fill_amount(qtbot, window, "1000")
        assert run_action(qtbot, window, window.charge_button) == "refused"
        assert window.result.message.text()  # PortOne's words, verbatim
        window.clear_form()


def test_issue_key_then_charge_again_then_delete(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    fill_card(qtbot, window, "5555555555554444")
    type_into(qtbot, window.customer.name, "gildong")
    assert window.customer.uid.text() == "gildong_4444"
    type_into(qtbot, window.customer.phone, "010-1234-5678")
    assert run_action(qtbot, window, window.issue_button) == "issued"
    assert "KB국민카드" in panel_text(window) and "**** 4444" in panel_text(window)
    assert window.customers.model.find("gildong_4444") is not None
    assert window.customers.selected_uid() == "gildong_4444"

    fill_amount(qtbot, window, "25000", "June fee")
    assert run_action(qtbot, window, window.customers.again_button) == "paid"
    row = window.customers.model.find("gildong_4444")
    assert row is not None and row.last_charge_at

    seen = answer_next_dialog(yes=False)
    window.customers.delete_button.click()
    assert seen and "gildong_4444" in seen[0]
    assert window.customers.model.find("gildong_4444") is not None
    answer_next_dialog(yes=True)
    assert run_action(qtbot, window, window.customers.delete_button) == "deleted"
    assert window.customers.model.find("gildong_4444") is None
    assert any(p.startswith("/subscribe/customers/gildong_4444") for p in charge_paths(sandbox_url))


def test_issue_and_charge_saves_the_customer(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    fill_card(qtbot, window, "378282246310005")
    type_into(qtbot, window.customer.name, "amex")
    fill_amount(qtbot, window, "70000")
    assert run_action(qtbot, window, window.issue_charge_button) == "paid"
    assert window.customers.model.find("amex_0005") is not None


def test_issuing_over_an_existing_customer_asks_first(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    fill_card(qtbot, window, "4242424242424242")
    type_into(qtbot, window.customer.name, "same")
    assert run_action(qtbot, window, window.issue_button) == "issued"
    before = len(requests_seen(sandbox_url))
    fill_card(qtbot, window, "4242424242424242")
    type_into(qtbot, window.customer.name, "same")
    seen = answer_next_dialog(yes=False)
    window.issue_button.click()
    assert seen and "교체" in seen[0]
    assert len(requests_seen(sandbox_url)) == before
    assert window.card.number.text()  # nothing was sent, so the form is kept for a retry
    answer_next_dialog(yes=True)
    assert run_action(qtbot, window, window.issue_button) == "issued"


def test_check_card_gets_no_instalments_once_portone_says_so(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    fill_card(qtbot, window, "9490000000000008")
    type_into(qtbot, window.customer.name, "check")
    assert run_action(qtbot, window, window.issue_button) == "issued"
    assert window.customers.selected_uid() == "check_0008"
    fill_amount(qtbot, window, "60000")
    assert not window.amount.installment_allowed()


def test_outcome_unknown_then_asking_portone_settles_it(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    for endpoint, kind, times in (
        ("/subscribe/payments/onetime", "drop_after", 1),
        ("/payments/find", "error_500", 20),
    ):
        sandbox_post(
            sandbox_url, "/__sandbox__/faults", {"endpoint": endpoint, "kind": kind, "times": times}
        )
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "15000")
    assert run_action(qtbot, window, window.charge_button) == "unknown"
    assert window.result.check_button.isVisible()
    httpx_delete_faults(sandbox_url)
    assert run_action(qtbot, window, window.result.check_button) == "paid"
    paid = [p for p in sandbox_get(sandbox_url, "/__sandbox__/payments") if p["status"] == "paid"]
    assert len(paid) == 1  # asked, never sent twice


def httpx_delete_faults(base: str) -> None:
    import httpx

    httpx.delete(base + "/__sandbox__/faults", timeout=10).raise_for_status()


def test_buttons_disabled_and_busy_shown_while_a_request_runs(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    sandbox_post(
        sandbox_url,
        "/__sandbox__/faults",
        {"endpoint": "/subscribe/payments/onetime", "kind": "delay", "times": 1, "delay_ms": 500},
    )
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "5000")
    window.charge_button.click()
    assert window.result.outcome() == ""
    assert not window.charge_button.isEnabled() and not window.issue_button.isEnabled()
    assert window.busy.isVisible()
    # The digits stay in their fields until the answer (a decline leaves them to correct) ...
    assert window.card.number.text()
    qtbot.waitUntil(lambda: window.result.outcome() == "paid", timeout=WAIT_MS)
    assert window.charge_button.isEnabled() and not window.busy.isVisible()
    assert window.card.number.text() == ""  # ... and an approval wipes them


def test_escape_clears_the_form(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "1000")
    qtbot.keyClick(window.card.pin, Qt.Key.Key_Escape)
    assert [e.text() for e in window.card.edits()] == ["", "", "", ""]
    assert window.amount.amount.text() == ""


def test_refresh_drops_a_customer_deleted_elsewhere(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    fill_card(qtbot, window, "4242424242424242")
    type_into(qtbot, window.customer.name, "elsewhere")
    assert run_action(qtbot, window, window.issue_button) == "issued"
    with elsewhere(sandbox_url) as portone:
        portone.delete("/subscribe/customers/elsewhere_4242").raise_for_status()
    assert window.customers.selected_uid() == "elsewhere_4242"
    qtbot.mouseClick(window.customers.refresh, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.customers.model.find("elsewhere_4242") is None, timeout=WAIT_MS)
    assert window.result.outcome() == "refused"
    assert window.customers.refresh.isEnabled()


def test_refresh_with_nothing_selected_asks_portone_about_every_customer(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    fill_card(qtbot, window, "5555555555554444")
    type_into(qtbot, window.customer.name, "kept")
    assert run_action(qtbot, window, window.issue_button) == "issued"
    window.customers.clear_selection()
    sandbox_post(sandbox_url, "/__sandbox__/reset", {})  # PortOne forgot everything
    qtbot.mouseClick(window.customers.refresh, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.customers.model.total() == 0, timeout=WAIT_MS)
    assert any(r["path"] == "/subscribe/customers" for r in requests_seen(sandbox_url))


def test_no_card_digits_in_logs_or_replies_whatever_happens(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    window = open_window()
    replies: list[object] = []
    window.till.answered.connect(lambda request, answer: replies.append((request, answer)))
    for kind in ("drop_after", "malformed", "error_500", None):
        if kind:
            sandbox_post(
                sandbox_url,
                "/__sandbox__/faults",
                {"endpoint": "/subscribe/payments/onetime", "kind": kind, "times": 1},
            )
        fill_card(qtbot, window, "5555555555554444", birth="880315", pin="37")
        fill_amount(qtbot, window, "4000")
        run_action(qtbot, window, window.charge_button)
    qtbot.waitUntil(lambda: len(replies) == 4, timeout=WAIT_MS)
    seen = caplog.text + " ".join(repr(r) for r in replies)
    for secret in ("5555555555554444", "5555-5555-5555-4444", "5555 5555 5555 4444", "880315"):
        assert secret not in seen

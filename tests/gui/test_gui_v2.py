"""The window and the settings dialog with PortOne V2: the same buttons issue, charge again and
charge once through the V2 adapter against the sandbox's /v2; 설정 chooses V1 or V2."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import (
    OpenWindow,
    fill_amount,
    fill_card,
    requests_seen,
    run_action,
    sandbox_get,
    type_into,
)
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from test_settings_dialog import (  # noqa: F401 (fixtures)
    check,
    error_of,
    keychain_for_tests,
    no_keychain,
    open_dialog,
)

from pos_app.sandbox import TEST_V2_CHANNEL_KEY, TEST_V2_SECRET, TEST_V2_STORE_ID
from pos_app.services.settings import load_till_settings
from pos_app.ui.main_window import MainWindow
from pos_app.ui.settings_dialog import SettingsDialog


def panel_text(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.result.findChildren(QLabel))


def portone_paths(base: str) -> list[str]:
    return [r["path"] for r in requests_seen(base) if not r["path"].startswith("/__sandbox__")]


@pytest.fixture
def v2_window(open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("POS_APP_API_VERSION", "v2")
    return open_window()


def test_the_same_buttons_issue_and_charge_again_over_v2(
    qtbot: QtBot, v2_window: MainWindow, sandbox_url: str
) -> None:
    window = v2_window
    fill_card(qtbot, window, "5555555555554444")
    type_into(qtbot, window.customer.name, "gildong")
    assert window.customer.uid.text() == "gildong_4444"
    assert run_action(qtbot, window, window.issue_button) == "issued"
    assert "KB국민카드" in panel_text(window) and "**** 4444" in panel_text(window)
    assert window.customers.model.find("gildong_4444") is not None

    fill_amount(qtbot, window, "25000", "June fee")
    assert run_action(qtbot, window, window.customers.again_button) == "paid"
    assert "25,000원" in panel_text(window)
    row = window.customers.model.find("gildong_4444")
    assert row is not None and row.last_charge_at

    state = sandbox_get(sandbox_url, "/__sandbox__/state")["v2"]
    (key,) = state["billing_keys"].values()
    assert key["customer"]["id"] == "gildong_4444"
    (payment,) = state["payments"]
    assert (payment["status"], payment["billingKey"]) == ("PAID", key["billingKey"])
    paths = portone_paths(sandbox_url)
    assert "/v2/billing-keys" in paths
    assert f"/v2/payments/{payment['id']}/billing-key" in paths
    assert not any(p.startswith("/subscribe") or p == "/users/getToken" for p in paths)


def test_key_in_charge_and_decline_over_v2(
    qtbot: QtBot, v2_window: MainWindow, sandbox_url: str
) -> None:
    window = v2_window
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "12000", "Coffee beans")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    assert [edit.text() for edit in window.card.edits()] == ["", "", "", ""]
    assert "12,000원" in panel_text(window) and "**** 4242" in panel_text(window)
    assert any(p.endswith("/instant") for p in portone_paths(sandbox_url))
    window.clear_form()
    fill_card(qtbot, window, "4000000000000341")
    fill_amount(qtbot, window, "33000")
    assert run_action(qtbot, window, window.charge_button) == "declined"
    assert "[8325]한도초과" in window.result.message.text()
    assert window.result.headline.text() == "카드사 거절"


@pytest.mark.usefixtures("keychain_for_tests")
def test_settings_choose_v2_and_its_fields(qtbot: QtBot, pos_app_home: Path) -> None:
    dialog = open_dialog(qtbot)
    assert dialog.api_v1.isChecked() and not dialog.v2.isVisible()
    assert dialog.keys.isVisible() and dialog.pg.isVisible()
    dialog.api_v2.setChecked(True)
    assert dialog.v2.isVisible() and not dialog.keys.isVisible()
    assert not dialog.pg.isVisible() and not dialog.api_host.isVisible()  # V1's routing
    # Live V2 cannot route a card without the key-in channel's key.
    dialog.live_mode.setChecked(True) if dialog.live_mode.isEnabled() else None
    if dialog.live_mode.isChecked():
        dialog.save_button.click()
        assert error_of(dialog, "v2ChannelKeyError").isVisible()
        assert dialog.isVisible()
        dialog.sandbox_mode.setChecked(True)
    type_into(qtbot, dialog.v2.store_id, "store bad!")
    dialog.save_button.click()
    assert error_of(dialog, "storeIdError").isVisible() and dialog.isVisible()
    dialog.v2.store_id.clear()
    type_into(qtbot, dialog.v2.store_id, TEST_V2_STORE_ID)
    type_into(qtbot, dialog.v2.channel_key, TEST_V2_CHANNEL_KEY)
    with qtbot.waitSignal(dialog.settingsSaved, timeout=30_000):
        dialog.save_button.click()
    saved = load_till_settings()
    assert (saved.api_version, saved.store_id, saved.v2_channel_key) == (
        "v2",
        TEST_V2_STORE_ID,
        TEST_V2_CHANNEL_KEY,
    )
    again = open_dialog(qtbot)
    assert again.api_v2.isChecked() and again.v2.channel_key.text() == TEST_V2_CHANNEL_KEY
    again.close()


@pytest.mark.usefixtures("keychain_for_tests")
def test_v2_connection_check_against_the_sandbox(
    qtbot: QtBot,
    sandbox_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POS_APP_API_BASE", sandbox_url)  # the check asks the sandbox's /v2
    dialog: SettingsDialog = open_dialog(qtbot)
    dialog.api_v2.setChecked(True)
    dialog.check_button.click()  # nothing typed, nothing saved: not even asked
    assert dialog.connection_result.property("outcome") == "failed"
    assert "시크릿" in dialog.connection_result.text()
    qtbot.keyClicks(dialog.v2.secret, TEST_V2_SECRET)
    result = check(qtbot, dialog)
    assert result.ok, result.message
    dialog.v2.secret.clear()
    qtbot.keyClicks(dialog.v2.secret, "not-the-secret")
    result = check(qtbot, dialog)
    assert not result.ok and dialog.connection_result.property("outcome") == "failed"
    dialog.close()

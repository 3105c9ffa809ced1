"""The settings dialog with real widgets: validation, the settings file under POS_APP_HOME, and the
connection check against the real sandbox on its worker thread."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from gui_helpers import type_into
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.services.setting_rules import STATIC_IP_API_HOST
from pos_app.services.settings import TillSettings, load_till_settings, save_till_settings
from pos_app.services.settings_file import settings_path
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_worker import ConnectionResult

WRONG_SECRET_MESSAGE = "인증에 실패하였습니다. API키와 secret을 확인하세요."


@pytest.fixture
def no_keychain() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def keychain_for_tests(request: pytest.FixtureRequest) -> None:
    # Outside tests/with_keyring.sh, never read the desktop's own keyring (nor pop an unlock
    # prompt): behave as if there were none.
    if os.environ.get("POS_APP_REQUIRE_KEYRING") != "1":
        request.getfixturevalue("no_keychain")


def open_dialog(qtbot: QtBot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)  # the keychain state has arrived
    return dialog


@pytest.fixture
def dialog(qtbot: QtBot, keychain_for_tests: None) -> Iterator[SettingsDialog]:
    dialog = open_dialog(qtbot)
    yield dialog
    dialog.close()


def check(qtbot: QtBot, dialog: SettingsDialog) -> ConnectionResult:
    with qtbot.waitSignal(dialog.connectionChecked, timeout=30_000) as blocker:
        dialog.check_button.click()
    result = blocker.args[0]
    assert isinstance(result, ConnectionResult)
    return result


def error_of(dialog: SettingsDialog, name: str) -> QLabel:
    label = dialog.findChild(QLabel, name)
    assert label is not None
    return label


def test_connection_check_with_right_and_wrong_credentials(
    qtbot: QtBot, dialog: SettingsDialog, sandbox_url: str
) -> None:
    dialog.api_host.setEditText(sandbox_url)
    qtbot.keyClicks(dialog.keys.imp_key, TEST_IMP_KEY)
    qtbot.keyClicks(dialog.keys.imp_secret, TEST_IMP_SECRET)
    result = check(qtbot, dialog)
    assert result.ok, result.message
    assert dialog.connection_result.property("outcome") == "ok"

    dialog.keys.imp_secret.clear()
    qtbot.keyClicks(dialog.keys.imp_secret, "not-the-secret")
    result = check(qtbot, dialog)
    assert not result.ok
    # PortOne's own words, shown as they are.
    assert result.message == WRONG_SECRET_MESSAGE
    assert dialog.connection_result.text() == WRONG_SECRET_MESSAGE
    assert dialog.connection_result.property("outcome") == "failed"
    assert dialog.check_button.isEnabled()


def test_the_window_stays_responsive_while_portone_is_slow(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    # A loopback port that accepts connections and never answers: the check cannot finish
    # until the test lets it, so everything below happens while the request is in flight.
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        dialog.api_host.setEditText(f"http://127.0.0.1:{listener.getsockname()[1]}")
        qtbot.keyClicks(dialog.keys.imp_key, TEST_IMP_KEY)
        qtbot.keyClicks(dialog.keys.imp_secret, TEST_IMP_SECRET)
        dialog.check_button.click()
        assert dialog.connection_result.property("outcome") == "checking"
        assert not dialog.check_button.isEnabled()  # one check at a time

        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(10)
        qtbot.waitUntil(lambda: len(ticks) >= 5)  # the GUI event loop keeps running
        timer.stop()
        qtbot.keyClicks(dialog.pg, "nice")
        assert dialog.pg.text() == "nice"
        assert dialog.connection_result.property("outcome") == "checking"
    finally:
        listener.close()  # the pending connection is reset; retries are refused
    with qtbot.waitSignal(dialog.connectionChecked, timeout=30_000) as blocker:
        pass
    result = blocker.args[0]
    assert not result.ok
    assert "연결할 수 없습니다" in result.message


def test_closing_the_dialog_mid_check_does_not_wait_for_portone(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    """Issue 14: closing waited with no limit for the worker, so a check PortOne did not answer
    (or a keychain waiting for its password) froze the close. Now the close waits a moment, the
    check goes on alone and its answer is dropped; the thread ends once it does."""
    dialog.tasks.stop_timeout_ms = 50
    answers: list[ConnectionResult] = []
    dialog.connectionChecked.connect(answers.append)
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        dialog.api_host.setEditText(f"http://127.0.0.1:{listener.getsockname()[1]}")
        qtbot.keyClicks(dialog.keys.imp_key, TEST_IMP_KEY)
        qtbot.keyClicks(dialog.keys.imp_secret, TEST_IMP_SECRET)
        dialog.check_button.click()
        assert dialog.connection_result.property("outcome") == "checking"
        dialog.reject()
        assert dialog.tasks.running()  # closed while the check is still waiting
        assert dialog.keys.imp_secret.text() == ""
    finally:
        listener.close()  # the pending connection is reset: the check ends
    qtbot.waitUntil(lambda: not dialog.tasks.running(), timeout=30_000)
    assert answers == []  # nobody is shown an answer to a closed dialog's question


def test_plain_http_is_refused_except_on_loopback(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.api_host.setEditText("http://api.iamport.kr")
    dialog.save_button.click()
    assert error_of(dialog, "apiHostError").isVisible()
    assert "https://" in error_of(dialog, "apiHostError").text()
    assert dialog.isVisible()  # not saved, not closed
    assert not settings_path().exists()

    dialog.check_button.click()  # the connection check refuses it too, before any request
    assert error_of(dialog, "apiHostError").isVisible()
    assert dialog.connection_result.property("outcome") is None

    dialog.api_host.setEditText("http://127.0.0.1:8080")
    with qtbot.waitSignal(dialog.settingsSaved) as saved:
        dialog.save_button.click()
    assert saved.args[0].api_host == "http://127.0.0.1:8080"


def test_settings_are_saved_in_the_settings_file_under_pos_app_home(
    qtbot: QtBot, dialog: SettingsDialog, pos_app_home: Path
) -> None:
    dialog.pg.setText("kcp.A52CY")
    dialog.channel_key.setText("channel-key-0001")
    dialog.terminal_id.setText("T7")
    dialog.default_order_name.setText("정기 배송")
    dialog.api_host.setCurrentIndex(dialog.api_host.findText(STATIC_IP_API_HOST))
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.settingsSaved) as saved:
        dialog.save_button.click()
    expected = TillSettings(
        mode="sandbox",
        pg="kcp.A52CY",
        channel_key="channel-key-0001",
        terminal_id="T7",
        default_order_name="정기 배송",
        api_host=STATIC_IP_API_HOST,
        language="en",
    )
    assert saved.args[0] == expected
    assert not dialog.isVisible()
    assert settings_path().parent == pos_app_home
    assert settings_path().is_file()
    assert load_till_settings() == expected
    # Opening again shows what was saved.
    again = open_dialog(qtbot)
    assert again.pg.text() == "kcp.A52CY"
    assert again.api_host.currentText() == STATIC_IP_API_HOST
    again.close()


def test_a_settings_file_that_cannot_be_written_is_said_and_the_dialog_stays_open(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    # A folder where the file should be: it cannot be replaced (as a read-only folder or a full
    # disk would refuse it). QSettings failed silently here and the dialog closed as if saved.
    settings_path().mkdir(parents=True)
    dialog.terminal_id.setText("T8")
    with qtbot.assertNotEmitted(dialog.settingsSaved):
        dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.form_message.isVisible()
    assert "설정을 저장하지 못했습니다" in dialog.form_message.text()
    assert str(settings_path()) in dialog.form_message.text()
    assert load_till_settings().terminal_id == "T1"
    assert list(settings_path().parent.glob(".settings.ini.*")) == []  # no half-written file


def test_bad_fields_are_named_next_to_the_field(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.pg.setText("kcp A52CY")
    dialog.terminal_id.setText("")
    dialog.default_order_name.setText("")
    dialog.save_button.click()
    for name in ("pgError", "terminalIdError", "defaultOrderNameError"):
        assert error_of(dialog, name).isVisible(), name
    assert not error_of(dialog, "apiHostError").isVisible()
    assert dialog.isVisible()


def test_shop_name_and_business_number_are_saved_and_shown_again(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    for name, edit in (("shopName", dialog.shop_name), ("businessNumber", dialog.business_number)):
        assert dialog.findChild(QLineEdit, f"{name}Edit") is edit
        label = dialog.findChild(QLabel, f"{name}Label")
        assert label is not None and label.buddy() is edit
        assert edit.accessibleName() == label.text() != ""
    type_into(qtbot, dialog.shop_name, "  행복 피아노 학원 ")
    type_into(qtbot, dialog.business_number, "220 81-62517")
    with qtbot.waitSignal(dialog.settingsSaved) as saved:
        dialog.save_button.click()
    settings = saved.args[0]
    assert (settings.shop_name, settings.business_number) == ("행복 피아노 학원", "2208162517")
    assert load_till_settings() == settings
    again = open_dialog(qtbot)
    assert again.shop_name.text() == "행복 피아노 학원"
    assert again.business_number.text() == "220-81-62517"  # shown as people write it
    with qtbot.waitSignal(again.settingsSaved) as saved_again:
        again.save_button.click()
    assert saved_again.args[0] == settings  # saving it unchanged keeps the ten digits


def test_a_bad_shop_name_or_business_number_is_named_under_it_and_nothing_is_saved(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    type_into(qtbot, dialog.shop_name, "카드 4242 4242 4242 4242")
    type_into(qtbot, dialog.business_number, "220-81-62518")  # wrong check digit
    dialog.save_button.click()
    shop_error = error_of(dialog, "shopNameError")
    number_error = error_of(dialog, "businessNumberError")
    assert shop_error.isVisible() and "카드번호" in shop_error.text()
    assert number_error.isVisible() and "사업자등록번호" in number_error.text()
    # Each message is the row right under its own field.
    rows = (dialog.shop_name, shop_error, dialog.business_number, number_error)
    tops = [w.mapTo(dialog, w.rect().topLeft()).y() for w in rows]
    assert tops == sorted(tops)
    assert not error_of(dialog, "pgError").isVisible()
    assert dialog.isVisible()
    assert not settings_path().exists()

    dialog.business_number.setText("2208162517")
    dialog.save_button.click()  # the shop name is still refused: still nothing saved
    assert not number_error.isVisible()
    assert shop_error.isVisible()
    assert dialog.isVisible()
    assert not settings_path().exists()


def test_live_mode_needs_credentials(qtbot: QtBot, dialog: SettingsDialog) -> None:
    if not dialog.live_mode.isEnabled():
        pytest.skip("no keychain here: live mode is off (covered by the no-keychain test)")
    dialog.live_mode.setChecked(True)
    dialog.save_button.click()
    assert "API 키" in error_of(dialog, "formMessage").text()
    assert dialog.isVisible()

    qtbot.keyClicks(dialog.keys.imp_key, "only-the-key")
    dialog.save_button.click()
    assert error_of(dialog, "credentialsError").isVisible()
    assert dialog.isVisible()


@pytest.mark.usefixtures("no_keychain")
def test_without_a_keychain_the_app_stays_in_sandbox_mode(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    assert dialog.keys.keychain_status.property("problem") is True
    assert "샌드박스" in dialog.keys.keychain_status.text()
    assert not dialog.live_mode.isEnabled()
    assert dialog.sandbox_mode.isChecked()
    # A typed pair cannot be kept anywhere: Save says so and writes nothing.
    qtbot.keyClicks(dialog.keys.imp_key, "a-key-to-keep")
    qtbot.keyClicks(dialog.keys.imp_secret, "a-secret-to-keep")
    dialog.save_button.click()
    assert "키체인" in error_of(dialog, "formMessage").text()
    assert dialog.isVisible()
    assert not settings_path().exists()
    # Without a pair, sandbox settings save as usual.
    dialog.keys.imp_key.clear()
    dialog.keys.imp_secret.clear()
    with qtbot.waitSignal(dialog.settingsSaved):
        dialog.save_button.click()
    assert load_till_settings().mode == "sandbox"


def test_closing_the_dialog_stops_its_worker_thread(qtbot: QtBot, dialog: SettingsDialog) -> None:
    thread = dialog.tasks.worker_thread
    assert thread.isRunning()
    dialog.reject()
    assert not thread.isRunning()
    assert dialog.keys.imp_secret.text() == ""


@pytest.mark.usefixtures("keychain_for_tests")
def test_the_modal_dialog_says_what_was_saved(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    def run(answer: Callable[[SettingsDialog], None]) -> TillSettings | None:
        dialog = SettingsDialog()
        try:
            QTimer.singleShot(0, lambda: answer(dialog))
            dialog.exec()
            return dialog.saved_settings
        finally:
            dialog.shutdown()
            dialog.deleteLater()

    def cancel(dialog: SettingsDialog) -> None:
        assert QApplication.activeModalWidget() is dialog
        dialog.reject()

    assert run(cancel) is None

    def save(dialog: SettingsDialog) -> None:
        dialog.terminal_id.setText("T5")
        qtbot.waitUntil(dialog.save_button.isEnabled)
        dialog.save_button.click()

    saved = run(save)
    assert saved is not None and saved.terminal_id == "T5"
    assert load_till_settings().terminal_id == "T5"


def test_the_dialog_says_what_routes_key_in_charges(qtbot: QtBot, dialog: SettingsDialog) -> None:
    note = dialog.findChild(QLabel, "routingNote")
    assert note is not None and note.isVisible()
    assert "PG" in note.text() and "채널 키" in note.text()


def test_a_live_channel_key_without_a_pg_is_refused_under_the_pg(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    # Onetime routes by pg only: with a channel key alone, live key-in charges would go to the
    # merchant's default PG, not the channel that was chosen (issue 12, finding 1).
    dialog.live_mode.setChecked(True)  # checked in code: the rule does not need a keychain
    dialog.channel_key.setText("channel-key-0001")
    dialog.save_button.click()
    pg_error = error_of(dialog, "pgError")
    assert pg_error.isVisible() and "PG" in pg_error.text()
    assert dialog.isVisible()
    assert not settings_path().exists()


def test_a_default_order_name_longer_than_an_order_allows_is_refused(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    dialog.default_order_name.setText("가" * 41)  # PortOne's `name` takes 40
    dialog.save_button.click()
    assert error_of(dialog, "defaultOrderNameError").isVisible()
    assert not settings_path().exists()


def test_billing_concurrency_is_a_setting_within_its_bounds(
    qtbot: QtBot, keychain_for_tests: None
) -> None:
    from PySide6.QtWidgets import QSpinBox

    from pos_app.services.pacing import MAX_CONCURRENCY
    from pos_app.services.setting_rules import InvalidSetting

    save_till_settings(TillSettings(billing_concurrency=6))
    assert load_till_settings().billing_concurrency == 6
    dialog = open_dialog(qtbot)
    spin = dialog.findChild(QSpinBox, "billingConcurrency")
    assert spin is not None and spin.value() == 6 and spin.maximum() == MAX_CONCURRENCY
    spin.setValue(9)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: load_till_settings().billing_concurrency == 9)
    dialog.close()
    with pytest.raises(InvalidSetting):
        TillSettings.checked(billing_concurrency="17")
    assert TillSettings.checked(billing_concurrency="").billing_concurrency == 16

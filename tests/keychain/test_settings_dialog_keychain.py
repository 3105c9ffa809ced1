"""The settings dialog with the real Secret Service: save, replace and clear the pair; once
saved it is never shown again, and no file the app writes holds it."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.services.credentials import Credentials, load_credentials, save_credentials
from pos_app.services.settings import load_till_settings
from pos_app.services.settings_file import settings_path
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_worker import ConnectionResult

pytestmark = pytest.mark.usefixtures("secret_service")


def new_pair() -> Credentials:
    return Credentials(f"key{secrets.token_hex(8)}", f"secret{secrets.token_hex(24)}")


def open_dialog(qtbot: QtBot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    return dialog


def save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    with qtbot.waitSignal(dialog.settingsSaved, timeout=30_000):
        dialog.save_button.click()
    assert not dialog.isVisible()


def type_pair(qtbot: QtBot, dialog: SettingsDialog, pair: Credentials) -> None:
    qtbot.keyClicks(dialog.keys.imp_key, pair.imp_key)
    qtbot.keyClicks(dialog.keys.imp_secret, pair.imp_secret)


def files_holding(folder: Path, *needles: str) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(n.encode() in path.read_bytes() for n in needles)
    ]


def test_save_replace_and_clear_through_the_dialog(qtbot: QtBot, pos_app_home: Path) -> None:
    first = new_pair()
    dialog = open_dialog(qtbot)
    assert dialog.keys.keychain_status.property("problem") is False
    assert "SecretService" in dialog.keys.keychain_status.text()
    assert not dialog.clear_button.isEnabled()  # nothing saved yet
    type_pair(qtbot, dialog, first)
    dialog.live_mode.setChecked(True)
    save(qtbot, dialog)
    assert load_credentials() == first
    assert load_till_settings().mode == "live"
    assert dialog.keys.imp_key.text() == "" and dialog.keys.imp_secret.text() == ""

    # Never shown again: the fields are empty and say the pair is saved.
    dialog = open_dialog(qtbot)
    assert dialog.keys.imp_key.text() == "" and dialog.keys.imp_secret.text() == ""
    assert "저장됨" in dialog.keys.imp_key.placeholderText()
    assert dialog.live_mode.isChecked()
    assert dialog.clear_button.isEnabled()
    # Saving other settings keeps the pair.
    dialog.pg.setText("nice")
    save(qtbot, dialog)
    assert load_credentials() == first

    second = new_pair()
    dialog = open_dialog(qtbot)
    type_pair(qtbot, dialog, second)
    save(qtbot, dialog)
    assert load_credentials() == second

    # Removing is staged: Cancel keeps the pair, Save removes it (and leaves live mode).
    dialog = open_dialog(qtbot)
    dialog.clear_button.click()
    assert dialog.sandbox_mode.isChecked()
    dialog.reject()
    assert load_credentials() == second
    dialog = open_dialog(qtbot)
    dialog.clear_button.click()
    save(qtbot, dialog)
    assert load_credentials() is None
    assert load_till_settings().mode == "sandbox"

    # No file in the data folder or next to the settings holds either pair.
    for folder in {pos_app_home, settings_path().parent}:
        assert files_holding(folder, first.imp_key, first.imp_secret) == []
        assert files_holding(folder, second.imp_key, second.imp_secret) == []
    assert settings_path().is_file()


def test_connection_check_uses_the_saved_pair(qtbot: QtBot, sandbox_url: str) -> None:
    save_credentials(Credentials(TEST_IMP_KEY, TEST_IMP_SECRET))
    dialog = open_dialog(qtbot)
    dialog.api_host.setEditText(sandbox_url)
    with qtbot.waitSignal(dialog.connectionChecked, timeout=30_000) as blocker:
        dialog.check_button.click()
    result = blocker.args[0]
    assert isinstance(result, ConnectionResult)
    assert result.ok, result.message
    dialog.close()


def test_a_saved_pair_is_scanned_for_in_every_written_file(
    qtbot: QtBot, pos_app_home: Path
) -> None:
    pair = new_pair()
    dialog = open_dialog(qtbot)
    type_pair(qtbot, dialog, pair)
    dialog.live_mode.setChecked(True)
    save(qtbot, dialog)
    written = [p for p in pos_app_home.rglob("*") if p.is_file()]
    assert settings_path() in written
    assert files_holding(pos_app_home, pair.imp_key, pair.imp_secret) == []
    assert load_credentials() == pair


def test_v2_secret_saved_through_the_dialog_and_never_shown(
    qtbot: QtBot, pos_app_home: Path
) -> None:
    from pos_app.services.credentials import load_v2_secret

    secret = f"v2secret{secrets.token_hex(24)}"
    dialog = open_dialog(qtbot)
    dialog.api_v2.setChecked(True)
    dialog.live_mode.setChecked(True)
    qtbot.keyClicks(dialog.v2.secret, secret)
    dialog.save_button.click()  # live V2 without its channel key routes nothing
    assert dialog.isVisible() and load_v2_secret() is None
    qtbot.keyClicks(dialog.v2.channel_key, "channel-key-live-kcp")
    save(qtbot, dialog)
    stored = load_v2_secret()
    assert stored is not None and stored.secret == secret
    assert load_credentials() is None  # V1's pair untouched
    settings = load_till_settings()
    assert (settings.mode, settings.api_version, settings.v2_channel_key) == (
        "live",
        "v2",
        "channel-key-live-kcp",
    )
    assert files_holding(pos_app_home, secret) == []
    assert secret not in settings_path().read_text(encoding="utf-8")

    again = open_dialog(qtbot)
    assert again.v2.secret.text() == "" and "저장됨" in again.v2.secret.placeholderText()
    assert again.clear_button.isEnabled()
    again.clear_button.click()
    again.sandbox_mode.setChecked(True)
    save(qtbot, again)
    assert load_v2_secret() is None

"""설정 → 매장 서버 with the real Secret Service and a real PostgreSQL cluster: the connection
check runs on the dialog's worker and says what answered; saving keeps the server in the
settings file and its password only in the keychain; a bad field saves nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict
from pytestqt.qtbot import QtBot

from pos_app.services.credentials import load_store_password, save_store_password
from pos_app.services.store_server import configured_address, saved_store_settings
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.settings_worker import ConnectionResult

PASSWORD = "store-pw-7f3a9c"


@pytest.fixture
def no_store_password(secret_service: None) -> Iterator[None]:
    save_store_password(None)
    yield
    save_store_password(None)


def open_dialog(qtbot: QtBot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    return dialog


def fill(dialog: SettingsDialog, url: str) -> dict[str, str]:
    params = {k: str(v) for k, v in conninfo_to_dict(url).items()}
    box = dialog.store_box
    box.host.setText(params["host"])
    box.port.setText(params["port"])
    box.database.setText(params["dbname"])
    box.user.setText(params["user"])
    box.sslmode.setCurrentText("disable")
    box.password.setText(PASSWORD)
    return params


def test_check_then_save_keeps_the_password_in_the_keychain_only(
    qtbot: QtBot, pos_app_home: Path, store_url: str, no_store_password: None
) -> None:
    dialog = open_dialog(qtbot)
    params = fill(dialog, store_url)
    with qtbot.waitSignal(dialog.store_box.checked, timeout=30_000) as answered:
        dialog.store_box.check_button.click()
    result = answered.args[0]
    assert isinstance(result, ConnectionResult) and result.ok, result
    assert "PostgreSQL" in dialog.store_box.result.text()

    with qtbot.waitSignal(dialog.settingsSaved, timeout=30_000):
        dialog.save_button.click()
    assert dialog.store_box.password.text() == ""  # wiped once stored
    saved = saved_store_settings()
    assert (saved.host, saved.port, saved.database, saved.user, saved.sslmode) == (
        params["host"],
        params["port"],
        params["dbname"],
        params["user"],
        "disable",
    )
    assert load_store_password() == PASSWORD
    address = configured_address()
    assert address is not None and address.password == PASSWORD
    assert PASSWORD not in repr(address)
    for path in pos_app_home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_bad_server_field_saves_nothing(
    qtbot: QtBot, pos_app_home: Path, store_url: str, no_store_password: None
) -> None:
    dialog = open_dialog(qtbot)
    fill(dialog, store_url)
    dialog.store_box.port.setText("99999")
    dialog.save_button.click()
    error = dialog.findChild(type(dialog.store_box.result), "storePortError")
    assert error is not None and error.isVisible() and "65535" in error.text()
    assert dialog.isVisible()
    assert not saved_store_settings().enabled
    assert load_store_password() is None
    dialog.reject()  # 취소: the dialog's worker stops with it

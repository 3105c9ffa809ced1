"""The settings file against Qt's own INI reader and writer, QSettings, which the window used
before services/settings_file.py: a file the previous version wrote reads the same, a file this
version writes reads the same in QSettings (so going back one version keeps the settings), and
the file is where QSettings kept it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from pos_app.services.places import saved_settings
from pos_app.services.setting_rules import DEFAULT_API_HOST
from pos_app.services.settings import TillSettings, load_till_settings, save_till_settings
from pos_app.services.settings_file import read_settings, settings_path, write_section
from pos_app.services.store_server import (
    StoreServerSettings,
    save_store_settings,
    saved_store_settings,
)


def qsettings() -> QSettings:
    """The settings file as the previous version opened it (ui/settings_store.open_settings)."""
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def qsettings_write(section: str, values: dict[str, str]) -> None:
    """As the previous version saved a section: each value as text, through QSettings."""
    store = qsettings()
    store.beginGroup(section)
    for name, value in values.items():
        store.setValue(name, value)
    store.endGroup()
    store.sync()


def qsettings_read(section: str) -> dict[str, object]:
    store = qsettings()
    store.beginGroup(section)
    values = {name: store.value(name) for name in store.childKeys()}
    store.endGroup()
    return values


def test_pos_app_home_holds_the_settings_file(pos_app_home: Path) -> None:
    save_till_settings(TillSettings(mode="live", pg="nice", terminal_id="T2"))
    assert settings_path() == pos_app_home / "settings.ini"
    assert load_till_settings() == TillSettings(mode="live", pg="nice", terminal_id="T2")


def test_without_pos_app_home_the_file_is_where_qsettings_kept_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "POS_APP_HOME"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["HOME"] = str(tmp_path)
    code = (
        "from PySide6.QtCore import QSettings\n"
        "from pos_app.services.settings_file import settings_path\n"
        "qt = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, 'pos-app', "
        "'pos-app')\n"
        "print(settings_path()); print(qt.fileName())\n"
    )
    ours, qts = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert Path(ours) == Path(qts) == tmp_path / "config" / "pos-app" / "pos-app.ini"


def test_a_bad_hand_edited_value_falls_back_alone() -> None:
    save_till_settings(TillSettings(pg="kcp.A52CY", terminal_id="T3"))
    qsettings_write("till", {"api_host": "http://example.com"})  # plain http, not loopback
    loaded = load_till_settings()
    assert loaded.api_host == DEFAULT_API_HOST
    assert (loaded.pg, loaded.terminal_id) == ("kcp.A52CY", "T3")


def test_an_old_settings_file_without_the_receipt_keys_still_loads(pos_app_home: Path) -> None:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    (pos_app_home / "settings.ini").write_text(
        "[till]\nmode=sandbox\npg=nice\nterminal_id=T4\n", encoding="utf-8"
    )
    loaded = load_till_settings()
    assert loaded == TillSettings(pg="nice", terminal_id="T4")
    assert (loaded.shop_name, loaded.business_number) == ("", "")


# Exactly as the previous version's QSettings (Qt 6.11) wrote a live V1 till with a store server:
# sections and keys sorted, UTF-8 as it is, the shop's name quoted for its comma and semicolon.
PREVIOUS_VERSION_FILE = """[store_server]
database=shop
host=10.0.0.5
port=5432
sslmode=require
user=pos

[till]
api_host=https://static-api.iamport.kr
api_version=v1
billing_concurrency=6
business_number=2208162517
channel_key=channel-key-0001
default_order_name=@@정기 결제
language=en
mode=live
pg=kcp.A52CY
shop_name="Café \\"Bon\\", 1호점 ; a\\\\b"
store_id=
terminal_id=T7
v2_channel_key=
"""
PREVIOUS_TILL = TillSettings(
    mode="live",
    pg="kcp.A52CY",
    channel_key="channel-key-0001",
    terminal_id="T7",
    default_order_name="@정기 결제",
    api_host="https://static-api.iamport.kr",
    language="en",
    shop_name='Café "Bon", 1호점 ; a\\b',
    business_number="2208162517",
    billing_concurrency=6,
)
PREVIOUS_STORE = StoreServerSettings("10.0.0.5", "5432", "shop", "pos", "require")


def test_a_file_the_previous_version_wrote_reads_the_same(pos_app_home: Path) -> None:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(PREVIOUS_VERSION_FILE, encoding="utf-8")
    assert load_till_settings() == PREVIOUS_TILL
    assert saved_settings() == PREVIOUS_TILL  # as a till opens with them
    assert saved_store_settings() == PREVIOUS_STORE
    # Through QSettings, the file is what the previous version meant.
    assert qsettings_read("till") == PREVIOUS_TILL.as_texts()
    assert qsettings_read("store_server") == PREVIOUS_STORE.as_texts()


def test_the_previous_versions_reader_reads_what_this_version_writes(pos_app_home: Path) -> None:
    save_till_settings(PREVIOUS_TILL)
    save_store_settings(PREVIOUS_STORE)
    assert qsettings().status() == QSettings.Status.NoError
    assert qsettings_read("till") == PREVIOUS_TILL.as_texts()
    assert qsettings_read("store_server") == PREVIOUS_STORE.as_texts()


@pytest.mark.parametrize(
    "shop_name",
    [
        "행복 피아노 학원",
        "김밥, 천국; 1=1",  # QSettings quotes these
        'Café "Bon" a\\b',  # and escapes these
        "@홈짐",  # and doubles a leading @
        " 앞뒤 공백 ",  # trimmed by the rule, never saved with edge spaces
        "",
    ],
)
def test_qsettings_and_the_settings_file_agree_value_by_value(shop_name: str) -> None:
    saved = TillSettings.checked(
        terminal_id="T6", shop_name=shop_name, business_number="220-81-62517"
    )
    # Written by QSettings (the previous version), read here ...
    qsettings_write("till", saved.as_texts())
    assert saved.business_number == "2208162517"
    assert load_till_settings() == saved
    assert saved_settings() == saved
    # ... and written here, read by QSettings.
    settings_path().unlink()
    save_till_settings(saved)
    assert qsettings_read("till") == saved.as_texts()


@pytest.mark.parametrize(
    ("value", "read_back"),
    [
        (value, value)
        for value in (
            "a,b",
            "x;y",
            "k=v",
            " edge ",
            "@",
            "@@x",
            'q"q',
            "back\\slash",
            "tab\there",
            "",
        )
    ]
    # QSettings writes other control characters as \xNN escapes, which no rule accepts: read as
    # no value, the setting keeps its default.
    + [("\x01\x02", None)],
)
def test_any_text_survives_the_round_trip_through_qsettings(
    value: str, read_back: str | None
) -> None:
    # Values no rule accepts too: the writer must never produce a line QSettings reads otherwise.
    write_section("probe", {"value": value})
    assert qsettings_read("probe") == {"value": value}
    qsettings_write("probe", {"value": value})
    assert read_settings().text("probe", "value") == read_back

"""Where QSettings keeps the till settings: under POS_APP_HOME when set, else the user's config
folder; and a hand-edited bad value costs only that value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.services.places import saved_settings
from pos_app.services.settings import DEFAULT_API_HOST, TillSettings
from pos_app.ui.settings_store import (
    load_till_settings,
    open_settings,
    save_till_settings,
    settings_path,
)


def test_pos_app_home_holds_the_settings_file(pos_app_home: Path) -> None:
    save_till_settings(TillSettings(mode="live", pg="nice", terminal_id="T2"))
    assert settings_path() == pos_app_home / "settings.ini"
    assert load_till_settings() == TillSettings(mode="live", pg="nice", terminal_id="T2")


def test_without_pos_app_home_the_user_config_folder_is_used(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "POS_APP_HOME"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["HOME"] = str(tmp_path)
    code = "from pos_app.ui.settings_store import settings_path; print(settings_path())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(out) == tmp_path / "config" / "pos-app" / "pos-app.ini"


def test_a_bad_hand_edited_value_falls_back_alone() -> None:
    save_till_settings(TillSettings(pg="kcp.A52CY", terminal_id="T3"))
    store = open_settings()
    store.setValue("till/api_host", "http://example.com")  # refused: plain http, not loopback
    store.sync()
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


@pytest.mark.parametrize(
    "shop_name",
    [
        "행복 피아노 학원",
        "김밥, 천국; 1=1",  # QSettings quotes these
        'Café "Bon" a\\b',  # and escapes these
        "@홈짐",  # and doubles a leading @
        "",
    ],
)
def test_the_command_line_reads_what_the_window_saved(shop_name: str) -> None:
    saved = TillSettings.checked(
        terminal_id="T6", shop_name=shop_name, business_number="220-81-62517"
    )
    save_till_settings(saved)
    assert saved.business_number == "2208162517"
    assert load_till_settings() == saved  # the window, through QSettings
    assert saved_settings() == saved  # the command line, through configparser

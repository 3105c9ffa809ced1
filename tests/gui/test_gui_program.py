"""The program as shipped: translations and style found in pos_app.resources, `pos-app` starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from pos_app.ui import assets, i18n


def test_english_qm_ships_as_a_package_resource_and_translates(qapp: QApplication) -> None:
    translations = assets.TRANSLATIONS
    assert (translations / "pos_app_en.ts").is_file()
    assert (translations / "pos_app_en.qm").is_file()
    translators = i18n.load_translators("en")
    own = translators[0]
    assert isinstance(own, QTranslator) and not own.isEmpty()
    i18n.install(translators)
    try:
        text = QCoreApplication.translate("ModeBanner", "연습 모드 — 실제 결제가 되지 않습니다")
        assert text == "Sandbox — no real charges"
    finally:
        i18n.uninstall(translators)
    assert QCoreApplication.translate("ModeBanner", "연습 모드 — 실제 결제가 되지 않습니다") == (
        "연습 모드 — 실제 결제가 되지 않습니다"
    )


def test_every_english_translation_is_finished() -> None:
    ts = assets.TRANSLATIONS / "pos_app_en.ts"
    text = ts.read_text("utf-8")
    assert 'type="unfinished"' not in text and "<translation/>" not in text


def test_every_text_in_the_window_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """lupdate over every module of pos_app/ui finds nothing the English catalogue lacks: a new
    tr() text (or a module left out of the lupdate list in docs/window.md) fails here."""
    import shutil

    ts = tmp_path / "pos_app_en.ts"
    shutil.copy(assets.TRANSLATIONS / "pos_app_en.ts", ts)
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    modules = sorted(str(p) for p in (Path(__file__).parents[2] / "pos_app" / "ui").glob("*.py"))
    options = ["-locations", "none", "-source-language", "ko_KR", "-target-language", "en_US"]
    subprocess.run(
        [str(lupdate), *modules, *options, "-ts", str(ts)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = ts.read_text("utf-8")
    assert 'type="unfinished"' not in text and "<translation/>" not in text


def test_style_sheet_ships_as_a_package_resource() -> None:
    assert "#modeBanner" in assets.style_sheet()
    assert assets.ICONS.as_posix() in assets.style_sheet()  # @ICONS@ replaced by the folder


def test_language_setting_is_used_without_lang_flag(pos_app_home: Path) -> None:
    from pos_app.services.settings import TillSettings, save_till_settings

    assert i18n.resolve_language(None) == "ko"
    save_till_settings(TillSettings(language="en"))
    assert i18n.resolve_language(None) == "en"
    assert i18n.resolve_language("ko") == "ko"


@pytest.mark.slow
def test_pos_app_opens_the_window_and_paints(pos_app_home: Path) -> None:
    """`pos-app` with no command: the window is painted (startup probe quits it right after)."""
    env = {
        **os.environ,
        "POS_APP_STARTUP_PROBE": "1",
        "QT_QPA_PLATFORM": "offscreen",
        "POS_APP_HOME": str(pos_app_home),
    }
    env.pop("POS_APP_API_BASE", None)
    result = subprocess.run(
        [sys.executable, "-m", "pos_app", "--lang", "en"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "POS_APP_FIRST_PAINT" in result.stdout

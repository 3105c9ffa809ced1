"""The window looks the same on a dark desktop and with any style (pos_app/ui/look.py), and each
platform's Korean font comes first in the style sheet (pos_app/ui/assets.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QGroupBox
from pytestqt.qtbot import QtBot

from pos_app.app import build_window
from pos_app.ui import assets, look
from pos_app.ui.receipt import receipt_html
from pos_app.ui.settings_dialog import SettingsDialog


def luminance(color: QColor) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(color.redF())
        + 0.7152 * linear(color.greenF())
        + 0.0722 * linear(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def title_colours(image: QImage, strip: QRect) -> tuple[QColor, QColor]:
    """(background, the pixel that stands out most from it) in a strip of a grabbed image."""
    pixels = [
        image.pixelColor(x, y)
        for y in range(strip.top(), min(strip.bottom() + 1, image.height()))
        for x in range(strip.left(), min(strip.right() + 1, image.width()))
    ]
    background = QColor(Counter(p.rgb() for p in pixels).most_common(1)[0][0])
    ink = max(pixels, key=lambda p: contrast(p, background))
    return background, ink


@pytest.fixture
def dark_desktop(qapp: QApplication) -> Iterator[None]:
    """What Windows 11 in dark mode hands Qt before the program runs: its own style and a dark
    palette. The program's look is put back afterwards, as the program would have it."""
    dark = QPalette(QColor("#2d2d2d"), QColor("#1f1f1f"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#191919"))
    qapp.setStyle("Windows")
    qapp.setPalette(dark)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the dialog asks the keychain; never the desktop's own
    yield
    keyring.set_keyring(before)
    look.use_light_look(qapp, style_chosen=False)


@pytest.mark.usefixtures("dark_desktop")
def test_a_dark_desktop_still_gets_the_light_window(qtbot: QtBot, qapp: QApplication) -> None:
    look.use_light_look(qapp, style_chosen=False)  # what pos_app.app.main does at the start

    assert qapp.style().name().lower() == "fusion"
    assert luminance(qapp.palette().color(QPalette.ColorRole.Window)) > 0.8
    assert qapp.styleHints().colorScheme() in (Qt.ColorScheme.Light, Qt.ColorScheme.Unknown)

    window = build_window(lang="ko", start=False)
    qtbot.addWidget(window)
    dialog = SettingsDialog(window)  # as the menu opens it: styled by the window's sheet
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    image = dialog.grab().toImage()
    boxes = dialog.findChildren(QGroupBox)
    assert len(boxes) >= 3
    for box in boxes:
        # The title sits in the box's top margin, over the dialog's own background.
        top_left = box.mapTo(dialog, box.rect().topLeft())
        strip = QRect(top_left.x(), top_left.y(), box.width(), box.fontMetrics().height())
        background, ink = title_colours(image, strip)
        assert luminance(background) > 0.7, f"{box.title()}: background {background.name()}"
        assert contrast(ink, background) >= 3.0, (
            f"{box.title()}: title {ink.name()} on {background.name()}"
        )
    dialog.close()
    window.close()


def test_each_platform_names_its_own_korean_font_first() -> None:
    assert assets.font_families("win32").startswith('"Malgun Gothic"')
    assert assets.font_families("linux").startswith('"Noto Sans CJK KR"')
    assert assets.font_families("darwin").startswith('"Apple SD Gothic Neo"')
    for platform in ("win32", "linux", "darwin"):
        sheet = assets.style_sheet(platform)
        assert "@FONTS@" not in sheet and "@ICONS@" not in sheet
        first = sheet.split("font-family:", 1)[1].split(",", 1)[0].strip()
        assert first == assets.font_families(platform).split(",", 1)[0]
    # The receipt uses this platform's list too.
    assert assets.font_families(quote="'") in receipt_html.__globals__["_FONTS"]

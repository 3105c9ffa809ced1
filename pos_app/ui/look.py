"""The window looks the same on every desktop: Fusion, a light palette, the platform's Korean font.

Qt 6.7+ picks its Windows 11 style on Windows and follows the desktop's dark mode; the style
sheet (resources/style.qss) colours the till's own widgets but not every dialog background,
so under a dark palette the settings dialog's group titles (grey on near-black) vanished. The
program therefore always uses Fusion with the light palette Fusion itself ships, set as explicit
colours so that a theme change while the program runs cannot replace them either.

Fusion is chosen on the command line of the QApplication the program creates (`-style Fusion`):
setting it from Python afterwards builds PySide6's QStyle wrapper, about 5 ms before the first
paint (docs/packaging.md, startup time).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

STYLE = "Fusion"

# Fusion's standard (light) palette, Qt 6: role -> (active and inactive, disabled).
_FUSION_LIGHT: dict[str, tuple[str, str]] = {
    "WindowText": ("#000000", "#bebebe"),
    "Button": ("#efefef", "#efefef"),
    "Light": ("#ffffff", "#ffffff"),
    "Midlight": ("#cacaca", "#cacaca"),
    "Dark": ("#9f9f9f", "#bebebe"),
    "Mid": ("#b8b8b8", "#b8b8b8"),
    "Text": ("#000000", "#bebebe"),
    "BrightText": ("#ffffff", "#ffffff"),
    "ButtonText": ("#000000", "#bebebe"),
    "Base": ("#ffffff", "#efefef"),
    "Window": ("#efefef", "#efefef"),
    "Shadow": ("#767676", "#b1b1b1"),
    "Highlight": ("#308cc6", "#919191"),
    "HighlightedText": ("#ffffff", "#ffffff"),
    "Link": ("#0000ff", "#0000ff"),
    "LinkVisited": ("#ff00ff", "#ff00ff"),
    "AlternateBase": ("#f7f7f7", "#f7f7f7"),
    "ToolTipBase": ("#ffffdc", "#ffffdc"),
    "ToolTipText": ("#000000", "#000000"),
    "PlaceholderText": ("#80000000", "#80000000"),  # #AARRGGBB: half-transparent black
    "Accent": ("#308cc6", "#919191"),
}


def application_arguments(program: str | None = None) -> list[str]:
    """The arguments the program's QApplication is created with: Fusion on every desktop."""
    return [sys.argv[0] if program is None else program, "-style", STYLE]


def light_palette() -> QPalette:
    palette = QPalette()
    groups = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
    for name, (normal, disabled) in _FUSION_LIGHT.items():
        role = QPalette.ColorRole[name]
        for group in groups:
            palette.setColor(group, role, QColor(normal))
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


def use_light_look(app: QApplication, *, style_chosen: bool) -> None:
    """Light whatever the desktop says. `style_chosen`: the app was created with
    `application_arguments()`, so Fusion is already its style."""
    if not style_chosen:
        app.setStyle(STYLE)
    # Qt 6.8+: ask the platform for its light scheme too (on Windows 11 the title bar and the
    # native dialogs follow it); the explicit palette below is what the widgets draw with.
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(light_palette())

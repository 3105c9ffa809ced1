"""The window's files (icons, style sheet, translations) in the package `pos_app.resources`.

That package is the top-level resources/ folder in a clone (setuptools maps it), the same folder
in an installed copy, and _internal/pos_app/resources/ in the frozen build (build.spec copies it;
PyInstaller gives the module the __file__ it would have there). Its files are read as plain paths
next to the module, not through importlib.resources: the app never runs from a zip, and that
module costs about 5 ms before the window's first paint (docs/packaging.md, startup time).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def _folder() -> Path:
    # Named as a string: mypy cannot follow setuptools' mapping of resources/ onto the package.
    module = importlib.import_module("pos_app.resources")
    if module.__file__ is None:
        raise FileNotFoundError("pos_app.resources has no folder")
    return Path(module.__file__).parent


FOLDER = _folder()
ICONS = FOLDER / "icons"
TRANSLATIONS = FOLDER / "translations"
APP_ICON = ICONS / "pos-app-256.png"


# The Korean font each platform has, first: when the first family of a list is missing (Noto on
# Windows), Qt asks the system for every installed font before the first paint to find one.
_KOREAN_FONTS = {
    "win32": "Malgun Gothic",  # Windows' Korean UI font (맑은 고딕), on every Windows since 7
    "darwin": "Apple SD Gothic Neo",
}
_LINUX_KOREAN_FONT = "Noto Sans CJK KR"  # Debian's fonts-noto-cjk (make deps installs it)


def font_families(platform: str = sys.platform, quote: str = '"') -> str:
    """The CSS `font-family` list for Korean text on `platform`, the font it ships first."""
    return f"{quote}{_KOREAN_FONTS.get(platform, _LINUX_KOREAN_FONT)}{quote}, sans-serif"


def style_sheet(platform: str = sys.platform) -> str:
    """resources/style.qss, @ICONS@ made the icons folder (QSS urls are file paths) and @FONTS@
    the platform's font families."""
    text = (FOLDER / "style.qss").read_text("utf-8")
    return text.replace("@ICONS@", ICONS.as_posix()).replace("@FONTS@", font_families(platform))

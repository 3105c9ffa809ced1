"""The window's files (icons, style sheet, translations) in the package `pos_app.resources`.

That package is the top-level resources/ folder in a clone (setuptools maps it), the same folder
in an installed copy, and _internal/pos_app/resources/ in the frozen build (build.spec copies it;
PyInstaller gives the module the __file__ it would have there). Its files are read as plain paths
next to the module, not through importlib.resources: the app never runs from a zip, and that
module costs about 5 ms before the window's first paint (docs/packaging.md, startup time).
"""

from __future__ import annotations

import importlib
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


def style_sheet() -> str:
    """resources/style.qss, @ICONS@ made the icons folder (QSS urls are file paths)."""
    return (FOLDER / "style.qss").read_text("utf-8").replace("@ICONS@", ICONS.as_posix())

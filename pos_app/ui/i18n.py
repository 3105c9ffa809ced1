"""Korean by default (the source strings are Korean); English from resources/translations."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from pos_app.services.settings_file import LANGUAGES, saved_language
from pos_app.ui.assets import TRANSLATIONS


def resolve_language(requested: str | None) -> str:
    """--lang wins, then the saved setting, then Korean."""
    if requested in LANGUAGES:
        return requested
    try:
        return saved_language()
    except Exception:  # an unreadable settings file must not keep the till from opening
        return "ko"


def load_translators(lang: str) -> list[QTranslator]:
    """The app's own .qm for `lang` plus Qt's (dialog buttons), not yet installed."""
    translators: list[QTranslator] = []
    if lang != "ko":
        own = QTranslator()
        qm = TRANSLATIONS / f"pos_app_{lang}.qm"
        if not own.load(str(qm)):
            raise FileNotFoundError(f"translation not found: {qm}")
        translators.append(own)
    qt = QTranslator()
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt)
    return translators


def install(translators: list[QTranslator]) -> None:
    for translator in translators:
        QCoreApplication.installTranslator(translator)


def uninstall(translators: list[QTranslator]) -> None:
    for translator in translators:
        QCoreApplication.removeTranslator(translator)

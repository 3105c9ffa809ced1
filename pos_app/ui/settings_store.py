"""Non-secret till settings in QSettings; the services see them as a plain `TillSettings`.

With POS_APP_HOME set, the settings file lives there too (`settings.ini`), so automation and
several terminals on one machine each keep their own; otherwise it is the platform's usual place
(~/.config/pos-app/pos-app.ini on Linux). Secrets never go here: they are in the keychain.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from pos_app.datadir import APP_NAME, SETTINGS_FIELDS, SETTINGS_GROUP, home_settings_file

if TYPE_CHECKING:
    from pos_app.services.settings import InvalidSetting, TillSettings

LANGUAGES = ("ko", "en")


def open_settings() -> QSettings:
    """The QSettings for this terminal (INI format everywhere, so the file reads the same)."""
    home = home_settings_file()
    if home is not None:
        return QSettings(str(home), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, APP_NAME)


def settings_path() -> Path:
    return Path(open_settings().fileName())


def saved_language() -> str:
    """The saved interface language ("ko" unless "en" was chosen), read on its own: it is needed
    before the window's first widget, and the settings' rules (services.settings) are not."""
    value = open_settings().value(f"{SETTINGS_GROUP}/language", "ko")
    return value if isinstance(value, str) and value in LANGUAGES else "ko"


def load_till_settings() -> TillSettings:
    """The saved settings; a missing or unacceptable value falls back to its default
    (`services.settings.from_saved`, the rule the command line uses too)."""
    from pos_app.services.settings import TillSettings, from_saved

    store = open_settings()
    store.beginGroup(SETTINGS_GROUP)
    defaults = TillSettings()
    values: dict[str, str] = {}
    for name in SETTINGS_FIELDS:
        raw = store.value(name, getattr(defaults, name))
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)  # a number QSettings kept as one (the billing run's concurrency)
        values[name] = raw if isinstance(raw, str) else str(getattr(defaults, name))
    store.endGroup()
    return from_saved(values)


def invalid_saved_api_host() -> tuple[str, InvalidSetting] | None:
    """The saved API host as written and why it is refused, when it is: load_till_settings()
    shows the default instead, and the settings dialog must not let that pass unnoticed."""
    from pos_app.services.settings import InvalidSetting, validate_api_host

    raw = open_settings().value(f"{SETTINGS_GROUP}/api_host")
    if raw is None:
        return None
    text = raw if isinstance(raw, str) else str(raw)
    try:
        validate_api_host(text)
    except InvalidSetting as exc:
        return text, exc
    return None


def save_till_settings(settings: TillSettings) -> None:
    store = open_settings()
    store.beginGroup(SETTINGS_GROUP)
    for name in SETTINGS_FIELDS:
        # As text, the way the command line's reader (services.places) reads every value back.
        store.setValue(name, str(getattr(settings, name)))
    store.endGroup()
    store.sync()

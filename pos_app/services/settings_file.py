"""The settings file: the one reader and writer of the till's non-secret settings on disk.

One INI file, in the format Qt's QSettings writes (the window kept its settings through QSettings
before this module, so every file a till already has reads the same, and a file written here
reads the same in a program that still uses QSettings): sections `[till]` (services/settings.py)
and `[store_server]` (services/store_server.py), `key=value` lines, a value quoted when it holds
`,` `;` `=` or edge spaces, backslash escapes, a leading `@` doubled. What each value means and
which values are acceptable is declared in those two modules; this one only reads and writes text.

With POS_APP_HOME set the file is `settings.ini` there, so automation and several tills on one
machine each keep their own; otherwise the platform's usual place, where QSettings put it
(~/.config/pos-app/pos-app.ini on Linux, %APPDATA%\\pos-app\\pos-app.ini on Windows). Secrets never
go here: they are in the keychain.

The window reads its language from here before its first frame, so this module imports nothing
the first frame does not already have (tests/packaging/test_startup_imports.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from pos_app.datadir import APP_NAME, data_dir

HOME_ENV = "POS_APP_HOME"
# The interface languages and the default: TillSettings.language's rule (services/settings.py),
# kept here because the first frame reads the language before that module is loaded.
LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE: Final = "ko"
TILL_SECTION = "till"

# The backslash escapes QSettings writes in an INI value (Qt's iniEscapedString), and back.
_UNESCAPE = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    '"': '"',
    "?": "?",
    "'": "'",
    "\\": "\\",
}
_ESCAPE = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def settings_path() -> Path:
    """The settings file (module doc); it may not exist yet."""
    if os.environ.get(HOME_ENV):
        return data_dir() / "settings.ini"
    # Where QSettings(IniFormat, UserScope, "pos-app", "pos-app") puts it.
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / APP_NAME / f"{APP_NAME}.ini"


class SavedFile:
    """The settings file as read once: its sections, each key's value as written (still escaped)."""

    def __init__(self, path: Path, sections: dict[str, dict[str, str]]) -> None:
        self.path = path
        self.sections = sections

    def raw(self, section: str, key: str) -> str | None:
        """The value as written in the file, or None when the key is not there."""
        return self.sections.get(section, {}).get(key)

    def text(self, section: str, key: str) -> str | None:
        """The value as QSettings reads it back as a string; None when the key is absent or its
        value is no one string (a list, an `@Variant`, an escape QSettings never writes)."""
        raw = self.raw(section, key)
        return None if raw is None else decode_value(raw)

    def texts(self, section: str, keys: tuple[str, ...]) -> dict[str, str]:
        """Every key of `keys` that the section holds as one string."""
        found = {key: self.text(section, key) for key in keys}
        return {key: value for key, value in found.items() if value is not None}


def read_settings(path: Path | None = None) -> SavedFile:
    """The settings file; an empty one when it is missing or unreadable (every setting then
    takes its default: a broken file must not keep the till from opening)."""
    path = path or settings_path()
    try:
        # utf-8-sig: a file saved by Notepad starts with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return SavedFile(path, {})
    return SavedFile(path, parse(text))


def saved_language() -> str:
    """The saved interface language ("ko" unless "en" was chosen), read on its own for the
    window's first frame: the rest of the settings and their rules are loaded later."""
    value = read_settings().text(TILL_SECTION, "language")
    return value if value is not None and value in LANGUAGES else DEFAULT_LANGUAGE


def write_section(section: str, values: Mapping[str, str], path: Path | None = None) -> Path:
    """Set these keys of one section, keeping every other section and key of the file as it was
    (a newer version's keys survive an older one's save). Atomic: the file is written beside
    itself and renamed over the old one, so a crash leaves the old file or the new, never half.
    Raises OSError when it cannot be written."""
    path = path or settings_path()
    saved = read_settings(path)
    sections = {name: dict(keys) for name, keys in saved.sections.items()}
    sections.setdefault(section, {}).update({k: encode_value(v) for k, v in values.items()})
    _replace(path, format_sections(sections))
    return path


# --- The format ----------------------------------------------------------------------------------


def parse(text: str) -> dict[str, dict[str, str]]:
    """Sections and their `key=value` lines, values as written. As QSettings reads it: a line
    starting with `;` is a comment and so is the rest of a line after an unquoted `;`; keys
    before any section belong to `[General]`; a line that is neither is skipped."""
    sections: dict[str, dict[str, str]] = {}
    current = sections.setdefault("General", {})
    for line in text.splitlines():
        line = _without_comment(line.strip())
        if not line:
            continue
        if line.startswith("["):
            end = line.find("]")
            if end > 1:
                current = sections.setdefault(line[1:end].strip(), {})
            continue
        key, equals, value = line.partition("=")
        if equals and key.strip():
            current[key.strip()] = value.strip()
    return {name: keys for name, keys in sections.items() if keys or name != "General"}


def format_sections(sections: Mapping[str, Mapping[str, str]]) -> str:
    """The file's text, as QSettings lays it out: `[section]`, then `key=value` lines."""
    blocks = []
    for name, keys in sections.items():
        if keys or name != "General":
            lines = [f"[{name}]", *(f"{key}={value}" for key, value in keys.items())]
            blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _without_comment(line: str) -> str:
    if line.startswith(";"):
        return ""
    quoted = escaped = False
    for at, ch in enumerate(line):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return line[:at].rstrip()
    return line


def decode_value(raw: str) -> str | None:
    r"""A value as QSettings reads back a string it wrote: quoted parts (`"김밥, 천국"`, quoted
    for its comma), backslash escapes (`\"`, `\\`) and the doubled `@` of a leading `@`.

    None for anything QSettings would not read as that one string (a list, an `@Variant(…)`, an
    escape it never writes for a value the settings' rules accept): the caller keeps the default.
    """
    out: list[str] = []
    quoted = False
    chars = iter(raw.strip())
    for ch in chars:
        if ch == "\\":
            escaped = _UNESCAPE.get(next(chars, ""))
            if escaped is None:
                return None
            out.append(escaped)
        elif ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            return None
        else:
            out.append(ch)
    text = "".join(out)
    if text.startswith("@"):
        return text[1:] if text.startswith("@@") else None
    return text


def encode_value(value: str) -> str:
    """A string as QSettings writes it (Qt's variantToString and iniEscapedString): a leading `@`
    doubled, quotes and backslashes escaped, control characters as escapes, and the whole value
    quoted when it holds `,` `;` `=` or starts or ends with a space. UTF-8 is written as is."""
    if value.startswith("@"):
        value = "@" + value
    out: list[str] = []
    hex_follows = False  # after \xNN or \0 a hex digit would be read as part of the escape
    for ch in value:
        if hex_follows and ch in _HEX_DIGITS:
            out.append(f"\\x{ord(ch):x}")
            continue
        hex_follows = False
        if ch == "\0":
            out.append("\\0")
            hex_follows = True
        elif ch in _ESCAPE:
            out.append("\\" + _ESCAPE[ch])
        elif ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) <= 0x1F:
            out.append(f"\\x{ord(ch):x}")
            hex_follows = True
        else:
            out.append(ch)
    text = "".join(out)
    if any(ch in value for ch in ",;=") or text.startswith(" ") or text.endswith(" "):
        return f'"{text}"'
    return text


def _replace(path: Path, text: str) -> None:
    import tempfile
    import time

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:  # Windows gets \r\n, as from Qt
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        for attempt in range(20):
            try:
                os.replace(name, path)
                return
            except PermissionError:
                # Windows refuses to replace a file another process has open at that moment
                # (a command reading the settings, a virus scanner): try again shortly.
                if sys.platform != "win32" or attempt == 19:
                    raise
                time.sleep(0.05)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise

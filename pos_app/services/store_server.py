"""Which store a till keeps its records in: this counter's SQLite files (the default) or the shop's
store server (PostgreSQL), shared by every counter of the shop.

The server is chosen, in order, by

1. `POS_APP_DATABASE_URL` (e.g. `postgresql://pos@10.0.0.5/shop`, or a libpq `host=… dbname=…`
   string), for automation and tests;
2. 설정 → 매장 서버 (host, port, database, user, TLS mode), kept in the settings file's
   `[store_server]` section (declared below, read and written by services/settings_file.py);
   an empty host means "no server".

The password is never in the settings file: it lives in the OS keychain (the allow-listed one of
services/credentials.py, username `store_password`), or where libpq looks for it itself
(PGPASSWORD, ~/.pgpass), or in the URL of an automation's environment. With a server chosen, a
till never falls back to local files when the server cannot be reached: it stops charging and
says so (two journals would be two truths).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from pos_app.services.setting_rules import InvalidSetting
from pos_app.services.settings import SettingsSection, save_section, setting

if TYPE_CHECKING:
    from pos_app.services.settings_file import SavedFile
    from pos_app.store.errors import StorageError
    from pos_app.store.postgres import ServerAddress

DATABASE_URL_ENV = "POS_APP_DATABASE_URL"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_PORT = "5432"
DEFAULT_SSLMODE = "prefer"

_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\[?[0-9A-Fa-f:.]{2,45}\]?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$-]{0,62}")


class InvalidStoreSetting(InvalidSetting):
    """A 매장 서버 field that cannot be used; `field` names it (and is its code)."""

    _TEXT: ClassVar[dict[str, tuple[str, str]]] = {
        "host": (
            "서버 주소가 올바르지 않습니다. 예: 10.0.0.5, pos-server.local",
            "The server address is not valid. Examples: 10.0.0.5, pos-server.local",
        ),
        "port": ("포트는 1~65535 사이의 숫자입니다.", "The port is a number from 1 to 65535."),
        "database": (
            "데이터베이스 이름은 영문, 숫자, _ 로 된 63자 이하입니다.",
            "The database name is up to 63 letters, digits or _.",
        ),
        "user": (
            "사용자 이름은 영문, 숫자, _ 로 된 63자 이하입니다.",
            "The user name is up to 63 letters, digits or _.",
        ),
        "sslmode": (
            "TLS 모드는 disable, allow, prefer, require, verify-ca, verify-full 중 하나입니다.",
            "The TLS mode is one of disable, allow, prefer, require, verify-ca, verify-full.",
        ),
        "missing": (
            "서버 주소를 쓰면 데이터베이스와 사용자도 입력하세요.",
            "With a server address, enter the database and the user too.",
        ),
    }

    def __init__(self, field: str) -> None:
        super().__init__(field, field)


def _host(text: str) -> str:
    value = text.strip()
    if value and not _HOST.fullmatch(value):
        raise InvalidStoreSetting("host")
    return value


def _port(text: str) -> str:
    value = text.strip() or DEFAULT_PORT
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 65535):
        raise InvalidStoreSetting("port")
    return value


def _name_rule(field: str) -> Callable[[str], str]:
    def rule(text: str) -> str:
        value = text.strip()
        if value and not _NAME.fullmatch(value):
            raise InvalidStoreSetting(field)
        return value

    return rule


def _sslmode(text: str) -> str:
    value = text.strip() or DEFAULT_SSLMODE
    if value not in SSL_MODES:
        raise InvalidStoreSetting("sslmode")
    return value


@dataclass(frozen=True)
class StoreServerSettings(SettingsSection):
    """설정 → 매장 서버. `host` empty: this counter keeps its own files (the default)."""

    SECTION: ClassVar[str] = "store_server"

    host: str = setting("", _host)
    port: str = setting(DEFAULT_PORT, _port)
    database: str = setting("", _name_rule("database"))
    user: str = setting("", _name_rule("user"))
    sslmode: str = setting(DEFAULT_SSLMODE, _sslmode)

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def describe(self) -> str:
        return f"{self.host}:{self.port}/{self.database}" if self.host else ""

    def address(self, password: str | None = None) -> ServerAddress:
        from psycopg.conninfo import make_conninfo

        from pos_app.store.postgres import ServerAddress

        conninfo = make_conninfo(
            "",
            host=self.host.strip("[]"),
            port=self.port,
            dbname=self.database,
            user=self.user,
            sslmode=self.sslmode,
            application_name="pos-app",
        )
        return ServerAddress(conninfo, password)


def collect_store_errors(values: Mapping[str, str]) -> list[InvalidSetting]:
    """Every field's problem at once, for the form: each value's own rule, then whether a
    server address comes with its database and user."""
    errors = StoreServerSettings.field_errors(values)
    given = {name: values.get(name, "").strip() for name in ("host", "database", "user")}
    if given["host"] and not errors and not (given["database"] and given["user"]):
        errors.append(InvalidStoreSetting("missing"))
    return errors


def checked(values: Mapping[str, str]) -> StoreServerSettings:
    """Settings from text; raises the first InvalidStoreSetting."""
    errors = collect_store_errors(values)
    if errors:
        raise errors[0]
    return StoreServerSettings.from_values(values)


def saved_store_settings(saved: SavedFile | None = None) -> StoreServerSettings:
    """The saved 매장 서버 settings (the settings file's `[store_server]` section); a section
    with any unusable value means none: half a server's address must not be tried."""
    try:
        return checked(StoreServerSettings.saved_texts(saved))
    except InvalidSetting:
        return StoreServerSettings()


def save_store_settings(settings: StoreServerSettings) -> None:
    """Keep them in the settings file (the password never: the keychain has it). Raises
    SettingsNotSaved."""
    save_section(settings)


def server_chosen() -> bool:
    """Whether a store server is set (environment or settings), without asking the keychain."""
    return bool(os.environ.get(DATABASE_URL_ENV, "").strip()) or saved_store_settings().enabled


def configured_address() -> ServerAddress | None:
    """The store server this till uses (module doc), or None for the counter's own files.
    The keychain is asked for the password only when the address carries none."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    settings = StoreServerSettings() if url else saved_store_settings()
    if not url and not settings.enabled:
        return None
    try:
        from pos_app.store.postgres import parse_address
    except ImportError:
        raise _no_driver(settings.describe() or DATABASE_URL_ENV) from None
    address = parse_address(url) if url else settings.address()
    if "password" in address.params() or os.environ.get("PGPASSWORD"):
        return address
    from pos_app.services.credentials import load_store_password

    return address.with_password(load_store_password())


# A Linux build uses the system's libpq (docs/packaging.md); without it psycopg cannot load.
NO_DRIVER = (
    "this computer has no PostgreSQL client library (libpq): install it "
    "(Debian, Ubuntu: sudo apt install libpq5)"
)


def _no_driver(where: str) -> StorageError:
    from pos_app.store.errors import StorageError

    return StorageError("io", server=where, detail=NO_DRIVER)


def check_connection(settings: StoreServerSettings, password: str | None) -> tuple[bool, str]:
    """Connect once (a few seconds at most) and say what answered, in Korean; the password is
    the typed one, else the keychain's. Run it off the GUI thread."""
    if not settings.enabled:
        return False, "서버 주소를 입력하세요."
    try:
        import psycopg

        from pos_app.store.postgres import storage_error
    except ImportError:
        return False, _no_driver(settings.describe()).message("ko")
    from pos_app.services.credentials import load_store_password

    address = settings.address(password or load_store_password())
    try:
        with psycopg.connect(address.connect_string(), autocommit=True) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as exc:
        if isinstance(exc, psycopg.OperationalError) and "password" in str(exc).lower():
            return False, (
                f"매장 서버가 로그인을 거부했습니다 ({settings.describe()}): 사용자와 비밀번호를 "
                "확인하세요."
            )
        return False, storage_error(exc, settings.describe()).message("ko")
    version = row[0] if row else "?"
    return True, f"연결되었습니다: PostgreSQL {version} ({settings.describe()})"

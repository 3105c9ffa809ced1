"""Where the app talks to and where it keeps that place's files.

Live and sandbox never share a journal or a customer index: training charges must not show up
in the day's real totals, and sandbox customers do not exist at PortOne.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pos_app.core.loopback import is_loopback_host
from pos_app.datadir import data_dir
from pos_app.services.setting_rules import InvalidSetting
from pos_app.services.settings import TillSettings, invalid_saved_api_host, load_till_settings
from pos_app.services.settings_file import read_settings

if TYPE_CHECKING:
    from pos_app.gateway.port import ApiVersion
    from pos_app.services.credentials import Credentials, V2Secret
    from pos_app.store.audit import AuditLog
    from pos_app.store.backend import Store
    from pos_app.store.staff import StaffStore

Mode = Literal["sandbox", "live"]

LIVE_API_BASE = "https://api.iamport.kr"
API_BASE_ENV = "POS_APP_API_BASE"
# "v1" or "v2": which PortOne API to use, over the saved setting (automation and tests).
API_VERSION_ENV = "POS_APP_API_VERSION"
TERMINAL_ENV = "POS_APP_TERMINAL"
# How long a charge's answer is awaited, and the grace after that before PortOne's "no such
# payment" is believed (services/settling.py). For automation on slow links, and for tests.
READ_TIMEOUT_ENV = "POS_APP_READ_TIMEOUT_S"
SETTLE_GRACE_ENV = "POS_APP_SETTLE_GRACE_S"


def mode_folder(mode: Mode) -> Path:
    path = data_dir() / mode
    path.mkdir(exist_ok=True, mode=0o700)
    return path


def journal_path(mode: Mode) -> Path:
    return mode_folder(mode) / "journal.sqlite3"


def customers_path(mode: Mode, version: ApiVersion = "v1") -> Path:
    """The customer index of `mode` for one PortOne API: V1 and V2 keep their saved cards
    apart (a card saved under V1 has no V2 billing key, and asking V2 about it must not drop it
    from V1's list). The journal is shared: both move the shop's money."""
    name = "customers-v2.sqlite3" if version == "v2" else "customers.sqlite3"
    return mode_folder(mode) / name


def senders_folder(mode: Mode) -> Path:
    """Where each running till keeps its sender lease (store/leases.py)."""
    return mode_folder(mode) / "senders"


def folder_id(folder: Path | None = None) -> str:
    """A data folder's own random id (created once, kept in `<data folder>/folder-id`; this one's
    by default): names its embedded sandbox among the counters sharing a store server, and the
    rows copied from it there (`pos-app db import-sqlite`)."""
    import secrets

    path = (folder or data_dir()) / "folder-id"
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if len(text) == 16 and all(c in "0123456789abcdef" for c in text):
        return text
    text = secrets.token_hex(8)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("ascii"))
    finally:
        os.close(fd)
    return text


def open_store(
    mode: Mode, *, terminal: str, version: ApiVersion = "v1", with_lease: bool = True
) -> Store:
    """Where this till keeps its records (store/backend.py): the shop's store server when one is
    set (services/store_server.py), else this counter's SQLite files. `version` chooses the
    customer index (customers_path). Raises StorageError."""
    from pos_app.services.store_server import configured_address
    from pos_app.store import backend
    from pos_app.store.db import lock_wait_s

    address = configured_address()
    if address is None:
        return backend.open_files(mode_folder(mode), customers_path(mode, version).name)
    from pos_app.store.customers import TABLES

    return backend.open_server(
        address,
        mode,
        terminal=terminal,
        customers_table=TABLES[version],
        lock_wait_s=lock_wait_s(),
        with_lease=with_lease,
    )


def seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from the environment, else `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not 0 <= value <= 3600:
        raise ValueError(f"{name} must be between 0 and 3600 seconds, not {raw!r}")
    return value


def shop_server_chosen() -> bool:
    """Whether the shop keeps its records on a store server (services/store_server.py): then
    the staff and the audit trail are there too, whatever files this data folder has."""
    from pos_app.services.store_server import server_chosen

    return server_chosen()


def staff_kept() -> bool:
    """Whether there is a staff list to read: the staff file, or the store server's."""
    return shop_server_chosen() or staff_path().exists()


def audit_kept() -> bool:
    """Whether there is an audit trail to read: the audit file, or the store server's."""
    return shop_server_chosen() or audit_path().exists()


def audit_where() -> str:
    """Where the audit trail is, for people: its file, or the store server's schema."""
    from pos_app.services.store_server import configured_address

    address = configured_address() if shop_server_chosen() else None
    if address is None:
        return str(audit_path())
    from pos_app.store.pg_schema import SHOP_SCHEMA

    return f"{address.describe()} ({SHOP_SCHEMA})"


def open_audit_log() -> AuditLog:
    """The audit trail: the shop's store server when one is set (one chain for every counter),
    else this counter's file. Raises StorageError."""
    from pos_app.services.store_server import configured_address
    from pos_app.store import backend
    from pos_app.store.audit import AuditLog
    from pos_app.store.db import lock_wait_s

    address = configured_address()
    if address is None:
        return AuditLog(audit_path())
    return backend.open_audit(address, lock_wait_s=lock_wait_s())


def open_staff_store(beside: AuditLog | None = None) -> StaffStore:
    """The staff list: the store server's when one is set (over `beside`'s connection when that
    trail is the server's too), else this counter's file. Raises StorageError."""
    from pos_app.services.store_server import configured_address
    from pos_app.store import backend
    from pos_app.store.db import lock_wait_s
    from pos_app.store.staff import StaffStore

    address = configured_address()
    if address is None:
        return StaffStore(staff_path())
    return backend.open_staff(address, lock_wait_s=lock_wait_s(), beside=beside)


def staff_path() -> Path:
    """Staff and their PIN hashes: one file for the counter, not one per mode, because the same
    people work in training and live, and switching the mode must not switch off sign-in."""
    return data_dir() / "staff.sqlite3"


def audit_path() -> Path:
    """The audit trail, one for the counter (its entries say the mode where it matters)."""
    return data_dir() / "audit.sqlite3"


def sandbox_state_path() -> Path:
    return data_dir() / "sandbox-state.json"


def terminal_id(settings: TillSettings | None = None) -> str:
    """POS_APP_TERMINAL (automation, several tills on one machine) over the saved setting."""
    return os.environ.get(TERMINAL_ENV) or (settings or TillSettings()).terminal_id


class SavedSettingInvalid(InvalidSetting):
    """A value in the saved settings file that the till cannot do without is unacceptable: the
    live API host. Falling back to the default host would send live charges somewhere the
    person did not choose, so it is an error that names the file and the setting."""

    def __init__(self, field: str, code: str, path: Path) -> None:
        self.path = path
        super().__init__(field, code)

    def message(self, lang: str = "ko") -> str:
        problem = super().message(lang)
        if lang == "en":
            return (
                f"Settings file {self.path}: {problem} Correct it in the settings window (API "
                "host) or in the file; until then nothing is charged."
            )
        return (
            f"설정 파일 {self.path}: {problem} 설정 창의 API 주소나 파일을 고치세요. 그때까지 "
            "결제하지 않습니다."
        )


def saved_settings(*, strict_api_host: bool = True) -> TillSettings:
    """The saved settings as a till opens with them (services/settings.py, read from the one
    settings file the window writes): defaults when there is no file, and per value when one is
    unacceptable — except the API host of a till set to live: that raises SavedSettingInvalid
    (unless `strict_api_host` is off, for a till told to use a sandbox, which needs no API
    host)."""
    saved = read_settings()
    settings = load_till_settings(saved)
    if settings.live and strict_api_host:
        refused = invalid_saved_api_host(saved)
        if refused is not None:
            raise SavedSettingInvalid(refused[1].field, refused[1].code, saved.path)
    return settings


def requested_sandbox() -> str | None:
    """The sandbox address named by POS_APP_API_BASE, if any."""
    return os.environ.get(API_BASE_ENV) or None


class NotLoopback(ValueError):
    """POS_APP_API_BASE (or an explicit sandbox address) is not on this computer."""

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(f"sandbox address must be on loopback (127.0.0.1), not {host!r}")

    def message(self, lang: str = "ko") -> str:
        if lang == "en":
            return (
                f"The sandbox address ({API_BASE_ENV}) must be on this computer (127.0.0.1, "
                f"localhost), not {self.host!r}."
            )
        return (
            f"샌드박스 주소({API_BASE_ENV})는 이 컴퓨터(127.0.0.1, localhost)여야 합니다: "
            f"{self.host!r}"
        )


def check_loopback(api_base: str) -> str:
    """A sandbox address must be on this computer: test credentials never leave it."""
    host = urlsplit(api_base).hostname or ""
    if not is_loopback_host(host):
        raise NotLoopback(host)
    return api_base.rstrip("/")


def load_credentials() -> Credentials | None:
    """The keychain's PortOne credentials; None when absent or the keychain is unusable."""
    from pos_app.services import credentials

    try:
        return credentials.load_credentials()
    except Exception:  # a broken keychain means "no live credentials", not a crash
        return None


def load_v2_secret() -> V2Secret | None:
    """The keychain's PortOne V2 API secret; None when absent or the keychain is unusable."""
    from pos_app.services import credentials

    try:
        return credentials.load_v2_secret()
    except Exception:  # a broken keychain means "no live credentials", not a crash
        return None


class BadApiVersion(InvalidSetting):
    """POS_APP_API_VERSION is neither v1 nor v2 (a settings problem, shown as one)."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__("api_version", "api_version")

    def message(self, lang: str = "ko") -> str:
        if lang == "en":
            return f"{API_VERSION_ENV} must be v1 or v2, not {self.value!r}."
        return f"{API_VERSION_ENV}는 v1 또는 v2 여야 합니다: {self.value!r}"


def api_version(settings: TillSettings | None = None) -> ApiVersion:
    """POS_APP_API_VERSION (v1|v2) over the saved setting; BadApiVersion for anything else
    (a typo must not quietly pick the other API)."""
    raw = os.environ.get(API_VERSION_ENV, "").strip().lower()
    if raw == "v1":
        return "v1"
    if raw == "v2":
        return "v2"
    if raw:
        raise BadApiVersion(raw)
    return (settings or TillSettings()).api_version


def live_ready(settings: TillSettings, version: ApiVersion) -> bool:
    """Live was chosen and what that version needs is there: V1's key pair in the keychain;
    V2's API secret in the keychain and its key-in channel key in the settings."""
    if not settings.live:
        return False
    if version == "v2":
        return bool(settings.v2_channel_key) and load_v2_secret() is not None
    return load_credentials() is not None


def current_version() -> ApiVersion:
    """The PortOne API open_till() would use (POS_APP_API_VERSION over the saved setting)."""
    return api_version(saved_settings(strict_api_host=False))


def current_mode(settings: TillSettings | None = None) -> Mode:
    """The mode open_till() would choose, without opening anything."""
    if requested_sandbox():
        return "sandbox"
    chosen = settings or saved_settings()
    return "live" if live_ready(chosen, api_version(chosen)) else "sandbox"

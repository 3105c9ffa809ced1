"""The settings dialog's work off the GUI thread: keychain calls and connection checks, each a
plain function the dialog submits to its `TaskThread` (ui/task_thread.py: the window's one worker
pattern), with a typed answer back on the GUI thread.

The keychain is a daemon behind D-Bus that may wait for a person to unlock it, and a connection
check is a network round trip: neither may freeze the dialog. Whether PortOne takes the
credentials is asked by services/credentials.py (`check_v1`, `check_v2`), the same question
`pos-app credentials check` asks; this only words the answer for the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.services.credentials import (
    ConnectionCheck,
    Credentials,
    KeychainUnavailable,
    V2Secret,
    backend_name,
    clear_credentials,
    clear_v2_secret,
    load_credentials,
    load_v2_secret,
    save_credentials,
    save_v2_secret,
    usable_backend,
)

if TYPE_CHECKING:
    from pos_app.services.store_server import StoreServerSettings

# Short on purpose: a person is waiting for the answer.
CHECK_CONNECT_TIMEOUT_S = 5.0
CHECK_READ_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class KeychainState:
    usable: bool
    backend: str
    saved: bool  # V1's key pair
    problem: KeychainUnavailable | None = None
    v2_saved: bool = False  # V2's API secret


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    message: str  # PortOne's own text on failure when it gave one


@dataclass(frozen=True)
class CredentialsChange:
    """What Save asks of the keychain: store `credentials`, or remove the pair when `clear`;
    the same for V2's API secret (`v2_secret`, `clear_v2`)."""

    credentials: Credentials | None = None
    clear: bool = False
    v2_secret: V2Secret | None = None
    clear_v2: bool = False


@dataclass(frozen=True)
class V1Check:
    """A V1 connection check: the typed pair (None: the saved one) and the API host."""

    credentials: Credentials | None
    api_host: str


@dataclass(frozen=True)
class V2Check:
    """A V2 connection check: the typed secret (None: the saved one) and where to ask."""

    secret: V2Secret | None
    store_id: str
    channel_key: str
    base_url: str


@dataclass(frozen=True)
class ChangeResult:
    ok: bool
    problem: KeychainUnavailable | None = None


def inspect_keychain() -> KeychainState:
    try:
        backend = usable_backend()
        saved = load_credentials(strict=True) is not None
        v2_saved = load_v2_secret(strict=True) is not None
        return KeychainState(True, backend_name(backend), saved, None, v2_saved)
    except KeychainUnavailable as exc:
        return KeychainState(False, exc.detail, False, exc)


def apply_change(change: CredentialsChange) -> ChangeResult:
    try:
        if change.clear:
            clear_credentials()
        if change.credentials is not None:
            save_credentials(change.credentials)
        if change.clear_v2:
            clear_v2_secret()
        if change.v2_secret is not None:
            save_v2_secret(change.v2_secret)
    except KeychainUnavailable as exc:
        return ChangeResult(False, exc)
    return ChangeResult(True)


def check_connection(check: V1Check | V2Check) -> ConnectionResult:
    """Ask PortOne whether it takes the credentials (services/credentials.py), in the dialog's
    words."""
    from pos_app.services.credentials import check_v1, check_v2

    if isinstance(check, V2Check):
        found = check_v2(
            check.base_url,
            check.secret,
            store_id=check.store_id,
            channel_key=check.channel_key,
            connect_timeout=CHECK_CONNECT_TIMEOUT_S,
            read_timeout=CHECK_READ_TIMEOUT_S,
            retry=False,
        )
        return _worded(found, "V2 API 시크릿을 먼저 입력하세요.", "V2 API 시크릿을")
    found = check_v1(
        check.api_host,
        check.credentials,
        connect_timeout=CHECK_CONNECT_TIMEOUT_S,
        read_timeout=CHECK_READ_TIMEOUT_S,
    )
    return _worded(found, "API 키와 시크릿을 먼저 입력하세요.", "API 키를")


def _worded(found: ConnectionCheck, missing: str, what: str) -> ConnectionResult:
    if found.ok:
        return ConnectionResult(True, f"연결되었습니다. PortOne이 {what} 확인했습니다.")
    if found.outcome == "missing":
        return ConnectionResult(False, missing)
    if found.outcome == "unreachable":
        return ConnectionResult(False, f"PortOne에 연결할 수 없습니다: {found.message}")
    return ConnectionResult(False, found.message)


def check_store(settings: StoreServerSettings, password: str) -> ConnectionResult:
    """The 매장 서버 box's check (a server that does not answer takes seconds to say so)."""
    from pos_app.services.store_server import check_connection as check_server

    ok, message = check_server(settings, password or None)
    return ConnectionResult(ok, message)


def save_store_password(password: str | None) -> ChangeResult:
    """The store server's password into the keychain (None: removed)."""
    from pos_app.services.credentials import save_store_password as save

    try:
        save(password)
    except KeychainUnavailable as exc:
        return ChangeResult(False, exc)
    return ChangeResult(True)

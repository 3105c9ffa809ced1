"""The settings dialog's worker: keychain calls and the connection check, off the GUI thread.

The keychain is a daemon behind D-Bus that may wait for a person to unlock it, and the
connection check is an HTTPS round trip: neither may freeze the window. One `SettingsWorker`
lives on one QThread; the dialog sends it requests through signals and gets every answer back
through `answered` on the GUI thread. Each request carries an id so the dialog can ignore a late
answer to a question it no longer asks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from pos_app.services.credentials import (
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

# Short on purpose: the dialog waits for the worker when it closes.
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


def _forget_foreign_thread() -> None:
    # Python 3.11 registers a never-removed _DummyThread for a Qt thread the first time anything
    # (logging, for one) asks threading for the current thread; drop it so the thread's end is
    # visible to threading.enumerate() and the test suite's dangling-thread check.
    active: dict[int, threading.Thread] = getattr(threading, "_active", {})
    thread = active.get(threading.get_ident())
    if isinstance(thread, threading._DummyThread):
        active.pop(threading.get_ident(), None)


class SettingsWorker(QObject):
    """Runs on its own QThread. Slots take (request_id, request); answers go to `answered`."""

    answered = Signal(int, object)

    @Slot(int)
    def inspect_keychain(self, request_id: int) -> None:
        try:
            try:
                backend = usable_backend()
                saved = load_credentials(strict=True) is not None
                v2_saved = load_v2_secret(strict=True) is not None
                state = KeychainState(True, backend_name(backend), saved, None, v2_saved)
            except KeychainUnavailable as exc:
                state = KeychainState(False, exc.detail, False, exc)
            self.answered.emit(request_id, state)
        finally:
            _forget_foreign_thread()

    @Slot(int, object)
    def apply_change(self, request_id: int, change: CredentialsChange) -> None:
        try:
            try:
                if change.clear:
                    clear_credentials()
                if change.credentials is not None:
                    save_credentials(change.credentials)
                if change.clear_v2:
                    clear_v2_secret()
                if change.v2_secret is not None:
                    save_v2_secret(change.v2_secret)
                result = ChangeResult(True)
            except KeychainUnavailable as exc:
                result = ChangeResult(False, exc)
            self.answered.emit(request_id, result)
        finally:
            _forget_foreign_thread()

    @Slot(int, str, object)
    def check_connection(
        self, request_id: int, api_host: str, credentials: Credentials | None
    ) -> None:
        try:
            self.answered.emit(request_id, self._check(api_host, credentials))
        finally:
            _forget_foreign_thread()

    def _check(self, api_host: str, credentials: Credentials | V2Check | None) -> ConnectionResult:
        from pos_app.gateway.client import PortOneClient
        from pos_app.gateway.errors import AuthenticationFailed, PortOneError, Unavailable

        if isinstance(credentials, V2Check):
            return self._check_v2(credentials)
        if credentials is None:
            try:
                credentials = load_credentials(strict=True)
            except KeychainUnavailable as exc:
                return ConnectionResult(False, exc.message())
        if credentials is None:
            return ConnectionResult(False, "API 키와 시크릿을 먼저 입력하세요.")
        try:
            with PortOneClient(
                api_host,
                credentials.imp_key,
                credentials.imp_secret,
                connect_timeout=CHECK_CONNECT_TIMEOUT_S,
                read_timeout=CHECK_READ_TIMEOUT_S,
            ) as client:
                client.get_token()
        except AuthenticationFailed as exc:
            return ConnectionResult(False, exc.message)
        except Unavailable as exc:
            return ConnectionResult(False, f"PortOne에 연결할 수 없습니다: {exc.message}")
        except PortOneError as exc:
            return ConnectionResult(False, exc.message)
        return ConnectionResult(True, "연결되었습니다. PortOne이 API 키를 확인했습니다.")

    def _check_v2(self, check: V2Check) -> ConnectionResult:
        """Ask PortOne V2 whether it takes the secret (and the store id): a lookup of a payment
        no order has answers "not found" when it does (PortOneV2Client.verify_credentials)."""
        from pos_app.gateway.errors import AuthenticationFailed, PortOneError, Unavailable
        from pos_app.gateway.portone_v2 import PortOneV2Client

        secret = check.secret
        if secret is None:
            try:
                secret = load_v2_secret(strict=True)
            except KeychainUnavailable as exc:
                return ConnectionResult(False, exc.message())
        if secret is None:
            return ConnectionResult(False, "V2 API 시크릿을 먼저 입력하세요.")
        try:
            with PortOneV2Client(
                check.base_url,
                secret.secret,
                channel_key=check.channel_key,
                store_id=check.store_id or None,
                connect_timeout=CHECK_CONNECT_TIMEOUT_S,
                read_timeout=CHECK_READ_TIMEOUT_S,
            ) as client:
                client.retry_delays = ()
                client.verify_credentials()
        except AuthenticationFailed as exc:
            return ConnectionResult(False, exc.message)
        except Unavailable as exc:
            return ConnectionResult(False, f"PortOne에 연결할 수 없습니다: {exc.message}")
        except PortOneError as exc:
            return ConnectionResult(False, exc.message)
        return ConnectionResult(True, "연결되었습니다. PortOne이 V2 API 시크릿을 확인했습니다.")


class StoreServerWorker(QObject):
    """The 매장 서버 part of the dialog: its connection check and its password in the keychain,
    off the GUI thread (a server that does not answer takes seconds to say so)."""

    answered = Signal(int, object)

    @Slot(int, object, str)
    def check_store(self, request_id: int, settings: object, password: str) -> None:
        from pos_app.services.store_server import StoreServerSettings, check_connection

        try:
            assert isinstance(settings, StoreServerSettings)
            ok, message = check_connection(settings, password or None)
            self.answered.emit(request_id, ConnectionResult(ok, message))
        finally:
            _forget_foreign_thread()

    @Slot(int, str, bool)
    def save_store_password(self, request_id: int, password: str, clear: bool) -> None:
        from pos_app.services.credentials import save_store_password

        try:
            try:
                save_store_password(None if clear else password)
                result = ChangeResult(True)
            except KeychainUnavailable as exc:
                result = ChangeResult(False, exc)
            self.answered.emit(request_id, result)
        finally:
            _forget_foreign_thread()


class WorkerThread:
    """A SettingsWorker on a started QThread; `stop()` quits and waits (idempotent)."""

    def __init__(self) -> None:
        self.thread = QThread()
        self.thread.setObjectName("settings-worker")
        self.worker = SettingsWorker()
        self.worker.moveToThread(self.thread)
        self.thread.finished.connect(self.worker.deleteLater)
        self.store_worker = StoreServerWorker()
        self.store_worker.moveToThread(self.thread)
        self.thread.finished.connect(self.store_worker.deleteLater)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.isRunning():
            self.thread.quit()
            self.thread.wait()

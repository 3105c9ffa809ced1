"""PortOne API credentials, kept only in the operating system's keychain: V1's REST API key pair
(imp_key, imp_secret) and V2's API secret.

They go through `keyring` under the service name "pos-app" (usernames "imp_key" and
"imp_secret"; "v2_api_secret" for V2), and only ever to an operating system's own keychain: an
allow-list of keyring's backends by their exact class (`ALLOWED_BACKENDS`: the Secret Service,
through D-Bus or libsecret, with gnome-keyring or KWallet behind it; KWallet directly; the macOS
Keychain; the Windows Credential Locker). Anything else — no backend (`fail`, `null`), a file
backend (`keyrings.alt`), any third-party or home-made backend, even a subclass of an allowed one —
counts as no keychain: the app then runs in sandbox mode only and never falls back to writing
the secret anywhere else.

Every call here may talk to a daemon over D-Bus (and the daemon may wait for a person to unlock
the keychain), so the GUI calls these from its worker thread, never from the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

SERVICE = "pos-app"
KEY_USERNAME = "imp_key"
SECRET_USERNAME = "imp_secret"
V2_SECRET_USERNAME = "v2_api_secret"
# The shop's store server password (services/store_server.py), in the same keychain.
STORE_PASSWORD_USERNAME = "store_password"

# The operating systems' own keychains, by the exact "module.Class" of keyring's backends.
# An exact match, not isinstance: a subclass can override set_password to write anywhere.
ALLOWED_BACKENDS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",  # Secret Service over D-Bus (secretstorage)
        "keyring.backends.libsecret.Keyring",  # the same Secret Service, through libsecret
        "keyring.backends.kwallet.DBusKeyring",  # KWallet 5/6
        "keyring.backends.macOS.Keyring",  # the macOS Keychain
        "keyring.backends.Windows.WinVaultKeyring",  # the Windows Credential Locker
    }
)
# Backends that mean "there is no keychain" rather than "an unsafe one".
_NO_KEYCHAIN = frozenset({"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"})

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Credentials:
    """PortOne's REST API key pair. repr/str never show either part."""

    imp_key: str = field(repr=False)
    imp_secret: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.imp_key.strip() or not self.imp_secret.strip():
            raise ValueError("imp_key and imp_secret must both be given")
        if any(c in "\r\n" for c in self.imp_key + self.imp_secret):
            raise ValueError("imp_key and imp_secret are single lines")

    def __repr__(self) -> str:
        return "Credentials(imp_key=<hidden>, imp_secret=<hidden>)"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("Credentials are not picklable: they live only in the keychain")


@dataclass(frozen=True, slots=True)
class V2Secret:
    """PortOne V2's API secret (`Authorization: PortOne <secret>`). repr/str never show it."""

    secret: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.secret.strip():
            raise ValueError("the V2 API secret must be given")
        if any(c in "\r\n" for c in self.secret) or self.secret != self.secret.strip():
            raise ValueError("the V2 API secret is one line with no surrounding spaces")

    def __repr__(self) -> str:
        return "V2Secret(<hidden>)"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("V2Secret is not picklable: it lives only in the keychain")


class KeychainUnavailable(Exception):
    """No keychain the app may use: missing, unsafe (files), locked, or access denied.

    `reason` is one of "no-backend", "unsafe-backend", "locked", "error"; `detail` names the
    backend or the underlying error (never a secret). `str()` is the Korean message.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(self.message("ko"))

    def message(self, lang: str = "ko") -> str:
        en = lang == "en"
        if self.reason == "no-backend":
            text = (
                "No usable keychain was found (no Secret Service, Keychain or Credential "
                "Manager). Live mode is off; the app works in sandbox mode."
                if en
                else "사용할 수 있는 키체인이 없습니다(Secret Service·키체인·자격 증명 관리자 "
                "없음). 실거래 모드는 꺼지고 샌드박스 모드로만 동작합니다."
            )
        elif self.reason == "unsafe-backend":
            text = (
                "The configured keyring is not one of the operating system keychains this app "
                "trusts (Secret Service, KWallet, macOS Keychain, Windows Credential Locker), so "
                "no secret is given to it. Use the system keychain; until then the app works in "
                "sandbox mode."
                if en
                else "설정된 키링은 이 프로그램이 믿는 운영체제 키체인(Secret Service, KWallet, "
                "macOS 키체인, Windows 자격 증명 관리자)이 아니므로 비밀값을 맡기지 않습니다. "
                "시스템 키체인을 사용하세요. 그때까지는 샌드박스 모드로만 동작합니다."
            )
        elif self.reason == "locked":
            text = (
                "The keychain is locked. Unlock it (log in again or open the keyring "
                "manager) and try again."
                if en
                else "키체인이 잠겨 있습니다. 잠금을 해제한 뒤(다시 로그인하거나 키링 관리자에서) "
                "다시 시도하세요."
            )
        else:
            text = (
                "The keychain refused the request. Check that this user may use it."
                if en
                else "키체인이 요청을 거부했습니다. 이 사용자가 키체인을 쓸 수 있는지 확인하세요."
            )
        return f"{text} ({self.detail})" if self.detail else text


def backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def is_allowed(backend: Any) -> bool:
    """One of the operating systems' keychains, by its exact class."""
    return backend_name(backend) in ALLOWED_BACKENDS


def usable_backend() -> Any:
    """The keychain backend to use, or raise KeychainUnavailable.

    keyring's ChainerBackend (chosen when several backends are installed) is opened up: its
    first allowed member is used directly, and the rest are never asked or given anything, so a
    file backend in the chain can neither receive a secret nor supply one. A chain with no
    allowed member is refused like any other backend.
    """
    import keyring
    from keyring.backends.chainer import ChainerBackend

    backend = keyring.get_keyring()
    # The chainer's own methods are never called, only its members (each checked by its exact
    # class), so any ChainerBackend, subclass or not, can only lead to an allowed keychain.
    members = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    allowed = [b for b in members if is_allowed(b)]
    if allowed:
        if len(members) > 1:
            ignored = [backend_name(b) for b in members if b is not allowed[0]]
            log.info("keychain %s; not used: %s", backend_name(allowed[0]), ", ".join(ignored))
        return allowed[0]
    refused = [backend_name(b) for b in members if backend_name(b) not in _NO_KEYCHAIN]
    if refused:
        raise KeychainUnavailable("unsafe-backend", ", ".join(refused))
    raise KeychainUnavailable("no-backend", backend_name(backend))


def _closing_connections(backend: Any) -> Any:
    """The Secret Service backend with its D-Bus connection closed on every path.

    keyring 25.7's `SecretService.Keyring.get_preferred_collection` opens a connection and
    leaves it open when the collection cannot be opened or unlocked (InitError, KeyringLocked):
    a till that runs for days would gather one open socket per failed keychain call (a locked
    keychain is asked again at every start of the settings dialog). Other backends as they are.
    """
    from keyring.backends import SecretService

    if type(backend) is not SecretService.Keyring:
        return backend

    class ClosingSecretService(SecretService.Keyring):
        def get_preferred_collection(self) -> Any:
            import secretstorage
            from keyring.errors import InitError, KeyringLocked

            bus = secretstorage.dbus_init()
            try:
                if hasattr(self, "preferred_collection"):
                    collection = secretstorage.Collection(bus, self.preferred_collection)
                else:
                    collection = secretstorage.get_default_collection(bus)
                if collection.is_locked():
                    collection.unlock()
                    if collection.is_locked():  # the person dismissed the prompt
                        raise KeyringLocked("Failed to unlock the collection!")
            except secretstorage.exceptions.SecretStorageException as exc:
                bus.close()
                raise InitError(f"Failed to create the collection: {exc}.") from exc
            except BaseException:
                bus.close()
                raise
            return collection

    # The same backend, already set up by keyring: its state, this class's method.
    fixed = object.__new__(ClosingSecretService)
    fixed.__dict__.update(backend.__dict__)
    return fixed


def _keychain_error(exc: Exception) -> KeychainUnavailable:
    from keyring.errors import KeyringLocked

    # secretstorage and jeepney raise their own types for a locked collection or a denied call.
    name = type(exc).__name__
    if isinstance(exc, KeyringLocked) or "Locked" in name or "Dismissed" in name:
        return KeychainUnavailable("locked", name)
    return KeychainUnavailable("error", name)


def load_credentials(*, strict: bool = False) -> Credentials | None:
    """The saved pair, or None when none is saved.

    With no usable keychain this returns None (the app stays in sandbox mode) unless `strict`,
    when it raises KeychainUnavailable so that a person can be told why.
    """
    try:
        backend = _closing_connections(usable_backend())
        try:
            key = backend.get_password(SERVICE, KEY_USERNAME)
            secret = backend.get_password(SERVICE, SECRET_USERNAME)
        except Exception as exc:  # any backend failure means "no keychain", not a crash
            raise _keychain_error(exc) from None
    except KeychainUnavailable as exc:
        if strict:
            raise
        log.warning("keychain unavailable, credentials not loaded: %s", exc.reason)
        return None
    if not key or not secret:
        return None
    return Credentials(key, secret)


def save_credentials(credentials: Credentials) -> None:
    """Store (or replace) the pair; raise KeychainUnavailable if the keychain will not take it.

    A failure half-way restores what was there before, so the keychain never holds a key from
    one pair and a secret from another.
    """
    backend = _closing_connections(usable_backend())
    try:
        previous = (
            backend.get_password(SERVICE, KEY_USERNAME),
            backend.get_password(SERVICE, SECRET_USERNAME),
        )
    except Exception as exc:
        raise _keychain_error(exc) from None
    try:
        backend.set_password(SERVICE, SECRET_USERNAME, credentials.imp_secret)
        backend.set_password(SERVICE, KEY_USERNAME, credentials.imp_key)
    except Exception as exc:
        error = _keychain_error(exc)
        _restore(backend, previous)
        raise error from None
    log.info("PortOne credentials saved in the keychain (%s)", backend_name(backend))


def _restore(backend: Any, previous: tuple[str | None, str | None]) -> None:
    for username, value in zip((KEY_USERNAME, SECRET_USERNAME), previous, strict=True):
        try:
            if value is None:
                backend.delete_password(SERVICE, username)
            else:
                backend.set_password(SERVICE, username, value)
        except Exception:  # best effort: the original error is what the person needs to see
            log.warning("could not restore the previous %s after a failed save", username)


def clear_credentials() -> bool:
    """Remove the pair; True if something was removed. Raise KeychainUnavailable on failure."""
    from keyring.errors import PasswordDeleteError

    backend = _closing_connections(usable_backend())
    removed = False
    for username in (KEY_USERNAME, SECRET_USERNAME):
        try:
            backend.delete_password(SERVICE, username)
            removed = True
        except PasswordDeleteError:
            pass  # nothing saved under this name
        except Exception as exc:
            raise _keychain_error(exc) from None
    if removed:
        log.info("PortOne credentials removed from the keychain")
    return removed


def load_v2_secret(*, strict: bool = False) -> V2Secret | None:
    """The saved V2 API secret, or None (as `load_credentials`: no usable keychain is None
    unless `strict`)."""
    try:
        backend = usable_backend()
        try:
            secret = backend.get_password(SERVICE, V2_SECRET_USERNAME)
        except Exception as exc:
            raise _keychain_error(exc) from None
    except KeychainUnavailable as exc:
        if strict:
            raise
        log.warning("keychain unavailable, V2 secret not loaded: %s", exc.reason)
        return None
    return V2Secret(secret) if secret else None


def save_v2_secret(secret: V2Secret) -> None:
    """Store (or replace) the V2 API secret; KeychainUnavailable if the keychain will not."""
    backend = usable_backend()
    try:
        backend.set_password(SERVICE, V2_SECRET_USERNAME, secret.secret)
    except Exception as exc:
        raise _keychain_error(exc) from None
    log.info("PortOne V2 API secret saved in the keychain (%s)", backend_name(backend))


def clear_v2_secret() -> bool:
    """Remove the V2 API secret; True if one was removed."""
    from keyring.errors import PasswordDeleteError

    backend = usable_backend()
    try:
        backend.delete_password(SERVICE, V2_SECRET_USERNAME)
    except PasswordDeleteError:
        return False
    except Exception as exc:
        raise _keychain_error(exc) from None
    log.info("PortOne V2 API secret removed from the keychain")
    return True


def load_store_password() -> str | None:
    """The store server's password from the keychain; None when none is saved or there is no
    keychain the app may use (libpq's own PGPASSWORD / .pgpass still apply)."""
    try:
        backend = _closing_connections(usable_backend())
        try:
            value = backend.get_password(SERVICE, STORE_PASSWORD_USERNAME)
        except Exception as exc:
            raise _keychain_error(exc) from None
    except KeychainUnavailable as exc:
        log.info("keychain unavailable, store server password not loaded: %s", exc.reason)
        return None
    return value or None


def save_store_password(password: str | None) -> None:
    """Store (or, with None / "", remove) the store server's password; raises
    KeychainUnavailable when the keychain will not take it."""
    from keyring.errors import PasswordDeleteError

    backend = _closing_connections(usable_backend())
    try:
        if password:
            backend.set_password(SERVICE, STORE_PASSWORD_USERNAME, password)
        else:
            with contextlib.suppress(PasswordDeleteError):  # nothing saved: nothing to do
                backend.delete_password(SERVICE, STORE_PASSWORD_USERNAME)
    except Exception as exc:
        raise _keychain_error(exc) from None


# -- does PortOne take them? -----------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionCheck:
    """What asking PortOne whether it takes the credentials came to.

    ok: it does. refused: PortOne said no (`message`: its own words). unreachable: no answer
    (`message`: why). missing: none given and none saved. keychain: the saved ones could not be
    read (`problem` says why)."""

    outcome: Literal["ok", "refused", "unreachable", "missing", "keychain"]
    message: str = ""
    problem: KeychainUnavailable | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def check_v1(
    api_host: str,
    credentials: Credentials | None = None,
    *,
    connect_timeout: float = 10.0,
    read_timeout: float = 30.0,
) -> ConnectionCheck:
    """Ask PortOne V1 at `api_host` for a token with `credentials` (None: the saved pair). The
    settings dialog (연결 확인) and `pos-app credentials check` both ask here."""
    from pos_app.gateway.client import PortOneClient

    if credentials is None:
        try:
            credentials = load_credentials(strict=True)
        except KeychainUnavailable as exc:
            return ConnectionCheck("keychain", exc.message(), exc)
    if credentials is None:
        return ConnectionCheck("missing")
    pair = credentials

    def ask() -> None:
        with PortOneClient(
            api_host,
            pair.imp_key,
            pair.imp_secret,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        ) as client:
            client.get_token()

    return _asked(ask)


def check_v2(
    base_url: str,
    secret: V2Secret | None = None,
    *,
    store_id: str = "",
    channel_key: str = "",
    connect_timeout: float = 10.0,
    read_timeout: float = 30.0,
    retry: bool = True,
) -> ConnectionCheck:
    """Ask PortOne V2 at `base_url` whether it takes the API secret (None: the saved one) and
    the store id: a lookup of a payment no order has answers "not found" when it does
    (PortOneV2Client.verify_credentials). `retry` off: one try (a person is waiting). The
    timeouts are the clients' own unless given (the dialog's are short)."""
    from pos_app.gateway.portone_v2 import PortOneV2Client

    if secret is None:
        try:
            secret = load_v2_secret(strict=True)
        except KeychainUnavailable as exc:
            return ConnectionCheck("keychain", exc.message(), exc)
    if secret is None:
        return ConnectionCheck("missing")
    key = secret.secret

    def ask() -> None:
        with PortOneV2Client(
            base_url,
            key,
            channel_key=channel_key,
            store_id=store_id or None,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        ) as client:
            if not retry:
                client.retry_delays = ()
            client.verify_credentials()

    return _asked(ask)


def _asked(ask: Callable[[], None]) -> ConnectionCheck:
    from pos_app.gateway.errors import PortOneError, Unavailable

    try:
        ask()
    except Unavailable as exc:
        return ConnectionCheck("unreachable", exc.message)
    except PortOneError as exc:  # AuthenticationFailed, or another refusal
        return ConnectionCheck("refused", exc.message)
    return ConnectionCheck("ok")

"""The key pair through the real Secret Service: save, read back, replace, clear; unsafe or
missing keychains are refused, never worked around."""

from __future__ import annotations

import logging
import pickle
import secrets
from pathlib import Path

import keyring
import pytest
from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend

from pos_app.services.credentials import (
    SERVICE,
    Credentials,
    KeychainUnavailable,
    backend_name,
    clear_credentials,
    load_credentials,
    save_credentials,
    usable_backend,
)
from pos_app.services.places import current_mode
from pos_app.services.setting_rules import STATIC_IP_API_HOST
from pos_app.services.settings import TillSettings


def new_pair() -> Credentials:
    return Credentials(f"key{secrets.token_hex(8)}", f"secret{secrets.token_hex(24)}")


def files_holding(folder: Path, *needles: str) -> list[Path]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n.encode() in data for n in needles):
                hits.append(path)
    return hits


@pytest.mark.usefixtures("secret_service")
def test_save_read_back_replace_and_clear() -> None:
    assert load_credentials() is None
    first = new_pair()
    save_credentials(first)
    assert load_credentials() == first
    # Stored where people are told to look: service "pos-app", usernames imp_key / imp_secret.
    assert keyring.get_password(SERVICE, "imp_key") == first.imp_key
    assert keyring.get_password(SERVICE, "imp_secret") == first.imp_secret

    second = new_pair()
    save_credentials(second)
    assert load_credentials() == second

    assert clear_credentials() is True
    assert load_credentials() is None
    assert clear_credentials() is False


@pytest.mark.usefixtures("secret_service")
def test_the_backend_is_named_and_the_secret_never_shown() -> None:
    assert "SecretService" in backend_name(usable_backend())
    assert load_credentials(strict=True) is None
    pair = new_pair()
    save_credentials(pair)
    loaded = load_credentials(strict=True)
    assert loaded == pair
    assert pair.imp_key not in repr(loaded) and pair.imp_secret not in repr(loaded)
    assert pair.imp_secret not in str(loaded)


@pytest.mark.usefixtures("secret_service")
def test_nothing_secret_reaches_the_data_folder_or_logs(pos_app_home: Path) -> None:
    # Every log record at every level goes to a file in the data folder during the save.
    pos_app_home.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(pos_app_home / "debug.log", encoding="utf-8")
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        pair = new_pair()
        save_credentials(pair)
        assert load_credentials() == pair
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    assert (pos_app_home / "debug.log").exists()
    assert files_holding(pos_app_home, pair.imp_key, pair.imp_secret) == []


def test_credentials_never_show_themselves() -> None:
    pair = new_pair()
    for text in (repr(pair), str(pair), f"{pair}", repr([pair])):
        assert pair.imp_key not in text and pair.imp_secret not in text
    with pytest.raises(TypeError):
        pickle.dumps(pair)
    with pytest.raises(ValueError):
        Credentials("key", "")
    with pytest.raises(ValueError):
        Credentials("key", "two\nlines")


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_keychain_is_refused_with_a_clear_message(
    keyring_backend: KeyringBackend, backend: KeyringBackend
) -> None:
    keyring.set_keyring(backend)
    with pytest.raises(KeychainUnavailable) as caught:
        usable_backend()
    assert caught.value.reason == "no-backend"
    assert "샌드박스" in caught.value.message("ko")
    assert "sandbox mode" in caught.value.message("en")
    # The app stays usable: no credentials means sandbox, not a crash.
    assert load_credentials() is None
    with pytest.raises(KeychainUnavailable):
        load_credentials(strict=True)
    with pytest.raises(KeychainUnavailable) as refused:
        save_credentials(new_pair())
    assert "sandbox" in refused.value.message("en")


def never_detected(cls: type) -> float:
    # keyring offers every KeyringBackend subclass to its auto-detection; a backend whose
    # priority raises is "not viable", so these test classes are used only when set explicitly.
    raise RuntimeError("test backend")


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt.file.PlaintextKeyring (refused by where it comes from)."""

    priority = properties.classproperty(never_detected)

    def __init__(self) -> None:
        self.set_properties_from_env()  # all KeyringBackend.__init__ does (untyped there)
        self.written: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.written.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.written[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.written.pop((service, username), None)


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_file_backends_are_refused_and_receive_nothing(keyring_backend: KeyringBackend) -> None:
    plaintext = PlaintextKeyring()
    keyring.set_keyring(plaintext)
    with pytest.raises(KeychainUnavailable) as caught:
        save_credentials(new_pair())
    assert caught.value.reason == "unsafe-backend"
    assert "keyrings.alt" in caught.value.detail
    assert plaintext.written == {}


class Chain(ChainerBackend):
    """A chain of the real Secret Service with a plaintext file backend below it."""

    priority = properties.classproperty(never_detected)
    viable = False  # ChainerBackend declares itself always viable
    backends: list[KeyringBackend] = []  # noqa: RUF012

    def __init__(self) -> None:
        self.set_properties_from_env()  # all KeyringBackend.__init__ does (untyped there)


@pytest.mark.usefixtures("secret_service")
def test_a_chain_uses_only_its_safe_member(keyring_backend: KeyringBackend) -> None:
    plaintext = PlaintextKeyring()
    Chain.backends = [keyring_backend, plaintext]
    keyring.set_keyring(Chain())
    assert usable_backend() is keyring_backend
    pair = new_pair()
    save_credentials(pair)
    assert load_credentials() == pair
    assert plaintext.written == {}
    Chain.backends = [plaintext]
    with pytest.raises(KeychainUnavailable) as caught:
        usable_backend()
    assert caught.value.reason == "unsafe-backend"


@pytest.mark.usefixtures("locked_keychain")
def test_a_locked_keychain_is_reported_not_worked_around() -> None:
    with pytest.raises(KeychainUnavailable) as caught:
        load_credentials(strict=True)
    assert caught.value.reason == "locked"
    assert "잠겨" in caught.value.message()
    assert load_credentials() is None  # the app carries on in sandbox mode
    with pytest.raises(KeychainUnavailable):
        save_credentials(new_pair())
    with pytest.raises(KeychainUnavailable) as locked:
        load_credentials(strict=True)
    assert "locked" in locked.value.message("en")


@pytest.mark.usefixtures("secret_service")
def test_live_only_when_chosen_and_the_pair_is_saved() -> None:
    live = TillSettings(mode="live", api_host=STATIC_IP_API_HOST)
    assert current_mode(live) == "sandbox"  # chosen, but no pair: sandbox
    pair = new_pair()
    save_credentials(pair)
    assert current_mode(live) == "live"
    assert current_mode(TillSettings(mode="sandbox")) == "sandbox"  # the pair alone: no choice

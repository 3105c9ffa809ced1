"""Keychain tests talk to a real Secret Service: the throwaway gnome-keyring that
tests/with_keyring.sh starts inside dbus-run-session (`make test` does both).

Anywhere else they skip, so that running pytest on a desktop never touches the person's own
keyring; with POS_APP_REQUIRE_KEYRING=1 (exported by with_keyring.sh) a missing Secret Service
is a failure instead, so `make test` cannot pass without exercising the keychain.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from keyring.backend import KeyringBackend

from pos_app.services.credentials import backend_name, clear_credentials, clear_v2_secret

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
ON_THE_SECRET_SERVICE = (
    "uses the Secret Service over D-Bus (gnome-keyring in tests/with_keyring.sh); on Windows "
    "the frozen self-test's keyring check proves the Credential Manager backend "
    "(docs/windows.md)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if {"secret_service", "locked_keychain"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.posix_only(reason=ON_THE_SECRET_SERVICE))


@pytest.fixture
def secret_service() -> Iterator[None]:
    """A reachable, unlocked Secret Service with no pos-app credentials, before and after."""
    import keyring

    if os.environ.get("POS_APP_REQUIRE_KEYRING") != "1":
        pytest.skip(
            "needs the throwaway Secret Service of tests/with_keyring.sh (run `make test`, or "
            "`dbus-run-session -- bash tests/with_keyring.sh .venv/bin/python -m pytest "
            "tests/keychain`); refusing to write to this desktop's own keyring"
        )
    backend = keyring.get_keyring()
    if backend_name(backend) != SECRET_SERVICE:
        pytest.fail(
            f"POS_APP_REQUIRE_KEYRING=1 but the keyring backend is {backend_name(backend)}, "
            "not the Secret Service: is gnome-keyring running and unlocked on this D-Bus session?"
        )
    clear_credentials()
    clear_v2_secret()
    yield
    # Never leave a pair behind: other tests would see credentials and could go live.
    clear_credentials()
    clear_v2_secret()


@pytest.fixture
def keyring_backend() -> Iterator[KeyringBackend]:
    """Put back whatever backend keyring had when a test swaps it."""
    import keyring

    before = keyring.get_keyring()
    yield before
    keyring.set_keyring(before)


@pytest.fixture
def locked_keychain(secret_service: None) -> Iterator[None]:
    """The login collection locked for the test, unlocked again afterwards.

    gnome-keyring has no display to prompt on here, so a locked collection stays locked until
    unlocked with the password through its internal (test/installer) interface.
    """
    import secretstorage
    from secretstorage.util import DBusAddressWrapper, format_secret, open_session

    password = os.environ["POS_APP_TEST_KEYRING_PASSWORD"].encode()
    bus = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(bus)
        collection.lock()
        assert collection.is_locked()
        yield
        session = open_session(bus)
        internal = DBusAddressWrapper(
            "/org/freedesktop/secrets",
            "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
            bus,
        )
        internal.call(
            "UnlockWithMasterPassword",
            "o(oayays)",
            collection.collection_path,
            format_secret(session, password, "text/plain"),
        )
        assert not collection.is_locked()
    finally:
        bus.close()

"""Only the operating systems' own keychains receive the key pair. A plain-text backend a person
can write in fifteen lines, forced with PYTHON_KEYRING_BACKEND or installed as a keyring plugin,
is refused and receives nothing; so is a subclass of an allowed backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pos_app.services.credentials import ALLOWED_BACKENDS, load_credentials

# A complete keyring backend that keeps secrets in a JSON file, as a person might write one.
PLAIN_BACKEND = '''
import json, os
from keyring.backend import KeyringBackend
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

FILE = os.environ["PLAINKR_FILE"]


def _load():
    try:
        with open(FILE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


class PlainFileKeyring(KeyringBackend):
    # 9: above the Secret Service (5), so keyring's chain (10) tries it first; 20: above the
    # chain too, so keyring picks it alone.
    priority = float(os.environ.get("PLAINKR_PRIORITY", "9"))

    def get_password(self, service, username):
        return _load().get(f"{service}/{username}")

    def set_password(self, service, username, password):
        data = _load()
        data[f"{service}/{username}"] = password
        with open(FILE, "w") as f:
            json.dump(data, f)

    def delete_password(self, service, username):
        data = _load()
        data.pop(f"{service}/{username}", None)
        with open(FILE, "w") as f:
            json.dump(data, f)


class SneakySecretService(SecretServiceKeyring):
    """Looks like the Secret Service to isinstance(); writes a file."""

    set_password = PlainFileKeyring.set_password
    get_password = PlainFileKeyring.get_password
'''

PAIR = "key-allowlist-test\nsecret-allowlist-test-0123456789\n"


@pytest.fixture
def plain_backend(tmp_path: Path) -> dict[str, str]:
    """The backend as an importable module, and as an installed keyring plugin (a dist-info
    with a `keyring.backends` entry point), on PYTHONPATH for the child processes."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "plainkr.py").write_text(textwrap.dedent(PLAIN_BACKEND), encoding="utf-8")
    info = site / "plainkr-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plainkr\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[keyring.backends]\nplainkr = plainkr\n")
    return {
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
        "PLAINKR_FILE": str(tmp_path / "secrets.json"),
    }


def pos_app(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app", "--lang", "en", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


@pytest.mark.parametrize("backend", ["plainkr.PlainFileKeyring", "plainkr.SneakySecretService"])
def test_a_plain_text_backend_is_refused_and_receives_nothing(
    plain_backend: dict[str, str], backend: str
) -> None:
    env = {**plain_backend, "PYTHON_KEYRING_BACKEND": backend}
    saved = pos_app(env, "credentials", "set", stdin=PAIR)
    assert saved.returncode == 2, saved.stdout + saved.stderr
    assert "not one of the operating system keychains" in saved.stderr
    assert backend.split(".")[1] in saved.stderr  # says which backend it refused
    assert not Path(plain_backend["PLAINKR_FILE"]).exists()  # nothing written anywhere
    status = pos_app(env, "credentials", "status")
    assert status.returncode == 2


def test_a_secret_planted_in_a_refused_backend_is_never_read(
    plain_backend: dict[str, str],
) -> None:
    """Credentials someone put in a file backend do not turn the till live."""
    Path(plain_backend["PLAINKR_FILE"]).write_text(
        json.dumps({"pos-app/imp_key": "planted", "pos-app/imp_secret": "planted"})
    )
    env = {**plain_backend, "PYTHON_KEYRING_BACKEND": "plainkr.PlainFileKeyring"}
    status = pos_app(env, "credentials", "status")
    assert status.returncode == 2 and "credentials: set" not in status.stdout


@pytest.mark.usefixtures("secret_service")
def test_a_chain_with_a_plugin_uses_only_the_real_keychain(plain_backend: dict[str, str]) -> None:
    """With the plugin installed keyring chains it above the Secret Service (a ChainerBackend
    would write to it first); the pair still goes to the Secret Service only."""
    probe = subprocess.run(
        [sys.executable, "-c", "import keyring; print(type(keyring.get_keyring()).__name__)"],
        capture_output=True,
        text=True,
        env={**os.environ, **plain_backend},
        timeout=60,
    )
    assert probe.stdout.strip() == "ChainerBackend", probe.stderr
    saved = pos_app(plain_backend, "credentials", "set", stdin=PAIR)
    assert saved.returncode == 0, saved.stdout + saved.stderr
    assert "SecretService" in saved.stdout
    assert not Path(plain_backend["PLAINKR_FILE"]).exists()
    pair = load_credentials(strict=True)
    assert pair is not None and pair.imp_key == "key-allowlist-test"


@pytest.mark.usefixtures("secret_service")
def test_a_plugin_that_outranks_the_chain_is_refused_not_worked_around(
    plain_backend: dict[str, str],
) -> None:
    """keyring then picks the plugin alone. The app does not pick another backend behind the
    person's back: it refuses, names the plugin, and writes nothing (docs/live-mode.md)."""
    env = {**plain_backend, "PLAINKR_PRIORITY": "20"}
    saved = pos_app(env, "credentials", "set", stdin=PAIR)
    assert saved.returncode == 2, saved.stdout + saved.stderr
    assert "plainkr.PlainFileKeyring" in saved.stderr
    assert not Path(plain_backend["PLAINKR_FILE"]).exists()
    assert load_credentials() is None


def test_without_a_system_keychain_the_plugin_alone_is_refused(
    plain_backend: dict[str, str],
) -> None:
    """No Secret Service on the bus: keyring finds only the plugin and picks it."""
    env = {**plain_backend, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    saved = pos_app(env, "credentials", "set", stdin=PAIR)
    assert saved.returncode == 2, saved.stdout + saved.stderr
    assert not Path(plain_backend["PLAINKR_FILE"]).exists()


def test_the_allow_list_is_the_operating_systems_keychains() -> None:
    assert {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    } == ALLOWED_BACKENDS

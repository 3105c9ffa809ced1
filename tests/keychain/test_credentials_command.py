"""`pos-app credentials set|status|clear` as the installer runs it: a real process, the pair on
standard input, the real Secret Service."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.services.credentials import Credentials, load_credentials, save_credentials


def pos_app(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def new_pair() -> Credentials:
    return Credentials(f"key{secrets.token_hex(8)}", f"secret{secrets.token_hex(24)}")


def assert_not_shown(result: subprocess.CompletedProcess[str], pair: Credentials) -> None:
    for text in (result.stdout, result.stderr):
        assert pair.imp_key not in text and pair.imp_secret not in text


@pytest.mark.usefixtures("secret_service")
def test_set_status_replace_clear() -> None:
    status = pos_app("credentials", "status")
    assert status.returncode == 1, status.stderr
    assert "SecretService" in status.stdout
    assert "credentials: not set" in status.stdout

    first = new_pair()
    saved = pos_app("credentials", "set", stdin=f"{first.imp_key}\n{first.imp_secret}\n")
    assert saved.returncode == 0, saved.stderr
    assert_not_shown(saved, first)
    assert load_credentials() == first

    status = pos_app("credentials", "status")
    assert status.returncode == 0, status.stderr
    assert "credentials: set" in status.stdout
    assert_not_shown(status, first)

    second = new_pair()
    replaced = pos_app("credentials", "set", stdin=f"{second.imp_key}\n{second.imp_secret}\n")
    assert replaced.returncode == 0, replaced.stderr
    assert load_credentials() == second

    cleared = pos_app("credentials", "clear")
    assert cleared.returncode == 0, cleared.stderr
    assert load_credentials() is None
    assert pos_app("credentials", "status").returncode == 1


@pytest.mark.usefixtures("secret_service")
def test_incomplete_input_saves_nothing() -> None:
    result = pos_app("credentials", "set", stdin="only-a-key\n")
    assert result.returncode == 1
    assert "imp_key and imp_secret" in result.stderr
    assert load_credentials() is None


def test_secrets_are_never_taken_from_the_command_line() -> None:
    result = pos_app("credentials", "set", "some-key", "some-secret")
    assert result.returncode == 2  # argparse: unrecognised arguments
    assert "unrecognized arguments" in result.stderr


def test_no_keychain_is_a_clear_error_and_nothing_is_written(pos_app_home: Path) -> None:
    no_keychain = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = pos_app(
        "--lang", "en", "credentials", "set", stdin="some-key\nsome-secret\n", env=no_keychain
    )
    assert result.returncode == 2
    assert "No usable keychain" in result.stderr
    status = pos_app("credentials", "status", env=no_keychain)
    assert status.returncode == 2
    assert "keyring.backends.fail.Keyring" in status.stdout
    assert "키체인" in status.stderr  # Korean by default
    written = [p for p in pos_app_home.rglob("*") if p.is_file()]
    assert all(b"some-secret" not in p.read_bytes() for p in written)


@pytest.mark.usefixtures("secret_service")
@pytest.mark.posix_only(
    reason="drives a pseudo-terminal (pty); Windows' getpass reads the console through msvcrt, "
    "a manual check in docs/windows.md"
)
def test_a_terminal_is_prompted_without_echo() -> None:
    if sys.platform == "win32":  # never reached (the marker skips it); mypy: no pty there
        return
    import pty
    import select

    pair = new_pair()
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin, stdout and /dev/tty are the pseudo-terminal
        os.execv(sys.executable, [sys.executable, "-m", "pos_app", "credentials", "set"])
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, f"no prompt {marker!r}; got {seen!r}"
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk

    try:
        read_until(b"imp_key")
        os.write(fd, pair.imp_key.encode() + b"\n")
        read_until(b"imp_secret")
        os.write(fd, pair.imp_secret.encode() + b"\n")
        read_until(b"saved")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    # getpass turned echo off: what was typed never came back on the terminal.
    assert pair.imp_key.encode() not in seen and pair.imp_secret.encode() not in seen
    assert load_credentials() == pair


@pytest.mark.usefixtures("secret_service")
def test_check_asks_portone_with_the_saved_pair(sandbox_url: str) -> None:
    assert pos_app("credentials", "check", "--api-host", sandbox_url).returncode == 1  # none saved
    save_credentials(Credentials(TEST_IMP_KEY, TEST_IMP_SECRET))
    ok = pos_app("credentials", "check", "--api-host", sandbox_url)
    assert ok.returncode == 0, ok.stderr
    assert "accepted" in ok.stdout
    save_credentials(Credentials(TEST_IMP_KEY, "wrong-secret"))
    refused = pos_app("credentials", "check", "--api-host", sandbox_url)
    assert refused.returncode == 1
    assert "인증에 실패하였습니다" in refused.stderr  # PortOne's own words
    insecure = pos_app("credentials", "check", "--api-host", "http://api.iamport.kr")
    assert insecure.returncode == 1
    assert "https://" in insecure.stderr


@pytest.mark.usefixtures("secret_service")
def test_v2_secret_set_status_check_clear(sandbox_url: str) -> None:
    """`--v2`: PortOne V2's API secret, one line on standard input, apart from V1's pair."""
    from pos_app.sandbox import TEST_V2_SECRET
    from pos_app.services.credentials import load_v2_secret

    status = pos_app("credentials", "status", "--v2")
    assert status.returncode == 1 and "v2 api secret: not set" in status.stdout
    saved = pos_app("credentials", "set", "--v2", stdin=f"{TEST_V2_SECRET}\n")
    assert saved.returncode == 0, saved.stderr
    assert TEST_V2_SECRET not in saved.stdout + saved.stderr
    stored = load_v2_secret()
    assert stored is not None and stored.secret == TEST_V2_SECRET
    assert TEST_V2_SECRET not in repr(stored) + str(stored)
    assert load_credentials() is None  # V1's pair is its own
    status = pos_app("credentials", "status", "--v2")
    assert status.returncode == 0 and "v2 api secret: set" in status.stdout
    checked = pos_app("credentials", "check", "--v2", "--api-host", sandbox_url + "/v2")
    assert checked.returncode == 0, checked.stderr
    assert "accepted" in checked.stdout and TEST_V2_SECRET not in checked.stdout
    assert pos_app("credentials", "set", "--v2", stdin="\n").returncode == 1  # nothing typed
    assert pos_app("credentials", "set", "--v2", stdin="wrong-secret\n").returncode == 0
    refused = pos_app("credentials", "check", "--v2", "--api-host", sandbox_url + "/v2")
    assert refused.returncode == 1 and "refused" in refused.stderr
    cleared = pos_app("credentials", "clear", "--v2")
    assert cleared.returncode == 0 and load_v2_secret() is None

"""`pos-app --self-test` from source, as a separate program, exactly as a person or CI runs it.

The frozen build runs the same self-test at the end of tests/run.sh (`make selftest-frozen`).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.commands.selftest.capture import captured_stderr, unexpected_stderr

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def run_self_test(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_self_test_from_source_passes_every_check(pos_app_home: Path) -> None:
    done = run_self_test({**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    report = json.loads(done.stdout)
    failed = {name: c["detail"] for name, c in report["checks"].items() if not c["ok"]}
    assert failed == {}
    assert report["ok"] is True
    assert done.returncode == 0
    assert done.stderr == ""
    expected = {"commands", "certificates", "keyring", "look", "translations", "resources"}
    expected |= {"printing", "console"}
    expected |= {"store_server_driver"}
    expected |= {"window", "charge_cycle", "shutdown", "log", "stderr"}
    assert expected <= set(report["checks"])
    if os.environ.get("POS_APP_REQUIRE_KEYRING") == "1":  # inside tests/with_keyring.sh
        assert "SecretService" in report["checks"]["keyring"]["detail"]
    # The caller's POS_APP_HOME was used (and nothing was written anywhere else).
    assert (pos_app_home / "sandbox").is_dir()


def test_self_test_never_sends_its_loopback_requests_through_a_proxy(pos_app_home: Path) -> None:
    """A counter PC behind a proxy (HTTP_PROXY, or Windows' system proxy, which urllib reads
    from the registry): the sandbox on loopback is still reached directly. The proxy here is a
    port on this machine where nothing listens, so any request sent to it fails."""
    dead_proxy = "http://127.0.0.1:9"
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = dead_proxy
    done = run_self_test({**env, "QT_QPA_PLATFORM": "offscreen"})
    report = json.loads(done.stdout)
    failed = {name: c["detail"] for name, c in report["checks"].items() if not c["ok"]}
    assert failed == {}
    assert done.returncode == 0


def test_self_test_uses_a_throwaway_home_when_none_is_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "POS_APP_HOME"}
    # platformdirs' default data folder moves with XDG_DATA_HOME: it must stay empty.
    env |= {"QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "xdg")}
    done = run_self_test(env)
    assert json.loads(done.stdout)["ok"] is True, done.stdout
    assert not (tmp_path / "xdg").exists()


def test_known_qt_noise_is_ignored_and_anything_else_is_not() -> None:
    text = (
        "This plugin does not support propagateSizeHints()\n"
        "QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '/tmp/runtime-root'\n"
        "\n"
        'qt.qpa.plugin: Could not load the Qt platform plugin "xcb"\n'
        "Traceback (most recent call last):\n"
    )
    assert unexpected_stderr(text) == [
        'qt.qpa.plugin: Could not load the Qt platform plugin "xcb"',
        "Traceback (most recent call last):",
    ]


def test_stderr_capture_sees_writes_below_python(capfd: pytest.CaptureFixture[str]) -> None:
    with captured_stderr() as captured:
        os.write(2, b"from C\n")
        print("from Python", file=sys.__stderr__)
    assert captured.text == "from C\nfrom Python\n"
    assert capfd.readouterr().err == ""  # nothing leaked past the capture


def test_windows_icon_has_every_size_up_to_256() -> None:
    data = (ICONS / "pos-app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = [data[6 + 16 * i] or 256 for i in range(count)]
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    png = (ICONS / "pos-app-256.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (256, 256)

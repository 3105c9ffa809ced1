"""SandboxServer in-process, its state file, and `pos-app sandbox` as a real process."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sandbox_helpers import DECLINES, body, card, token_for

from pos_app.sandbox import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
FIRST_LINE = re.compile(r"^PortOne V1 sandbox listening on http://127\.0\.0\.1:(\d+)\n$")


@contextlib.contextmanager
def authed(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {token_for(client)}"
        yield client


def test_server_runs_on_a_named_thread_and_stops_cleanly() -> None:
    before = set(threading.enumerate())
    server = SandboxServer()
    base_url = server.start()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        assert base_url == server.base_url and server.port > 0
        started = [t for t in threading.enumerate() if t not in before]
        assert [t.name for t in started] == ["portone-sandbox"]
        assert httpx.get(base_url + "/__sandbox__/clock").status_code == 200
    finally:
        server.stop()
    assert not started[0].is_alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url + "/__sandbox__/clock")


def test_only_loopback_hosts() -> None:
    for host in ("0.0.0.0", "192.168.1.5", "example.com"):
        with pytest.raises(ValueError):
            SandboxServer(host)


def test_busy_port_is_reported(sandbox_server: SandboxServer) -> None:
    with pytest.raises(OSError):
        SandboxServer(port=sandbox_server.port).start()


def test_state_file_keeps_customers_and_payments_but_no_card_data(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    with SandboxServer(state_path=state) as first, authed(first.base_url) as api:
        api.post("/subscribe/customers/gildong_0001_4242", json=card())
        api.post("/subscribe/customers/bad_0341", json=card(DECLINES))
        charge = {"customer_uid": "gildong_0001_4242", "merchant_uid": "m1", "amount": 5000}
        assert body(api.post("/subscribe/payments/again", json=charge))["code"] == 0
        saved = json.loads(state.read_text(encoding="utf-8"))  # written after each change
        assert len(saved["payments"]) == 1
    text = state.read_text(encoding="utf-8")
    for secret in ("4242424242424242", "4242-4242", "4000000000000341", "820213", "2099-12"):
        assert secret not in text
    assert not [p for p in tmp_path.iterdir() if p.name != "sandbox.json"]  # no temp files left
    with SandboxServer(state_path=state) as second, authed(second.base_url) as api:
        customer = body(api.get("/subscribe/customers/gildong_0001_4242"))["response"]
        assert customer["card_number"] == "424242******4242"
        assert body(api.get("/payments/find/m1"))["response"]["status"] == "paid"
        # reuse is still refused after the restart, and the declining card still declines
        assert body(api.post("/subscribe/payments/again", json=charge))["code"] == -1
        declined = {"customer_uid": "bad_0341", "merchant_uid": "m2", "amount": 5000}
        payment = body(api.post("/subscribe/payments/again", json=declined))["response"]
        assert payment["status"] == "failed"


def test_damaged_state_file_starts_empty(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    state.write_text("{ not json", encoding="utf-8")
    with SandboxServer(state_path=state) as server, authed(server.base_url) as api:
        assert api.get("/subscribe/customers/anyone").status_code == 404


def start_cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pos_app", "sandbox", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.posix_only(
    reason="stops `pos-app sandbox` with SIGTERM or SIGINT, which Windows cannot send to another "
    "process (Ctrl+C is a console event); the in-process stop is "
    "test_server_runs_on_a_named_thread_and_stops_cleanly"
)
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_its_address_and_exits_cleanly(stop_signal: int, tmp_path: Path) -> None:
    state = tmp_path / "cli-state.json"
    process = start_cli("--port", "0", "--state", str(state))
    try:
        assert process.stdout is not None
        match = FIRST_LINE.match(process.stdout.readline())
        assert match, "first line must announce the address"
        base_url = f"http://127.0.0.1:{match.group(1)}"
        with authed(base_url) as api:
            assert body(api.post("/subscribe/customers/c1", json=card()))["code"] == 0
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out == "" and err == ""
    assert "c1" in json.loads(state.read_text(encoding="utf-8"))["customers"]


def test_cli_refuses_a_host_that_is_not_loopback() -> None:
    process = start_cli("--host", "0.0.0.0", "--port", "0")
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert out == "" and "loopback" in err


def test_a_saved_sandbox_keeps_its_newest_payments_only(tmp_path: Path) -> None:
    """The training sandbox rewrites its state file after every change: it keeps the newest
    SAVED_PAYMENTS payments so that a till left in training for days does not slow and grow.
    One without a state file (tests, benchmarks) keeps them all, as PortOne does."""
    from pos_app.sandbox.ledger import SAVED_PAYMENTS, Ledger

    def payment(n: int) -> dict[str, object]:
        return {"imp_uid": f"imp_{n:012d}", "merchant_uid": f"m{n}", "status": "paid"}

    saved = Ledger("k", "s", state_path=tmp_path / "sandbox.json")
    kept_all = Ledger("k", "s")
    for n in range(SAVED_PAYMENTS + 5):
        saved.add_payment(payment(n))
        kept_all.add_payment(payment(n))
    assert len(saved.payments) == SAVED_PAYMENTS and len(kept_all.payments) == SAVED_PAYMENTS + 5
    assert saved.newest_payment("m4") is None and "m4" not in saved.by_merchant
    assert saved.newest_payment("m5") is not None  # the oldest kept
    newest = saved.newest_payment(f"m{SAVED_PAYMENTS + 4}")
    assert newest is not None and newest["status"] == "paid"
    saved.save()
    reloaded = Ledger("k", "s", state_path=tmp_path / "sandbox.json")
    assert list(reloaded.payments) == list(saved.payments)

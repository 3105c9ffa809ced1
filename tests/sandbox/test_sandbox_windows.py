"""What the sandbox does differently for Windows, proven here as far as Linux allows: the socket
option it binds with, the event loop it serves on, and state saves that a scanner holding the
file cannot turn into HTTP 500 after a charge was recorded (docs/windows.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sandbox_helpers import body, card, token_for

from pos_app.sandbox import SandboxServer
from pos_app.sandbox.server import address_option


@contextlib.contextmanager
def authed(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {token_for(client)}"
        yield client


def test_windows_binds_exclusively_and_posix_reuses_the_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On Windows SO_REUSEADDR would let a second sandbox bind a port already in use."""
    if sys.platform == "win32":
        assert address_option() == socket.SO_EXCLUSIVEADDRUSE
        return
    assert address_option() == socket.SO_REUSEADDR
    monkeypatch.setattr(sys, "platform", "win32")
    # The constant exists only in Windows' socket module; its value there is ~SO_REUSEADDR.
    monkeypatch.setattr(socket, "SO_EXCLUSIVEADDRUSE", -5, raising=False)
    assert address_option() == -5


class _ProactorStandIn(asyncio.DefaultEventLoopPolicy):
    """The event loop policy Windows has by default, reduced to what matters here: its loop
    is not a selector loop. Anything that builds its loop through the policy fails loudly."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        raise RuntimeError("the platform's default (Proactor) loop was used")


def test_the_sandbox_serves_on_a_selector_loop_whatever_the_default_policy() -> None:
    asyncio.set_event_loop_policy(_ProactorStandIn())
    try:
        with SandboxServer() as server:
            assert httpx.get(server.base_url + "/__sandbox__/clock", timeout=10).status_code == 200
    finally:
        asyncio.set_event_loop_policy(None)


def _held_by_a_scanner(
    monkeypatch: pytest.MonkeyPatch, state: Path, refusals: int | None
) -> list[str]:
    """os.replace onto `state` fails with PermissionError `refusals` times (None: always), as
    on Windows while an antivirus scanner has the file open. Returns a log of the tries."""
    real_replace = os.replace
    tries: list[str] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == state:
            tries.append("refused" if refusals is None or len(tries) < refusals else "done")
            if tries[-1] == "refused":
                raise PermissionError(13, "The process cannot access the file", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)  # ledger calls os.replace
    return tries


def _charge(api: httpx.Client, merchant_uid: str) -> httpx.Response:
    api.post("/subscribe/customers/gildong_4242", json=card())
    charge = {"customer_uid": "gildong_4242", "merchant_uid": merchant_uid, "amount": 5000}
    return api.post("/subscribe/payments/again", json=charge)


def test_a_save_refused_for_a_moment_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "sandbox.json"
    tries = _held_by_a_scanner(monkeypatch, state, refusals=3)
    with SandboxServer(state_path=state) as server, authed(server.base_url) as api:
        answer = _charge(api, "held-1")
        assert answer.status_code == 200
        assert body(answer)["response"]["status"] == "paid"
        saved = json.loads(state.read_text(encoding="utf-8"))
        assert [p["merchant_uid"] for p in saved["payments"]] == ["held-1"]
    assert tries[:4] == ["refused", "refused", "refused", "done"]
    assert not [p for p in tmp_path.iterdir() if p.name != "sandbox.json"]  # no temp files left


def test_a_save_that_keeps_failing_still_answers_the_recorded_charge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """HTTP 500 means "not processed" to a client (portone-v1.md §6), which the sandbox's
    charge was: the answer must say paid, and the state is written once the file is free."""
    state = tmp_path / "sandbox.json"
    _held_by_a_scanner(monkeypatch, state, refusals=None)
    server = SandboxServer(state_path=state)
    with server, authed(server.base_url) as api, caplog.at_level(logging.WARNING):
        answer = _charge(api, "held-2")
        assert answer.status_code == 200, answer.text
        assert body(answer)["code"] == 0 and body(answer)["response"]["status"] == "paid"
        assert body(api.get("/payments/find/held-2"))["response"]["status"] == "paid"
        assert not state.exists()
        assert any("not saved" in r.getMessage() for r in caplog.records)
        monkeypatch.undo()  # the scanner lets go; stopping saves what is in memory
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert [p["merchant_uid"] for p in saved["payments"]] == ["held-2"]
    assert not [p for p in tmp_path.iterdir() if p.name != "sandbox.json"]

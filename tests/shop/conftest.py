"""Counters sharing one store server: processes of their own (tests/shop/counter_process.py) or
tills in this process, each with its own data folder and terminal id, against one sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox_audit import SandboxAudit

HERE = Path(__file__).resolve().parent


class CounterProcess:
    """One counter in its own process; `ask()` sends a command and reads the answer."""

    def __init__(self, home: Path, terminal: str, store_url: str, api_base: str) -> None:
        env = {
            **os.environ,
            "POS_APP_HOME": str(home),
            "POS_APP_TERMINAL": terminal,
            "POS_APP_DATABASE_URL": store_url,
            "POS_APP_API_BASE": api_base,
        }
        self.terminal = terminal
        self.home = home
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "counter_process.py")],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self.read()
        assert ready.get("ready"), ready
        self.owner = str(ready["owner"])

    def send(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"counter {self.terminal} ended (exit {self.process.poll()})"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, **command: Any) -> dict[str, Any]:
        self.send(**command)
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.send(do="quit")
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def sandbox(sandbox_url: str) -> SandboxAudit:
    return SandboxAudit(sandbox_url)


@pytest.fixture
def counters(
    tmp_path: Path, shared_store: str, sandbox_url: str
) -> Iterator[Callable[[str], CounterProcess]]:
    """`counters("T2")`: a new counter process with its own data folder."""
    started: list[CounterProcess] = []

    def start(terminal: str) -> CounterProcess:
        counter = CounterProcess(tmp_path / f"home-{terminal}", terminal, shared_store, sandbox_url)
        started.append(counter)
        return counter

    yield start
    for counter in started:
        counter.close()


def save_card(api_base: str, customer_uid: str, number: str = "4242424242424242") -> None:
    from pos_app.core.card import KeyInCard
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    with PortOneClient(api_base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        client.issue_billing_key(customer_uid, KeyInCard.parse(number, "12/39", "880101", "12"))

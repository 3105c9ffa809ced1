"""Counters sharing one store server, as test helpers: a counter in a process of its own
(tests/shop/counter_process.py), driven line by line, and a card saved at the sandbox."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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
        try:
            if self.process.poll() is None:
                try:
                    self.send(do="quit")
                    self.process.wait(timeout=30)
                except (OSError, subprocess.TimeoutExpired):
                    self.process.kill()
                    self.process.wait()
        finally:
            self._close_pipes()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                # A broken pipe to a killed counter: nothing left to flush.
                with contextlib.suppress(OSError):
                    pipe.close()


def save_card(api_base: str, customer_uid: str, number: str = "4242424242424242") -> None:
    from pos_app.core.card import KeyInCard
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    with PortOneClient(api_base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        client.issue_billing_key(customer_uid, KeyInCard.parse(number, "12/39", "880101", "12"))

"""`python -m pos_app ...` as a real subprocess against the shared sandbox, plus audits."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from pos_app.core.card import KeyInCard
from pos_app.gateway.client import PortOneClient
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET


class PosApp:
    """`pos-app` as the operator's scripts run it: POS_APP_API_BASE and POS_APP_HOME set."""

    def __init__(self, home: Path, api_base: str) -> None:
        self.home = home
        self.api_base = api_base
        self.env = {**os.environ, "POS_APP_HOME": str(home), "POS_APP_API_BASE": api_base}

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "pos_app", *args]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def wait_until_settleable(self) -> None:
        """Wait until no open charge in the journal can still be in flight (its deadline has
        passed), so the next command may settle it by asking PortOne."""
        from pos_app.store.journal import Journal

        path = self.home / "sandbox" / "journal.sqlite3"
        if not path.exists():
            return
        with Journal(path) as journal:
            deadlines = [r.settle_after or 0.0 for r in journal.open_rows()]
        while deadlines and time.time() < max(deadlines) + 0.2:
            threading.Event().wait(0.1)

    def save_card(self, customer_uid: str, number: str = "4242424242424242") -> None:
        """A saved card to charge, issued straight at the sandbox (not through the CLI)."""
        with PortOneClient(self.api_base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
            client.issue_billing_key(customer_uid, KeyInCard.parse(number, "12/39", "880101", "12"))

    def fault(self, endpoint: str, kind: str, times: int = 1, delay_ms: int = 0) -> None:
        body = {"endpoint": endpoint, "kind": kind, "times": times, "delay_ms": delay_ms}
        httpx.post(self.api_base + "/__sandbox__/faults", json=body, timeout=10).raise_for_status()

    def clear_faults(self) -> None:
        httpx.delete(self.api_base + "/__sandbox__/faults", timeout=10).raise_for_status()

    def payments(self) -> list[dict[str, Any]]:
        answer = httpx.get(self.api_base + "/__sandbox__/payments", timeout=10)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()["response"]
        return result

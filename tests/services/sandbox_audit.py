"""What the sandbox holds and which faults it injects, read over its /__sandbox__/ controls."""

from __future__ import annotations

from typing import Any

import httpx


class SandboxAudit:
    """The sandbox's own record, read over its /__sandbox__/ controls."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def fault(self, endpoint: str, kind: str, times: int = 1, delay_ms: int = 0) -> None:
        body = {"endpoint": endpoint, "kind": kind, "times": times, "delay_ms": delay_ms}
        httpx.post(self.base_url + "/__sandbox__/faults", json=body, timeout=10).raise_for_status()

    def payments(self) -> list[dict[str, Any]]:
        answer = httpx.get(self.base_url + "/__sandbox__/payments", timeout=10)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()["response"]
        return result

    def paid(self, merchant_uid: str) -> list[dict[str, Any]]:
        return [
            p
            for p in self.payments()
            if p["merchant_uid"] == merchant_uid and p["status"] in ("paid", "cancelled")
        ]

    def clear_faults(self) -> None:
        httpx.delete(self.base_url + "/__sandbox__/faults", timeout=10).raise_for_status()

    def cancels(self) -> int:
        """How many refund requests reached the sandbox."""
        answer = httpx.get(self.base_url + "/__sandbox__/requests", timeout=10)
        answer.raise_for_status()
        return sum(1 for r in answer.json()["response"] if r["path"] == "/payments/cancel")

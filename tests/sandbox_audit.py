"""What the sandbox holds and which faults it injects, read over its /__sandbox__/ controls, for
a till on PortOne V1 or V2 (the same test speaks of "the charge endpoint" either way)."""

from __future__ import annotations

from typing import Any

import httpx

# V1 endpoints as tests name them -> the V2 endpoint doing the same job (and its method).
V2_ENDPOINTS: dict[str, tuple[str, str | None]] = {
    "/subscribe/payments/again": ("/v2/payments/*/billing-key", "POST"),
    "/subscribe/payments/onetime": ("/v2/payments/*/instant", "POST"),
    "/payments/find": ("/v2/payments/*", "GET"),
    "/payments/cancel": ("/v2/payments/*/cancel", "POST"),
    "/subscribe/customers": ("/v2/billing-keys", "POST"),
}


class SandboxAudit:
    """The sandbox's own record, read over its /__sandbox__/ controls."""

    def __init__(self, base_url: str, version: str = "v1") -> None:
        self.base_url = base_url
        self.version = version

    def endpoint(self, v1_endpoint: str) -> tuple[str, str | None]:
        """The endpoint (and method) doing `v1_endpoint`'s job in this till's API."""
        if self.version == "v2":
            return V2_ENDPOINTS[v1_endpoint]
        return v1_endpoint, None

    def fault(self, endpoint: str, kind: str, times: int = 1, delay_ms: int = 0) -> None:
        path, method = self.endpoint(endpoint)
        body: dict[str, Any] = {"endpoint": path, "kind": kind, "times": times}
        body["delay_ms"] = delay_ms
        if method is not None:
            body["method"] = method
        httpx.post(self.base_url + "/__sandbox__/faults", json=body, timeout=10).raise_for_status()

    def payments(self) -> list[dict[str, Any]]:
        """Every payment, V1's as they are and V2's in V1's words (merchant_uid and imp_uid =
        the paymentId, status paid/cancelled/failed, amount)."""
        if self.version == "v2":
            answer = httpx.get(self.base_url + "/__sandbox__/state", timeout=10)
            answer.raise_for_status()
            return [_as_v1(p) for p in answer.json()["response"]["v2"]["payments"]]
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
        if self.version == "v2":
            return sum(
                1
                for r in answer.json()["response"]
                if r["path"].startswith("/v2/payments/") and r["path"].endswith("/cancel")
            )
        return sum(1 for r in answer.json()["response"] if r["path"] == "/payments/cancel")


_V1_STATUS = {
    "PAID": "paid",
    "PARTIAL_CANCELLED": "paid",
    "CANCELLED": "cancelled",
    "FAILED": "failed",
}


def _as_v1(payment: dict[str, Any]) -> dict[str, Any]:
    return {
        "merchant_uid": payment["id"],
        "imp_uid": payment["id"],
        "status": _V1_STATUS.get(payment["status"], "ready"),
        "amount": payment["amount"]["total"],
        "cancel_amount": payment["amount"]["cancelled"],
    }

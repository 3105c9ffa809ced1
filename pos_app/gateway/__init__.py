"""PortOne behind one port (port.PaymentGateway): typed results (models), the error vocabulary
(errors), the V1 client (client.PortOneClient); the V2 one is gateway.portone_v2.PortOneV2Client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_app.gateway.errors import (
    AlreadyPaid,
    AuthenticationFailed,
    Declined,
    InsecureBaseURL,
    NotFound,
    OutcomeUnknown,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.gateway.models import BillingKey, CancelRecord, Payment, PaymentPage, Schedule, Token

if TYPE_CHECKING:
    from pos_app.gateway.client import PortOneClient


def __getattr__(name: str) -> Any:
    # The client is imported on first use: it brings httpx (about 50 ms), which the window's
    # GUI thread must not pay for when a widget only wants `gateway.models` or `gateway.errors`.
    if name == "PortOneClient":
        from pos_app.gateway.client import PortOneClient

        return PortOneClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AlreadyPaid",
    "AuthenticationFailed",
    "BillingKey",
    "CancelRecord",
    "Declined",
    "InsecureBaseURL",
    "NotFound",
    "OutcomeUnknown",
    "Payment",
    "PaymentPage",
    "PortOneClient",
    "PortOneError",
    "Refused",
    "Schedule",
    "Token",
    "Unavailable",
]

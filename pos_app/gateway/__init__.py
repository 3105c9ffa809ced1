"""PortOne V1 client: typed results (models), the error vocabulary (errors), the client."""

from pos_app.gateway.client import PortOneClient
from pos_app.gateway.errors import (
    AuthenticationFailed,
    InsecureBaseURL,
    NotFound,
    OutcomeUnknown,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.gateway.models import BillingKey, CancelRecord, Payment, PaymentPage, Schedule, Token

__all__ = [
    "AuthenticationFailed",
    "BillingKey",
    "CancelRecord",
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

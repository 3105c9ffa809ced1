"""What PortOne V2's answers (as the official SDK raises them) mean, in the app's error words.

- 401 `UNAUTHORIZED` (`UnauthorizedError`): `AuthenticationFailed`; nothing was done.
- 502 `PG_PROVIDER` on a charge or a card issue (`PgProviderError`): `Declined`, the card
  company said no and nothing was charged; its text is `[pgCode]pgMessage`, as V1 shows it.
- 409 `ALREADY_PAID` (`AlreadyPaidError`): `AlreadyPaid`; the paymentId is paid, settle it by
  `get_payment`.
- 404 `PAYMENT_NOT_FOUND`, `BILLING_KEY_NOT_FOUND`, `BILLING_KEY_NOT_ISSUED`, 409
  `BILLING_KEY_ALREADY_DELETED`: `NotFound`.
- Any other typed refusal (400 `INVALID_REQUEST`, 403 `FORBIDDEN`, 404 `CHANNEL_NOT_FOUND`, 409
  `CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN`, …): `Refused`; PortOne answered and did nothing.
- 500, 503 with no typed error: `Unavailable`, a complete "not done" answer.
- 502, 504 with no typed error, on a call that changes money or keys: `OutcomeUnknown` (a
  proxy's answer: PortOne may be acting).
- A success (200) the SDK cannot read, on such a call: `OutcomeUnknown` (done; we cannot see
  how).

Messages are PortOne's own text (never the request: the SDK's errors hold only the answer).
"""

from __future__ import annotations

from typing import Any

from pos_app.gateway.answers import Subject
from pos_app.gateway.errors import (
    AlreadyPaid,
    AuthenticationFailed,
    Declined,
    NotFound,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.gateway.v2_models import pg_reason

_NOT_FOUND = frozenset(
    {
        "PaymentNotFoundError",
        "BillingKeyNotFoundError",
        "BillingKeyNotIssuedError",
        "BillingKeyAlreadyDeletedError",
    }
)
_UPSTREAM_MAY_HAVE_ACTED = (502, 504)
# What a refusal says when PortOne gave no message (the SDK's error class, in words).
_NO_MESSAGE = "PortOne이 요청을 거절했습니다"


def from_sdk(error: Any, status: int | None, subject: Subject | None) -> PortOneError:
    """The app's error for an SDK error raised on an answer with HTTP `status` (None if no
    answer was seen). `subject` marks a call that changes money or keys."""
    kind = type(error).__name__
    message = getattr(error, "message", None) or ""
    http_status = status or 0
    if kind == "UnauthorizedError":
        return AuthenticationFailed(message or "Unauthorized", http_status=http_status or 401)
    if kind == "PgProviderError":
        text = pg_reason(error.pg_code, error.pg_message, message)
        if subject is not None and (subject.charge or subject.what == ISSUE):
            return Declined(-1, text, http_status=http_status or 502)
        return Refused(-1, text, http_status=http_status or 502)
    if kind == "AlreadyPaidError":
        text = message or "이미 결제된 결제 건입니다."
        return AlreadyPaid(-1, text, http_status=http_status or 409)
    if kind in _NOT_FOUND:
        return NotFound(-1, message or f"찾을 수 없습니다 ({kind})", http_status=http_status or 404)
    if kind == "UnknownError":
        return untyped(status, subject, _unknown_text(error))
    return Refused(-1, message or f"{_NO_MESSAGE} ({kind})", http_status=http_status or 400)


def untyped(status: int | None, subject: Subject | None, detail: str) -> PortOneError:
    """An answer with no error the SDK knows: by its HTTP status alone."""
    if status is None or status < 300:
        if subject is not None:
            return subject.unknown(f"읽을 수 없는 응답 (HTTP {status or '?'}): {detail}")
        return Unavailable(f"PortOne의 응답을 읽을 수 없습니다: {detail}")
    if status >= 500:
        if subject is not None and status in _UPSTREAM_MAY_HAVE_ACTED:
            return subject.unknown(f"HTTP {status}")
        return Unavailable(f"PortOne 서버 오류로 처리되지 않았습니다: HTTP {status} {detail}")
    if status == 404:
        return NotFound(-1, f"찾을 수 없습니다 (HTTP 404) {detail}".strip(), http_status=404)
    if status == 401:
        return AuthenticationFailed(detail or "Unauthorized", http_status=401)
    return Refused(-1, f"{_NO_MESSAGE} (HTTP {status}) {detail}".strip(), http_status=status)


def _unknown_text(error: Any) -> str:
    body = getattr(error, "error", None)
    if isinstance(body, dict):
        words = [str(body[k]) for k in ("type", "message") if body.get(k)]
        return ": ".join(words)
    return ""


# The subject's `what` of a card issue: a PG's refusal there is the card company's answer too.
ISSUE = "카드 등록"

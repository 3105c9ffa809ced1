"""What can go wrong when talking to PortOne, in the words the rest of the app acts on.

A decline by the card company is usually not here: it is a normal answer (a `Payment` whose
status is "failed"); when PortOne answers it as a refusal instead, it is `Declined`. These
exceptions never carry card data: messages are PortOne's own text or ours, and the underlying
httpx exception (whose request holds the card body) is never chained.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.gateway.models import Payment


class PortOneError(Exception):
    """Base of every gateway failure. `.message` is PortOne's text verbatim when it gave one."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InsecureBaseURL(PortOneError, ValueError):
    """The API address is not HTTPS (plain HTTP is allowed only on this computer's loopback)."""


class Refused(PortOneError):
    """PortOne answered and refused the request (code != 0): nothing was charged or changed.

    Show `.message` to the operator as it is; never branch on the value of `.code` (-1 and 1
    mean the same thing).
    """

    def __init__(self, code: int, message: str, *, http_status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.http_status = http_status

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"


class Declined(Refused):
    """The card company said no, answered as a refusal (code != 0 with no payment, e.g.
    "결제승인에 실패하였습니다. [2116]개인 월 한도금액 초과"), not as a failed payment.

    Nothing was charged. It means the same to the cashier as a failed payment: show "declined"
    with PortOne's message verbatim (portone-v1.md §7). How the client tells it from other
    refusals: `gateway.answers.is_card_decline`.
    """


class AlreadyPaid(Refused):
    """PortOne refused a charge because a payment with this merchant_uid is already paid
    ("이미 결제된 merchant_uid(…)입니다. 새로운 merchant_uid로 결제를 요청하세요."): an earlier
    attempt with this order id went through (its answer was lost, or another process sent it).

    It is a refusal of the request, not of the money: the order IS paid. Settle it with
    `find_payment(merchant_uid)` and record what PortOne holds; never tell the cashier to charge
    again with a new order id (portone-v1.md §7). `payment` is what the client's lookup found
    right after the refusal (None when that lookup failed or found nothing).
    """

    def __init__(
        self, code: int, message: str, *, http_status: int = 200, payment: Payment | None = None
    ) -> None:
        super().__init__(code, message, http_status=http_status)
        self.payment = payment


class NotFound(Refused):
    """No such payment / customer / schedule (HTTP 404, or code != 0 "… 찾을 수 없습니다")."""


class AuthenticationFailed(PortOneError):
    """PortOne did not accept the API key and secret (HTTP 401/400 at getToken)."""

    def __init__(self, message: str, *, http_status: int = 401) -> None:
        super().__init__(message)
        self.http_status = http_status


class Unavailable(PortOneError):
    """PortOne could not be reached or failed before acting: nothing was charged or changed.

    Safe to try again later with the same merchant_uid.
    """


class OutcomeUnknown(PortOneError):
    """The request may or may not have been carried out (timeout or connection lost after
    sending, unreadable answer). Never resend: ask `find_payment(merchant_uid)` instead.

    `payment`, when set, is what a lookup right after a dropped charge found (a hint; the
    settled answer is a later `find_payment`).
    """

    def __init__(
        self,
        merchant_uid: str | None,
        message: str,
        *,
        customer_uid: str | None = None,
        payment: Payment | None = None,
    ) -> None:
        super().__init__(message)
        self.merchant_uid = merchant_uid
        self.customer_uid = customer_uid
        self.payment = payment

    def __repr__(self) -> str:
        return (
            f"OutcomeUnknown(merchant_uid={self.merchant_uid!r}, "
            f"customer_uid={self.customer_uid!r}, message={self.message!r})"
        )

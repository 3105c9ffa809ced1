"""What an answer (or its absence) from PortOne means, as a result or a PortOneError.

Errors are returned, not raised, so the request loop decides whether to retry; they are built
from status codes and PortOne's own message only, never from the request.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pos_app.gateway.errors import (
    AlreadyPaid,
    AuthenticationFailed,
    Declined,
    NotFound,
    OutcomeUnknown,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.gateway.models import BillingKey, Payment, PaymentPage, Schedule
from pos_app.gateway.wire import Lost, Reply, parse_envelope

# PortOne's own wordings when a customer_uid / schedule is unknown on an HTTP 200 answer:
# "요청하신 customer_uid(…)로 등록된 정보를 찾을 수 없습니다." (GET /subscribe/customers, §1) and
# "등록되지 않은 구매자입니다." (`again`, as go-iamport's tests saw it in 2021).
_NOT_FOUND_WORDS = ("찾을 수 없습니다", "등록되지 않은 구매자")
# Proxies answer these when the upstream may already be working on the request.
_UPSTREAM_MAY_HAVE_ACTED = (502, 504)

# A card company's decline answered as a refusal. PortOne wraps the PG's answer to an approval
# request as "결제승인에 실패하였습니다. [2116]개인 월 한도금액 초과" (portone-v1.md §7): the
# approval (승인) failed or was refused (실패 / 거절 / 거부). Refusals from before any approval
# request are worded otherwise and stay `Refused`: card authentication ("카드정보 인증에
# 실패하였습니다." — iamport-rest-client-python tests/test_pay_onetime.py), a PG contract problem
# ("결제에 실패하였습니다. [8901] 미등록PG업체/거래정지업체" — NICE, posted by a merchant),
# unknown customer_uid, reused merchant_uid, missing parameters.
_APPROVAL_REFUSED = re.compile(r"승인\s*(?:에|이)?\s*(?:실패|거절|거부)")
# "이미 결제된 merchant_uid(…)입니다. 새로운 merchant_uid로 결제를 요청하세요." (§7).
_ALREADY_PAID = re.compile(r"이미\s*결제(?:가\s*)?(?:된|완료된)\s*merchant_uid")


def is_card_decline(message: str) -> bool:
    """Whether a refused charge's message says the card company refused the approval.

    The rule is PortOne's wording, not a list of PG reason codes: the reason after it varies by
    PG and card company and is shown verbatim either way. Anything not worded so stays a plain
    refusal (nothing was charged in both cases; only the advice to the cashier differs).
    """
    return bool(_APPROVAL_REFUSED.search(message)) and not is_already_paid(message)


def is_already_paid(message: str) -> bool:
    """Whether a refused charge's message says its merchant_uid is already paid."""
    return bool(_ALREADY_PAID.search(message))


class Subject:
    """What a state-changing call is about, for `OutcomeUnknown` and messages.

    `charge`: the call charges a card, so `merchant_uid` finds its result.
    """

    __slots__ = ("charge", "customer_uid", "merchant_uid", "what")

    def __init__(
        self,
        what: str,
        merchant_uid: str | None,
        customer_uid: str | None,
        *,
        charge: bool = False,
    ) -> None:
        self.what = what
        self.merchant_uid = merchant_uid
        self.customer_uid = customer_uid
        self.charge = charge

    def unknown(self, why: str, payment: Payment | None = None) -> OutcomeUnknown:
        ref = self.merchant_uid or self.customer_uid or ""
        return OutcomeUnknown(
            self.merchant_uid,
            f"{self.what} 결과를 알 수 없습니다 ({ref}): {why}. "
            "다시 보내지 말고 결제 조회로 확인하세요.",
            customer_uid=self.customer_uid,
            payment=payment,
        )


def interpret(reply: Reply, subject: Subject | None, *, auth: bool) -> Any:
    """The envelope's response, or the PortOneError it amounts to (returned, not raised)."""
    status = reply.status
    envelope = parse_envelope(reply.content)
    if status >= 500:
        if subject is not None and status in _UPSTREAM_MAY_HAVE_ACTED:
            return subject.unknown(f"HTTP {status}")
        detail = envelope.message if envelope and envelope.message else f"HTTP {status}"
        return Unavailable(f"PortOne 서버 오류로 처리되지 않았습니다: {detail}")
    if envelope is None:
        if subject is not None and status < 400:
            return subject.unknown(f"읽을 수 없는 응답 (HTTP {status})")
        if status == 404:
            return NotFound(-1, "찾을 수 없습니다 (HTTP 404)", http_status=404)
        if status >= 400:
            return Refused(-1, f"PortOne이 요청을 거절했습니다 (HTTP {status})", http_status=status)
        return Unavailable(f"PortOne의 응답을 읽을 수 없습니다 (HTTP {status})")
    if status in (401, 400) and not auth:
        return AuthenticationFailed(envelope.message or f"HTTP {status}", http_status=status)
    if status == 401:
        return AuthenticationFailed(envelope.message or "Unauthorized", http_status=status)
    if envelope.code != 0:
        if status == 404 or any(words in envelope.message for words in _NOT_FOUND_WORDS):
            return NotFound(envelope.code, envelope.message, http_status=status)
        if subject is not None and subject.charge and status == 200:
            if is_already_paid(envelope.message):
                return AlreadyPaid(envelope.code, envelope.message, http_status=status)
            if is_card_decline(envelope.message):
                return Declined(envelope.code, envelope.message, http_status=status)
        return Refused(envelope.code, envelope.message, http_status=status)
    if status == 404:
        return NotFound(-1, envelope.message or "찾을 수 없습니다 (HTTP 404)", http_status=404)
    return envelope.response


def lost_answer(lost: Lost, subject: Subject | None) -> PortOneError:
    if subject is not None and lost.sent:
        return subject.unknown(f"응답을 받지 못했습니다 ({lost.detail})")
    if lost.sent:  # a lookup: nothing to fear, only nothing to show
        return Unavailable(f"PortOne의 응답을 받지 못했습니다: {lost.detail}")
    return Unavailable(f"PortOne에 연결하지 못했습니다 (처리되지 않음): {lost.detail}")


Model = TypeVar("Model", BillingKey, Payment, PaymentPage, Schedule)


def build(model: type[Model], data: Any, subject: Subject | None = None) -> Model:
    """`model.from_json(data)`; an unusable success body on a charge is an unknown outcome."""
    problem = "response is not an object"
    if isinstance(data, dict):
        try:
            return model.from_json(data)
        except (TypeError, ValueError) as exc:
            problem = str(exc)
    # Raised outside the except block: no exception chain to carry along.
    if subject is not None:
        raise subject.unknown(f"응답 형식 오류: {problem}")
    raise Unavailable(f"PortOne의 응답을 읽을 수 없습니다: {problem}")

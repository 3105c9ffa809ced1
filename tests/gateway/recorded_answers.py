"""Real PortOne V1 answer bodies, re-typed from public sources (each names its source), so the
client is tested against bodies the sandbox did not write.

Bodies are kept as the bytes PortOne sends (compact JSON, `null`s, Korean text as UTF-8), not
as dicts the test would serialise its own way. Personal data in a posted answer (buyer name,
e-mail, phone, address) is replaced by neutral values; everything PortOne or the PG decided
(status, masks, codes, messages, PG ids) is kept as it was posted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Recorded:
    status: int  # HTTP status
    body: bytes
    source: str

    def envelope(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


def _body(code: int, message: str | None, response: Any = None) -> bytes:
    # Compact separators and raw UTF-8, as PortOne's server writes them.
    return json.dumps(
        {"code": code, "message": message, "response": response},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


TOKEN = Recorded(
    200,
    # Shape of a getToken answer posted with a public KG Inicis test answer (2022-10); the
    # token itself is replaced (40 hex digits, as PortOne issues them).
    _body(0, None, {"access_token": "0" * 40, "now": 1666569268, "expired_at": 1666570836}),
    "getToken answer posted alongside the html5_inicis payment below (GitHub, 2022-10)",
)

WRONG_CREDENTIALS = Recorded(
    401,
    _body(-1, "인증에 실패하였습니다. API키와 secret을 확인하세요."),
    "portone-v1.md §1 (wrong imp_key/imp_secret at getToken)",
)

# A paid KG Inicis card payment as GET /payments/{imp_uid} returned it: the card number is
# masked with ONE trailing digit, "524242*********0" (portone-v1.md §7). Posted publicly on
# GitHub as the body of a Node mock of GET /payments/{imp_uid} (imp_566377906932, 2022-10-21,
# pg_id INIpayTest). Buyer name, e-mail, phone and address replaced.
INICIS_PAYMENT_RESPONSE: dict[str, Any] = {
    "amount": 200,
    "apply_num": "31225404",
    "bank_code": None,
    "bank_name": None,
    "buyer_addr": "서울특별시",
    "buyer_email": "buyer@example.com",
    "buyer_name": "구매자",
    "buyer_postcode": "00000",
    "buyer_tel": "010-0000-0000",
    "cancel_amount": 0,
    "cancel_history": [],
    "cancel_reason": None,
    "cancel_receipt_urls": [],
    "cancelled_at": 0,
    "card_code": "374",
    "card_name": "외환카드",
    "card_number": "524242*********0",
    "card_quota": 0,
    "card_type": 1,
    "cash_receipt_issued": False,
    "channel": "pc",
    "currency": "KRW",
    "custom_data": None,
    "customer_uid": None,
    "customer_uid_usage": None,
    "emb_pg_provider": None,
    "escrow": False,
    "fail_reason": None,
    "failed_at": 0,
    "imp_uid": "imp_566377906932",
    "merchant_uid": "00000901",
    "name": "테스트 주문",
    "paid_at": 1666334556,
    "pay_method": "card",
    "pg_id": "INIpayTest",
    "pg_provider": "html5_inicis",
    "pg_tid": "StdpayCARDINIpayTest20221021154232890854",
    "receipt_url": "https://iniweb.inicis.com/DefaultWebApp/mall/cr/cm/mCmReceipt_head.jsp"
    "?noTid=StdpayCARDINIpayTest20221021154232890854&noMethod=1",
    "started_at": 1666333377,
    "status": "paid",
    "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    "vbank_code": None,
    "vbank_date": 0,
    "vbank_holder": None,
    "vbank_issued_at": 0,
    "vbank_name": None,
    "vbank_num": None,
}
INICIS_PAYMENT = Recorded(
    200, _body(0, None, INICIS_PAYMENT_RESPONSE), "html5_inicis payment posted on GitHub (2022)"
)

PAYMENT_NOT_FOUND = Recorded(
    404,
    _body(-1, "존재하지 않는 결제정보입니다."),
    "portone-v1.md §1; v1 schema: 404 '유효하지 않은 imp_uid' (also a test-channel payment "
    "asked for without include_sandbox=true since 2026-01-26)",
)

NOTHING_TO_CANCEL = Recorded(
    200,
    _body(1, "취소할 결제건이 존재하지 않습니다."),
    "iamport-rest-client-python tests/test_cancel.py: code 1 and this message from the live API",
)

DECLINE_AS_REFUSAL = Recorded(
    200,
    _body(-1, "결제승인에 실패하였습니다. [2116]개인 월 한도금액 초과"),
    "portone-v1.md §7: a card company's decline answered as code -1 with no payment",
)

PG_NOT_REGISTERED = Recorded(
    200,
    _body(-1, "결제에 실패하였습니다. [8901] 미등록PG업체/거래정지업체"),
    "a merchant's FAQ on NICE billing (danbistore.com, '결제 오류 메시지에 따른 원인과 대처'): "
    "the PG had not yet approved billing for the merchant, a contract problem, not a decline",
)

CARD_AUTH_FAILED = Recorded(
    200,
    _body(-1, "카드정보 인증에 실패하였습니다."),
    "iamport-rest-client-python tests/test_pay_onetime.py: onetime with a made-up card, "
    "code -1 and this message (authentication, before any approval request)",
)

AGAIN_UNKNOWN_CUSTOMER = Recorded(
    200,
    _body(-1, "등록되지 않은 구매자입니다."),
    "go-iamport iamport/subscribe_test.go TestAgainPayment (2021, the message) and "
    "iamport-rest-client-python tests/test_pay_again.py (code -1)",
)

CUSTOMER_NOT_FOUND_404 = Recorded(
    404,
    _body(-1, "요청하신 customer_uid(000000)로 등록된 정보를 찾을 수 없습니다."),
    "iamport-rest-client-python tests/test_customer_get.py (message); portone-v1.md §1 (404)",
)

CUSTOMER_NOT_FOUND_CODE_1 = Recorded(
    200,
    _body(1, "요청하신 customer_uid(000000)로 등록된 정보를 찾을 수 없습니다."),
    "iamport-rest-client-python tests/test_customer_get.py (message); portone-v1.md §1 "
    "(HTTP 200 with code 1)",
)

ALREADY_PAID = Recorded(
    200,
    _body(-1, "이미 결제된 merchant_uid(00000901)입니다. 새로운 merchant_uid로 결제를 요청하세요."),
    "portone-v1.md §7; iamport-manual lists '이미 결제된 merchant_uid를 재시도하는 경우' among "
    "the refusals before a payment starts",
)

MISSING_PARAMETER = Recorded(
    400, _body(-1, "파라미터 누락: merchant_uid"), "portone-v1.md §7 (HTTP 400, '파라미터 누락: …')"
)

INICIS_AGAIN_WITHOUT_NAME = Recorded(
    400,
    _body(-1, "이니시스 빌링결제는 상품명이 필수입니다."),
    "portone-v1.md §7: KG Inicis refuses `again` without `name`",
)

UNAUTHORIZED = Recorded(401, _body(-1, "Unauthorized"), "portone-v1.md §1 (stale token)")

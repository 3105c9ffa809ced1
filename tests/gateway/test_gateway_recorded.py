"""The client against real answer bodies (re-typed from public sources, recorded_answers.py),
played back by a tiny loopback server that is not the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import recorded_answers as real
from gateway_helpers import card, order
from replay_server import Asked, Script, replaying

from pos_app.core.card_mask import card_tail
from pos_app.core.order import Order
from pos_app.gateway import (
    AlreadyPaid,
    AuthenticationFailed,
    Declined,
    NotFound,
    PortOneClient,
    Refused,
)

AGAIN = "/subscribe/payments/again"
ONETIME = "/subscribe/payments/onetime"
INICIS_IMP_UID = "imp_566377906932"


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def client(script: Script) -> Iterator[PortOneClient]:
    with replaying(script) as base, PortOneClient(base, "key", "secret", read_timeout=10) as c:
        c.retry_delays = (0.01, 0.02)
        yield c


def test_all_recordings_are_portone_envelopes_and_name_a_source() -> None:
    recordings = [v for v in vars(real).values() if isinstance(v, real.Recorded)]
    assert len(recordings) >= 14
    for recorded in recordings:
        assert set(recorded.envelope()) == {"code", "message", "response"}
        assert recorded.source


@pytest.mark.parametrize("path", [AGAIN, ONETIME])
def test_a_decline_answered_as_code_minus_1_is_declined_verbatim(
    client: PortOneClient, script: Script, path: str
) -> None:
    script.on("POST", path, real.DECLINE_AS_REFUSAL)
    with pytest.raises(Declined) as declined:
        if path == AGAIN:
            client.charge_again("member_0001", order())
        else:
            client.charge_once(order(), card())
    assert declined.value.message == "결제승인에 실패하였습니다. [2116]개인 월 한도금액 초과"


@pytest.mark.parametrize(
    "recorded", [real.PG_NOT_REGISTERED, real.CARD_AUTH_FAILED], ids=["pg_contract", "auth"]
)
def test_refusals_before_any_approval_are_not_declines(
    client: PortOneClient, script: Script, recorded: real.Recorded
) -> None:
    script.on("POST", ONETIME, recorded)
    with pytest.raises(Refused) as refused:
        client.charge_once(order(), card())
    assert type(refused.value) is Refused  # not Declined: the card company was never asked
    assert refused.value.message == recorded.envelope()["message"]


def test_a_refusal_is_a_decline_only_on_a_charge(client: PortOneClient, script: Script) -> None:
    # The same words on a billing-key issue are a refusal of the key, not a declined charge.
    script.on("POST", "/subscribe/customers/member_0001", real.DECLINE_AS_REFUSAL)
    with pytest.raises(Refused) as refused:
        client.issue_billing_key("member_0001", card())
    assert type(refused.value) is Refused


def test_an_inicis_payment_shows_its_one_trailing_digit_and_is_asked_with_include_sandbox(
    client: PortOneClient, script: Script
) -> None:
    def lookup(asked: Asked) -> real.Recorded:
        # What PortOne does since 2026-01-26 for a test-channel payment.
        if asked.query.get("include_sandbox") != ["true"]:
            return real.PAYMENT_NOT_FOUND
        return real.INICIS_PAYMENT

    script.on("GET", f"/payments/{INICIS_IMP_UID}", lookup)
    payment = client.get_payment(INICIS_IMP_UID)
    assert payment.approved and payment.pg_provider == "html5_inicis"
    assert payment.card_number == "524242*********0"
    assert card_tail(payment.card_number) == "**** ***0"  # not "**** 2420"
    assert payment.refundable == 200 and payment.card_type == 1


def test_already_paid_is_settled_by_find_not_by_charging_anew(
    client: PortOneClient, script: Script
) -> None:
    script.on("POST", ONETIME, real.ALREADY_PAID)
    script.on("GET", "/payments/find/00000901", real.INICIS_PAYMENT)
    with pytest.raises(AlreadyPaid) as already:
        client.charge_once(Order("00000901", 200, "테스트 주문"), card())
    assert already.value.payment is not None and already.value.payment.approved
    assert already.value.payment.imp_uid == INICIS_IMP_UID
    charges = [a for a in script.asked if a.path == ONETIME]
    assert len(charges) == 1  # asked once, then looked up: never sent again


@pytest.mark.parametrize(
    ("recorded", "code"),
    [(real.CUSTOMER_NOT_FOUND_404, -1), (real.CUSTOMER_NOT_FOUND_CODE_1, 1)],
    ids=["http_404", "http_200_code_1"],
)
def test_an_unknown_customer_is_not_found_in_both_shapes(
    client: PortOneClient, script: Script, recorded: real.Recorded, code: int
) -> None:
    script.on("GET", "/subscribe/customers/000000", recorded)
    with pytest.raises(NotFound) as missing:
        client.get_billing_key("000000")
    assert missing.value.code == code  # kept, never branched on
    assert missing.value.message == recorded.envelope()["message"]


def test_again_for_an_unknown_customer_in_the_older_wording(
    client: PortOneClient, script: Script
) -> None:
    script.on("POST", AGAIN, real.AGAIN_UNKNOWN_CUSTOMER)
    with pytest.raises(NotFound) as missing:
        client.charge_again("member_9999", order())
    assert missing.value.message == "등록되지 않은 구매자입니다."


def test_nothing_to_cancel_is_refused_with_code_1_verbatim(
    client: PortOneClient, script: Script
) -> None:
    script.on("POST", "/payments/cancel", real.NOTHING_TO_CANCEL)
    with pytest.raises(Refused) as refused:
        client.cancel_payment(imp_uid="imp_000000000000", checksum=0, tax_free=0, vat_amount=0)
    assert (refused.value.code, refused.value.message) == (1, "취소할 결제건이 존재하지 않습니다.")
    sent = [a.fields for a in script.asked if a.path == "/payments/cancel"][-1]
    assert {"tax_free", "vat_amount", "checksum"} <= set(sent)


@pytest.mark.parametrize(
    ("path", "recorded"),
    [(AGAIN, real.MISSING_PARAMETER), (AGAIN, real.INICIS_AGAIN_WITHOUT_NAME)],
    ids=["missing_parameter", "inicis_needs_name"],
)
def test_http_400_refusals_are_shown_verbatim(
    client: PortOneClient, script: Script, path: str, recorded: real.Recorded
) -> None:
    script.on("POST", path, recorded)
    with pytest.raises(Refused) as refused:
        client.charge_again("member_0001", order())
    assert refused.value.http_status == 400
    assert refused.value.message == recorded.envelope()["message"]
    assert "name" in [a.fields for a in script.asked if a.path == path][-1]


def test_wrong_credentials_at_get_token(client: PortOneClient, script: Script) -> None:
    script.on("POST", "/users/getToken", real.WRONG_CREDENTIALS)
    with pytest.raises(AuthenticationFailed) as failed:
        client.get_token()
    assert failed.value.message == "인증에 실패하였습니다. API키와 secret을 확인하세요."


def test_a_stale_token_is_renewed_once_on_401(client: PortOneClient, script: Script) -> None:
    answers = iter([real.UNAUTHORIZED, real.INICIS_PAYMENT])
    script.on("GET", f"/payments/{INICIS_IMP_UID}", lambda asked: next(answers))
    assert client.get_payment(INICIS_IMP_UID).approved
    tokens = [a for a in script.asked if a.path == "/users/getToken"]
    assert len(tokens) == 2

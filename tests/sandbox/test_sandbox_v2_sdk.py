"""PortOne's official Python SDK (portone-server-sdk, pinned) against the sandbox's /v2, over
real HTTP: every answer must be one the SDK types, and every refusal the SDK error PortOne's V2
OpenAPI document names for it. Nothing of ours sits between the SDK and the sandbox here."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from portone_server_sdk import BillingKeyClient, PaymentClient, errors
from portone_server_sdk.common import CardCredential, CustomerInput, PaymentAmountInput
from portone_server_sdk.payment import (
    CancelledPayment,
    FailedPayment,
    InstantPaymentMethodInput,
    InstantPaymentMethodInputCard,
    PaidPayment,
    PartialCancelledPayment,
    PayInstantlyResponse,
    PayWithBillingKeyResponse,
)
from portone_server_sdk.payment.billing_key import (
    BillingKeyFilterInput,
    DeletedBillingKeyInfo,
    InstantBillingKeyPaymentMethodInput,
    InstantBillingKeyPaymentMethodInputCard,
    IssuedBillingKeyInfo,
)

from pos_app.sandbox import (
    TEST_V2_CHANNEL_KEY,
    TEST_V2_SECRET,
    TEST_V2_STORE_ID,
    SandboxServer,
)

VISA = "4242424242424242"
DECLINES = "4000000000000341"  # issues, then every charge is declined ([8325]한도초과)
_ids = itertools.count()


def _payment_id() -> str:
    return f"sdk-{next(_ids)}"


def _credential(number: str = VISA, pin: str = "12") -> CardCredential:
    return CardCredential(number, "39", "12", "880101", pin)


@pytest.fixture
def v2(sandbox_url: str, sandbox_server: SandboxServer) -> str:
    return sandbox_server.v2_base_url


# The SDK's clients make their own httpx clients and offer no close(): close the sync one after
# each test, or its pooled connections are left open (a ResourceWarning, an error here).
@pytest.fixture
def keys(v2: str) -> Iterator[BillingKeyClient]:
    client = BillingKeyClient(secret=TEST_V2_SECRET, base_url=v2, store_id=TEST_V2_STORE_ID)
    yield client
    client._sync_client.close()


@pytest.fixture
def payments(v2: str) -> Iterator[PaymentClient]:
    client = PaymentClient(secret=TEST_V2_SECRET, base_url=v2, store_id=TEST_V2_STORE_ID)
    yield client
    client._sync_client.close()


def _issue(keys: BillingKeyClient, number: str = VISA, member: str = "m1") -> str:
    issued = keys.issue_billing_key(
        method=InstantBillingKeyPaymentMethodInput(
            card=InstantBillingKeyPaymentMethodInputCard(_credential(number))
        ),
        channel_key=TEST_V2_CHANNEL_KEY,
        customer=CustomerInput(id=member),
    )
    return issued.billing_key_info.billing_key


def _pay(payments: PaymentClient, key: str, payment_id: str, total: int = 10000) -> Any:
    return payments.pay_with_billing_key(
        payment_id=payment_id,
        billing_key=key,
        order_name="1월 회비",
        amount=PaymentAmountInput(total=total),
        currency="KRW",
    )


def test_issue_a_key_from_card_credentials_and_pay_with_it(
    keys: BillingKeyClient, payments: PaymentClient
) -> None:
    key = _issue(keys)
    info = keys.get_billing_key_info(billing_key=key)
    assert isinstance(info, IssuedBillingKeyInfo) and info.customer.id == "m1"
    card = getattr(info.methods[0], "card", None) if info.methods else None
    assert card is not None
    assert card.number == "424242******4242" and card.name == "신한카드"
    payment_id = _payment_id()
    answer = _pay(payments, key, payment_id)
    assert isinstance(answer, PayWithBillingKeyResponse) and answer.payment.pg_tx_id
    paid = payments.get_payment(payment_id=payment_id)
    assert isinstance(paid, PaidPayment)
    assert (paid.billing_key, paid.amount.total, paid.amount.paid) == (key, 10000, 10000)
    assert paid.method.approval_number  # type: ignore[union-attr]
    found = keys.get_billing_key_infos(filter=BillingKeyFilterInput(customer_id="m1"))
    assert [i.billing_key for i in found.items] == [key]  # type: ignore[union-attr]


def test_a_reused_payment_id_is_refused_as_already_paid(
    keys: BillingKeyClient, payments: PaymentClient
) -> None:
    key = _issue(keys)
    payment_id = _payment_id()
    _pay(payments, key, payment_id)
    with pytest.raises(errors.AlreadyPaidError):
        _pay(payments, key, payment_id)
    with pytest.raises(errors.AlreadyPaidError):
        _pay_instantly(payments, payment_id)


def _pay_instantly(
    payments: PaymentClient, payment_id: str, number: str = VISA, pin: str = "12"
) -> Any:
    return payments.pay_instantly(
        payment_id=payment_id,
        channel_key=TEST_V2_CHANNEL_KEY,
        method=InstantPaymentMethodInput(
            card=InstantPaymentMethodInputCard(_credential(number, pin))
        ),
        order_name="수기결제",
        amount=PaymentAmountInput(total=55000, tax_free=5000),
        currency="KRW",
    )


def test_pay_instantly(payments: PaymentClient) -> None:
    payment_id = _payment_id()
    answer = _pay_instantly(payments, payment_id)
    assert isinstance(answer, PayInstantlyResponse) and answer.payment.paid_at
    paid = payments.get_payment(payment_id=payment_id)
    assert isinstance(paid, PaidPayment)
    assert (paid.amount.total, paid.amount.tax_free) == (55000, 5000)
    assert paid.billing_key is None


def test_a_decline_is_a_pg_provider_error_and_a_failed_payment(
    keys: BillingKeyClient, payments: PaymentClient
) -> None:
    key = _issue(keys, DECLINES)
    payment_id = _payment_id()
    with pytest.raises(errors.PgProviderError) as declined:
        _pay(payments, key, payment_id)
    assert (declined.value.pg_code, declined.value.pg_message) == ("8325", "한도초과")
    failed = payments.get_payment(payment_id=payment_id)
    assert isinstance(failed, FailedPayment) and failed.failure.pg_code == "8325"
    # A failed paymentId may be paid again (with another card).
    _pay(payments, _issue(keys), payment_id)
    assert isinstance(payments.get_payment(payment_id=payment_id), PaidPayment)
    # The card company refusing the card itself (PIN 99) on a key-in charge: the same error.
    with pytest.raises(errors.PgProviderError) as refused:
        _pay_instantly(payments, _payment_id(), pin="99")
    assert refused.value.pg_code == "F113"


def test_cancel_partially_then_fully(keys: BillingKeyClient, payments: PaymentClient) -> None:
    payment_id = _payment_id()
    _pay_instantly(payments, payment_id)  # 55,000 of which 5,000 tax-free
    with pytest.raises(errors.CancellableAmountConsistencyBrokenError):
        payments.cancel_payment(
            payment_id=payment_id, amount=1000, reason="x", current_cancellable_amount=1
        )
    first = payments.cancel_payment(
        payment_id=payment_id,
        amount=11000,
        tax_free_amount=1000,
        vat_amount=909,
        reason="부분 환불",
        current_cancellable_amount=55000,
    )
    assert getattr(first.cancellation, "total_amount", None) == 11000
    partial = payments.get_payment(payment_id=payment_id)
    assert isinstance(partial, PartialCancelledPayment)
    assert (partial.amount.cancelled, partial.amount.cancelled_tax_free) == (11000, 1000)
    with pytest.raises(errors.CancelAmountExceedsCancellableAmountError):
        payments.cancel_payment(payment_id=payment_id, amount=44001, reason="x")
    with pytest.raises(errors.CancelTaxFreeAmountExceedsCancellableTaxFreeAmountError):
        payments.cancel_payment(
            payment_id=payment_id, amount=10000, tax_free_amount=4001, reason="x"
        )
    payments.cancel_payment(payment_id=payment_id, reason="전액", current_cancellable_amount=44000)
    cancelled = payments.get_payment(payment_id=payment_id)
    assert isinstance(cancelled, CancelledPayment)
    assert [getattr(c, "total_amount", None) for c in cancelled.cancellations] == [11000, 44000]
    with pytest.raises(errors.PaymentAlreadyCancelledError):
        payments.cancel_payment(payment_id=payment_id, reason="again")


def test_deleted_and_unknown_billing_keys(keys: BillingKeyClient, payments: PaymentClient) -> None:
    with pytest.raises(errors.BillingKeyNotFoundError):
        keys.get_billing_key_info(billing_key="billing-key-nope")
    with pytest.raises(errors.BillingKeyNotFoundError):
        _pay(payments, "billing-key-nope", _payment_id())
    with pytest.raises(errors.BillingKeyNotFoundError):
        keys.delete_billing_key(billing_key="billing-key-nope")
    key = _issue(keys)
    keys.delete_billing_key(billing_key=key)
    assert isinstance(keys.get_billing_key_info(billing_key=key), DeletedBillingKeyInfo)
    with pytest.raises(errors.BillingKeyAlreadyDeletedError):
        keys.delete_billing_key(billing_key=key)
    with pytest.raises(errors.BillingKeyAlreadyDeletedError):
        _pay(payments, key, _payment_id())


def test_unknown_payments(payments: PaymentClient) -> None:
    with pytest.raises(errors.PaymentNotFoundError):
        payments.get_payment(payment_id="never-made")
    with pytest.raises(errors.PaymentNotFoundError):
        payments.cancel_payment(payment_id="never-made", reason="x")


def test_a_wrong_or_missing_secret_is_unauthorized(v2: str) -> None:
    wrong = PaymentClient(secret="not-the-secret", base_url=v2)
    other = BillingKeyClient(secret="imp_apikey", base_url=v2)
    try:
        with pytest.raises(errors.UnauthorizedError):
            wrong.get_payment(payment_id="anything")
        with pytest.raises(errors.UnauthorizedError):
            other.get_billing_key_info(billing_key="x")
    finally:
        wrong._sync_client.close()
        other._sync_client.close()
    answer = httpx.get(v2 + "/payments/anything", timeout=10)  # no Authorization at all
    assert answer.status_code == 401 and answer.json()["type"] == "UNAUTHORIZED"


def test_wrong_store_and_channel(v2: str, keys: BillingKeyClient) -> None:
    other_store = PaymentClient(secret=TEST_V2_SECRET, base_url=v2, store_id="store-other")
    with pytest.raises(errors.ForbiddenError):
        other_store.get_payment(payment_id="x")
    other_store._sync_client.close()
    with pytest.raises(errors.ChannelNotFoundError):
        keys.issue_billing_key(
            method=InstantBillingKeyPaymentMethodInput(
                card=InstantBillingKeyPaymentMethodInputCard(_credential())
            ),
            channel_key="channel-key-other",
        )
    with pytest.raises(errors.InvalidRequestError):
        keys.issue_billing_key(
            method=InstantBillingKeyPaymentMethodInput(
                card=InstantBillingKeyPaymentMethodInputCard(
                    CardCredential("4242-4242", "39", "12")
                )
            ),
            channel_key=TEST_V2_CHANNEL_KEY,
        )


def test_faults_apply_to_v2_paths(
    sandbox_url: str, keys: BillingKeyClient, payments: PaymentClient
) -> None:
    key = _issue(keys)

    def fault(kind: str) -> None:
        body = {"endpoint": "/v2/payments/*/billing-key", "kind": kind}
        httpx.post(sandbox_url + "/__sandbox__/faults", json=body, timeout=10).raise_for_status()

    fault("error_500")
    with pytest.raises(errors.UnknownError):
        _pay(payments, key, _payment_id())
    fault("drop_after")  # PortOne acted, then the connection closed with no answer
    payment_id = _payment_id()
    with pytest.raises(httpx.RemoteProtocolError):
        _pay(payments, key, payment_id)
    assert isinstance(payments.get_payment(payment_id=payment_id), PaidPayment)
    seen = httpx.get(sandbox_url + "/__sandbox__/requests", timeout=10).json()["response"]
    assert any(r["path"] == f"/v2/payments/{payment_id}/billing-key" for r in seen)

"""PortOne V2's adapter of `gateway.port.PaymentGateway`, through PortOne's official Python SDK
(`portone-server-sdk`, sync, httpx-based).

What this adds to the SDK (docs/gateway.md, "Two adapters"):
- **Our transport**: one `httpx.Client` with our timeouts (connect 10 s, read 30 s by default;
  the SDK's own is 60 s for everything), TCP_NODELAY, certificates verified, plain HTTP only to
  loopback. It replaces the SDK's per-client default, so no SDK client ever opens a socket of
  its own.
- **The same retry policy as V1**: lookups (GET) up to 3 tries on a "not done" failure; calls
  that change money or keys are sent once.
- **Our error words** (`v2_errors`): a transport failure after the request may have reached
  PortOne on such a call is `OutcomeUnknown` (never resent: settled by `get_payment`, since the
  paymentId is our merchant_uid); before it could have, `Unavailable`.
- **Member ids**: V2 names a saved card by a billing key PortOne chooses. The app keeps its
  member id (`customer_uid`, sent as V2's `customer.id`) and finds the member's current key in
  the customer index (`billing_keys`, given by the till), in what this process issued, or by
  asking PortOne for the member's newest issued key.
- **Card data** goes only into the SDK's `CardCredential`, never into a log or an exception:
  the SDK's own errors (which hold only PortOne's answer) and httpx's (whose request holds the
  body) are turned into ours outside the `except` block, so nothing chains to them.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from pos_app.core.order import BUYER_NAME_MAX
from pos_app.gateway import v2_errors
from pos_app.gateway.answers import Subject
from pos_app.gateway.errors import (
    AlreadyPaid,
    NotFound,
    OutcomeUnknown,
    PortOneError,
    Unavailable,
)
from pos_app.gateway.models import BillingKey, Payment
from pos_app.gateway.port import ApiVersion
from pos_app.gateway.v2_models import billing_key_of, payment_of, unix
from pos_app.gateway.wire import Lost, check_base_url, lost_by

if TYPE_CHECKING:
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Buyer, Order

_log = logging.getLogger(__name__)

T = TypeVar("T")

LIVE_BASE_URL = "https://api.portone.io"
CURRENCY = "KRW"
# V2's cancel requires a reason; PortOne shows it in the merchant console.
DEFAULT_CANCEL_REASON = "환불"
# A payment id no order ever has: looking it up answers "not found" when the secret is good.
CREDENTIAL_PROBE_ID = "pos-app-credential-check"


class _Failed:
    """An attempt that ended without a result (kept apart from results of any type)."""

    __slots__ = ("error", "lost")

    def __init__(self, error: PortOneError | None, lost: Lost | None = None) -> None:
        self.error = error
        self.lost = lost


class PortOneV2Client:
    """Thread-safe: share one instance (one connection pool; the SDK clients keep no state)."""

    version: ApiVersion = "v2"
    # Waits before the 2nd and 3rd try of a lookup (as PortOneClient).
    retry_delays: tuple[float, ...] = (0.2, 0.5)

    def __init__(
        self,
        base_url: str,
        secret: str,
        *,
        channel_key: str,
        store_id: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        billing_keys: Callable[[str], str | None] | None = None,
    ) -> None:
        """`base_url` is V2's root (`https://api.portone.io`, or the sandbox's `…/v2`).
        `channel_key` routes key-in charges and card issues (V2 routes by channel only).
        `billing_keys(customer_uid)` is the customer index's current key for a member."""
        # The SDK is imported here, not at module import: it is large (about half a second),
        # and a V1 till or the window's first paint must not pay for it.
        from portone_server_sdk import BillingKeyClient, PaymentClient

        self.base_url = check_base_url(base_url)
        self.channel_key = channel_key
        self.store_id = store_id or None
        self._book = billing_keys
        self._issued: dict[str, str] = {}  # customer_uid -> billing key issued by this process
        self._issued_lock = threading.Lock()
        self._seen = threading.local()  # the HTTP status of this thread's latest answer
        timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
        )
        transport = httpx.HTTPTransport(
            verify=True, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        )
        self._http = httpx.Client(
            timeout=timeout,
            verify=True,
            transport=transport,
            event_hooks={"response": [self._note_status]},
        )
        self._payments = _bound(PaymentClient, secret, self.base_url, self.store_id, self._http)
        self._keys = _bound(BillingKeyClient, secret, self.base_url, self.store_id, self._http)

    def __repr__(self) -> str:
        return f"PortOneV2Client({self.base_url!r})"

    # lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PortOneV2Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def verify_credentials(self) -> None:
        """V2 has no token: look up a payment no order has. "Not found" means PortOne took the
        secret (and the store id); UNAUTHORIZED is AuthenticationFailed, FORBIDDEN a Refused."""
        try:
            self.get_payment(CREDENTIAL_PROBE_ID)
        except NotFound:
            return

    # billing keys ---------------------------------------------------------------------------

    def issue_billing_key(
        self,
        customer_uid: str,
        card: KeyInCard,
        *,
        pg: str | None = None,
        channel_key: str | None = None,
        buyer: Buyer | None = None,
    ) -> BillingKey:
        """`POST /billing-keys` on our channel, with `customer.id` = `customer_uid`. `pg` is
        V1's routing and is not used: V2 routes by channel key. The member's previous key, if
        any, is deleted afterwards (as V1 replaces the card saved under a customer_uid)."""
        from portone_server_sdk.common import CardCredential
        from portone_server_sdk.payment.billing_key import (
            InstantBillingKeyPaymentMethodInput,
            InstantBillingKeyPaymentMethodInputCard,
        )

        previous = self._known_key(customer_uid)
        credential = card.portone_v2_credential()
        subject = Subject(v2_errors.ISSUE, None, customer_uid)
        try:
            method = InstantBillingKeyPaymentMethodInput(
                card=InstantBillingKeyPaymentMethodInputCard(CardCredential(**credential))
            )
            issued = self._call(
                lambda: self._keys.issue_billing_key(
                    method=method,
                    channel_key=channel_key or self.channel_key,
                    customer=_customer(customer_uid, buyer),
                ),
                subject,
            )
        finally:
            credential.clear()  # drop the card's strings from any frame a traceback keeps
        key = issued.billing_key_info.billing_key
        with self._issued_lock:
            self._issued[customer_uid] = key
        if previous and previous != key:
            self._retire(previous)
        try:
            return self._key_info(key, customer_uid)
        except PortOneError:
            # Issued for certain; only its details could not be read back.
            return _bare_key(customer_uid, key, unix(issued.billing_key_info.issued_at))

    def get_billing_key(self, customer_uid: str) -> BillingKey:
        key = self._key_of(customer_uid)
        try:
            return self._key_info(key, customer_uid)
        except NotFound:
            self._forget(customer_uid, key)
            raise

    def get_billing_keys(self, customer_uids: Sequence[str]) -> list[BillingKey]:
        """Each member's newest issued key at PortOne (members with none are left out). V2 has
        no lookup of several members at once: one request per member."""
        found = []
        for uid in customer_uids:
            key = self._search_key(uid)
            if key is not None:
                found.append(key)
        return found

    def delete_billing_key(self, customer_uid: str, reason: str | None = None) -> BillingKey:
        key = self._key_of(customer_uid)
        try:
            info = self._key_info(key, customer_uid)
        except PortOneError:
            info = _bare_key(customer_uid, key, 0)
        subject = Subject("카드 삭제", None, customer_uid)
        self._call(lambda: self._keys.delete_billing_key(billing_key=key, reason=reason), subject)
        self._forget(customer_uid, key)
        return info

    # charges --------------------------------------------------------------------------------

    def charge_once(
        self,
        order: Order,
        card: KeyInCard,
        *,
        customer_uid: str | None = None,
        pg: str | None = None,
        buyer: Buyer | None = None,
    ) -> Payment:
        """Key-in charge (`POST /payments/{paymentId}/instant` on our channel). With
        `customer_uid` the card is saved first (`POST /billing-keys`) and charged with its new
        key (`…/billing-key`), V2's way of "charge and keep the card": a card refused at the
        issue is refused for the charge too, and a lost issue answer charged nothing
        (Unavailable)."""
        if customer_uid is not None:
            try:
                key = self.issue_billing_key(customer_uid, card, buyer=buyer)
            except OutcomeUnknown as lost:
                # Only the issue's answer was lost: the charge itself was never sent.
                message = lost.message
            else:
                return self._pay_with_key(key.billing_key, customer_uid, order, buyer)
            raise Unavailable(f"카드 등록 결과를 알 수 없어 결제하지 않았습니다: {message}")
        from portone_server_sdk.common import CardCredential
        from portone_server_sdk.payment import (
            InstantPaymentMethodInput,
            InstantPaymentMethodInputCard,
        )

        credential = card.portone_v2_credential()
        subject = Subject("결제", order.merchant_uid, None, charge=True)
        try:
            method = InstantPaymentMethodInput(
                card=InstantPaymentMethodInputCard(
                    CardCredential(**credential), installment_month=order.card_quota or None
                )
            )
            self._call(
                lambda: self._payments.pay_instantly(
                    payment_id=order.merchant_uid,
                    channel_key=self.channel_key,
                    method=method,
                    order_name=order.name,
                    customer=_customer(None, buyer),
                    amount=_amount(order),
                    currency=CURRENCY,
                ),
                subject,
            )
        finally:
            credential.clear()
        return self._paid(order, None)

    def charge_again(
        self, customer_uid: str, order: Order, *, buyer: Buyer | None = None
    ) -> Payment:
        """`POST /payments/{paymentId}/billing-key` with the member's current key."""
        key = self._key_of(customer_uid)
        try:
            return self._pay_with_key(key, customer_uid, order, buyer)
        except NotFound:
            self._forget(customer_uid, key)  # deleted elsewhere: ask afresh next time
            raise

    def _pay_with_key(
        self, key: str, customer_uid: str, order: Order, buyer: Buyer | None
    ) -> Payment:
        subject = Subject("결제", order.merchant_uid, customer_uid, charge=True)
        self._call(
            lambda: self._payments.pay_with_billing_key(
                payment_id=order.merchant_uid,
                billing_key=key,
                order_name=order.name,
                customer=_customer(customer_uid, buyer),
                amount=_amount(order),
                currency=CURRENCY,
                installment_month=order.card_quota or None,
            ),
            subject,
        )
        return self._paid(order, key)

    def _paid(self, order: Order, key: str | None) -> Payment:
        """The payment PortOne just approved, as it shows it (a charge's own answer has only
        the PG's id and the time). Approved for certain; a failed read-back gives what is known
        rather than calling the outcome unknown."""
        try:
            return self.get_payment(order.merchant_uid)
        except PortOneError:
            _log.warning("payment %s approved; its details could not be read", order.merchant_uid)
        return Payment(
            imp_uid=order.merchant_uid,
            merchant_uid=order.merchant_uid,
            status="paid",
            amount=order.amount,
            cancel_amount=0,
            apply_num="",
            card_name="",
            card_code="",
            card_number="",
            card_type=None,
            card_quota=order.card_quota,
            name=order.name,
            paid_at=int(time.time()),
            failed_at=0,
            cancelled_at=0,
            fail_reason="",
            receipt_url="",
            customer_uid=None,
            billing_key=key or "",
        )

    # payments -------------------------------------------------------------------------------

    def get_payment(self, imp_uid: str) -> Payment:
        """`GET /payments/{paymentId}`: in V2 a payment's id is its paymentId (our order id)."""
        return self._read(lambda: payment_of(self._payments.get_payment(payment_id=imp_uid)))

    def find_payment(self, merchant_uid: str, status: str | None = None) -> Payment:
        """The payment under this order id (V2's paymentId is our merchant_uid); NotFound if
        none, or none in `status`. How an OutcomeUnknown is settled, as in V1."""
        payment = self.get_payment(merchant_uid)
        if status is not None and payment.status != status:
            raise NotFound(-1, f"{merchant_uid}: {status} 상태의 결제가 없습니다.", http_status=404)
        return payment

    def cancel_payment(
        self,
        *,
        imp_uid: str | None = None,
        merchant_uid: str | None = None,
        amount: int | None = None,
        checksum: int,
        reason: str | None = None,
        tax_free: int | None = None,
        vat_amount: int | None = None,
    ) -> Payment:
        """`POST /payments/{paymentId}/cancel`: `checksum` goes as `currentCancellableAmount`
        (PortOne refuses the cancel when it differs), `tax_free`/`vat_amount` as
        `taxFreeAmount`/`vatAmount` (core.money.refund_split). Returns the payment after it."""
        payment_id = imp_uid or merchant_uid
        if not payment_id:
            raise ValueError("cancel_payment needs imp_uid or merchant_uid")
        subject = Subject("환불", payment_id, None)
        self._call(
            lambda: self._payments.cancel_payment(
                payment_id=payment_id,
                amount=amount,
                tax_free_amount=tax_free,
                vat_amount=vat_amount,
                reason=reason or DEFAULT_CANCEL_REASON,
                current_cancellable_amount=checksum,
            ),
            subject,
        )
        return self.get_payment(payment_id)

    # member ids and billing keys ------------------------------------------------------------

    def _known_key(self, customer_uid: str) -> str | None:
        """The key this process issued for the member, else the customer index's."""
        with self._issued_lock:
            key = self._issued.get(customer_uid)
        if key is None and self._book is not None:
            key = self._book(customer_uid) or None
        return key

    def _key_of(self, customer_uid: str) -> str:
        key = self._known_key(customer_uid)
        if key is None:
            found = self._search_key(customer_uid)
            key = found.billing_key if found is not None else None
        if key is None:
            text = f"요청하신 customer_uid({customer_uid})로 등록된 카드가 없습니다."
            raise NotFound(-1, text, http_status=404)
        return key

    def _search_key(self, customer_uid: str) -> BillingKey | None:
        """The member's newest issued key at PortOne (`GET /billing-keys`, filtered by
        `customer.id`), or None."""
        from portone_server_sdk.common import PageInput
        from portone_server_sdk.payment.billing_key import (
            BillingKeyFilterInput,
            BillingKeySortInput,
        )

        answer = self._read(
            lambda: self._keys.get_billing_key_infos(
                page=PageInput(number=0, size=1),
                sort=BillingKeySortInput(by="ISSUED_AT", order="DESC"),
                filter=BillingKeyFilterInput(customer_id=customer_uid, status=["ISSUED"]),
            )
        )
        for item in answer.items:
            try:
                return billing_key_of(item, customer_uid)
            except ValueError:  # a key of a kind the SDK does not type: not a card of ours
                continue
        return None

    def _key_info(self, key: str, customer_uid: str) -> BillingKey:
        info = self._read(lambda: self._keys.get_billing_key_info(billing_key=key))
        if type(info).__name__ == "DeletedBillingKeyInfo":
            # Deleted elsewhere (the PortOne console, another till): the member has no card.
            raise NotFound(-1, f"삭제된 빌링키입니다 (customer_uid {customer_uid}).")
        try:
            return billing_key_of(info, customer_uid)
        except ValueError:
            raise Unavailable("PortOne의 빌링키 응답을 읽을 수 없습니다.") from None

    def _forget(self, customer_uid: str, key: str) -> None:
        with self._issued_lock:
            if self._issued.get(customer_uid) == key:
                del self._issued[customer_uid]

    def _retire(self, key: str) -> None:
        """Delete a member's replaced key; best effort (the new one is what counts)."""
        try:
            self._call(
                lambda: self._keys.delete_billing_key(billing_key=key, reason="카드 변경"),
                Subject("카드 삭제", None, None),
            )
        except PortOneError as exc:
            _log.warning("replaced billing key not deleted: %s", type(exc).__name__)

    # the request loop -----------------------------------------------------------------------

    def _note_status(self, response: httpx.Response) -> None:
        self._seen.status = response.status_code

    def _read(self, send: Callable[[], T]) -> T:
        """A lookup: repeated on a "not done" failure, as V1's GETs."""
        delays = iter(self.retry_delays)
        while True:
            try:
                return self._call(send, None)
            except Unavailable:
                delay = next(delays, None)
                if delay is None:
                    raise
            time.sleep(delay)

    def _call(self, send: Callable[[], T], subject: Subject | None) -> T:
        """One SDK call, its failures in our words. `subject` marks a call that changes money
        or keys (a lost answer is then OutcomeUnknown, never repeated)."""
        result = self._attempt(send, subject)
        if not isinstance(result, _Failed):
            return result
        if result.lost is not None:
            raise self._lost(result.lost, subject)
        assert result.error is not None
        if isinstance(result.error, AlreadyPaid) and subject is not None:
            raise self._found_already_paid(result.error, subject)
        raise result.error

    def _attempt(self, send: Callable[[], T], subject: Subject | None) -> T | _Failed:
        from portone_server_sdk.errors import PortOneError as SdkError

        self._seen.status = None
        try:
            return send()
        except httpx.RequestError as exc:
            failed = _Failed(None, lost_by(exc))
        except SdkError as exc:
            failed = _Failed(v2_errors.from_sdk(exc, self._seen.status, subject))
        except (ValueError, KeyError, TypeError) as exc:
            # The SDK could not read the answer (not JSON, or a shape it does not know).
            detail = type(exc).__name__
            failed = _Failed(v2_errors.untyped(self._seen.status, subject, detail))
        return failed

    def _lost(self, lost: Lost, subject: Subject | None) -> PortOneError:
        _log.info("PortOne V2: no answer (%s)", lost.detail)
        if subject is None or not lost.sent:
            if lost.sent:
                return Unavailable(f"PortOne의 응답을 받지 못했습니다: {lost.detail}")
            return Unavailable(f"PortOne에 연결하지 못했습니다 (처리되지 않음): {lost.detail}")
        why = f"응답을 받지 못했습니다 ({lost.detail})"
        if not subject.charge or lost.timed_out or subject.merchant_uid is None:
            return subject.unknown(why)
        # A dropped charge: one lookup, only to carry what it found (as V1; a 404 right after
        # proves nothing while PortOne may still be working on it).
        try:
            return subject.unknown(why, self.get_payment(subject.merchant_uid))
        except PortOneError:
            return subject.unknown(why)

    def _found_already_paid(self, refusal: AlreadyPaid, subject: Subject) -> AlreadyPaid:
        if subject.merchant_uid is not None:
            try:
                refusal.payment = self.get_payment(subject.merchant_uid)
            except PortOneError:
                refusal.payment = None
        return refusal


def _bound(cls: type[T], secret: str, base_url: str, store_id: str | None, http: Any) -> T:
    """An SDK client on our httpx client. The SDK takes no transport or timeout, and its
    constructors build two httpx clients each (with TLS contexts: a third of a second for
    `PaymentClient` and its sub-clients): the attributes its calls read are set instead."""
    client = object.__new__(cls)
    vars(client).update(_secret=secret, _base_url=base_url, _store_id=store_id, _sync_client=http)
    return client


def _bare_key(customer_uid: str, key: str, issued_at: int) -> BillingKey:
    """A key known only by its id (its details could not be read back)."""
    return BillingKey(
        customer_uid=customer_uid,
        pg_provider="",
        card_name="",
        card_code="",
        card_number="",
        card_type=None,
        customer_name="",
        customer_tel="",
        customer_email="",
        inserted=issued_at,
        updated=issued_at,
        billing_key=key,
    )


def _customer(customer_uid: str | None, buyer: Buyer | None) -> Any:
    from portone_server_sdk.common import CustomerInput, CustomerNameInput

    if customer_uid is None and buyer is None:
        return None
    return CustomerInput(
        id=customer_uid,
        name=CustomerNameInput(full=buyer.name[:BUYER_NAME_MAX]) if buyer and buyer.name else None,
        phone_number=(buyer.tel or None) if buyer else None,
        email=(buyer.email or None) if buyer else None,
    )


def _amount(order: Order) -> Any:
    from portone_server_sdk.common import PaymentAmountInput

    return PaymentAmountInput(total=order.amount, tax_free=order.tax_free or None)

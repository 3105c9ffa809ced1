"""PortOne V1 REST client: one connection pool, one cached token, typed answers and errors.

Retry policy (see docs/gateway.md):
- Token requests and lookups (GET) are repeated up to 2 more times, after 0.2 s and 0.5 s, when
  the connection fails or the server answers 5xx / garbage: asking twice changes nothing.
- Anything that changes money or keys (charges, billing-key issue/delete, refunds, schedules) is
  sent once. The only repeat is after a 401: the server refused the stale token and did not act,
  so the request is sent again, once, with a fresh token.
- A failure after the request may have reached the server on such a call is `OutcomeUnknown`;
  a failure before it could have (connect, write, 5xx) is `Unavailable`.

Card calls: their bodies are never logged and never reach an exception (see wire.py).
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from pos_app.core.order import BUYER_NAME_MAX
from pos_app.gateway.answers import Subject, build, interpret, lost_answer
from pos_app.gateway.errors import AlreadyPaid, NotFound, PortOneError, Unavailable
from pos_app.gateway.models import BillingKey, Payment, PaymentPage, Schedule, Token
from pos_app.gateway.port import ApiVersion
from pos_app.gateway.token import TokenCache
from pos_app.gateway.wire import Lost, Params, Reply, check_base_url, exchange

if TYPE_CHECKING:
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Buyer, Order

_log = logging.getLogger(__name__)


_NO_HEADERS: dict[str, str] = {}


def _path(*parts: str) -> str:
    return "/" + "/".join(quote(p, safe="") for p in parts)


class PortOneClient:
    """PortOne V1's adapter of `gateway.port.PaymentGateway`. Thread-safe: share one instance;
    its pool and token serve every thread."""

    version: ApiVersion = "v1"

    # Waits before the 2nd and 3rd try of a repeatable request.
    retry_delays: tuple[float, ...] = (0.2, 0.5)

    def __init__(
        self,
        base_url: str,
        imp_key: str,
        imp_secret: str,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`clock` (monotonic seconds) times the token's life; replaceable for simulations."""
        self.base_url = check_base_url(base_url)
        self._credentials = {"imp_key": imp_key, "imp_secret": imp_secret}
        timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
        )
        # TCP_NODELAY: httpx writes a POST's headers and body in two send() calls; with Nagle's
        # algorithm on, the body can wait for the server's delayed ACK (up to ~40 ms).
        transport = httpx.HTTPTransport(
            verify=True, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        )
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            verify=True,
            transport=transport,
            headers={"User-Agent": "pos-app", "Accept": "application/json"},
        )
        self._tokens = TokenCache(self._fetch_token, clock=clock)

    def __repr__(self) -> str:
        return f"PortOneClient({self.base_url!r})"

    # lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PortOneClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # token ----------------------------------------------------------------------------------

    def get_token(self) -> str:
        """The current access token (fetched or refreshed if needed)."""
        return self._tokens.token()

    def verify_credentials(self) -> None:
        """PortOne accepts imp_key/imp_secret: a token comes back (AuthenticationFailed if not)."""
        self.get_token()

    @property
    def token_requests(self) -> int:
        """How many times this client asked for a token (diagnostics)."""
        return self._tokens.fetch_count

    def _fetch_token(self) -> Token:
        data = self._request(
            "POST", "/users/getToken", body=self._credentials, repeatable=True, auth=False
        )
        token = Token.from_json(data if isinstance(data, dict) else {})
        if not token.access_token:
            raise Unavailable("PortOne이 토큰 없이 응답했습니다. 잠시 후 다시 시도하세요.")
        return token

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
        body: dict[str, Any] = card.portone_fields()
        try:
            # Both are fields of the issue call (v1 schema); `channel_key` since 2026-05.
            _add_if(body, "pg", pg)
            _add_if(body, "channel_key", channel_key)
            if buyer is not None:
                _add_if(body, "customer_name", buyer.name)
                _add_if(body, "customer_tel", buyer.tel)
                _add_if(body, "customer_email", buyer.email)
            data = self._request(
                "POST",
                _path("subscribe", "customers", customer_uid),
                body=body,
                subject=Subject("카드 등록", None, customer_uid),
            )
        finally:
            body.clear()  # drop the card fields from any frame a traceback might keep
        return build(BillingKey, data, Subject("카드 등록", None, customer_uid))

    def get_billing_key(self, customer_uid: str) -> BillingKey:
        data = self._request("GET", _path("subscribe", "customers", customer_uid))
        return build(BillingKey, data)

    def get_billing_keys(self, customer_uids: Sequence[str]) -> list[BillingKey]:
        """Several customers at once; unknown ones are left out (an empty list when none)."""
        params: Params = [("customer_uid[]", uid) for uid in customer_uids]
        try:
            data = self._request("GET", "/subscribe/customers", params=params)
        except NotFound:
            return []
        return [BillingKey.from_json(item) for item in data or ()]

    def delete_billing_key(self, customer_uid: str, reason: str | None = None) -> BillingKey:
        data = self._request(
            "DELETE",
            _path("subscribe", "customers", customer_uid),
            params=[("reason", reason)] if reason else None,
            subject=Subject("카드 삭제", None, customer_uid),
        )
        return build(BillingKey, data)

    def customer_payments(self, customer_uid: str, page: int = 1) -> PaymentPage:
        data = self._request(
            "GET",
            _path("subscribe", "customers", customer_uid, "payments"),
            params=[("page", page)],
        )
        return build(PaymentPage, data)

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
        """Key-in charge; with `customer_uid` the card is also saved as that billing key.

        Routed by `pg` ("kcp", "nice.MID1"): onetime has no `channel_key` field, and a missing
        or unknown `pg` falls back to the merchant's default PG (portone-v1.md §7), so a
        channel key is never sent here.

        Returns the Payment whether approved (`.approved`) or declined (`.declined`, reason in
        `.fail_reason`). Raises Declined (the card company said no, answered as a refusal),
        AlreadyPaid (this merchant_uid is already paid), Refused, Unavailable (nothing charged)
        or OutcomeUnknown.
        """
        body: dict[str, Any] = card.portone_fields()
        subject = Subject("결제", order.merchant_uid, customer_uid, charge=True)
        try:
            _add_order(body, order, buyer)
            _add_if(body, "customer_uid", customer_uid)
            _add_if(body, "pg", pg)
            data = self._request("POST", "/subscribe/payments/onetime", body=body, subject=subject)
        finally:
            body.clear()
        return build(Payment, data, subject)

    def charge_again(
        self, customer_uid: str, order: Order, *, buyer: Buyer | None = None
    ) -> Payment:
        """Charge a saved billing key. Same outcomes as `charge_once`.

        The key's own PG routes it; `channel_key` (a field of `again` only for "super billing
        keys" issued to a channel group, which this app does not issue) is not sent. `name` is
        always sent (`Order` requires one): the schema requires it and KG Inicis refuses an
        `again` without it.
        """
        body: dict[str, Any] = {"customer_uid": customer_uid}
        _add_order(body, order, buyer)
        subject = Subject("결제", order.merchant_uid, customer_uid, charge=True)
        data = self._request("POST", "/subscribe/payments/again", body=body, subject=subject)
        return build(Payment, data, subject)

    # payments -------------------------------------------------------------------------------

    def get_payment(self, imp_uid: str) -> Payment:
        """One payment by imp_uid, including payments made on a PortOne test channel: since
        2026-01-26 PortOne hides those unless `include_sandbox=true` (portone-v1.md §7), and a
        till's first live trial usually runs on a test channel."""
        params: Params = [("include_sandbox", "true")]
        return build(Payment, self._request("GET", _path("payments", imp_uid), params=params))

    def find_payment(self, merchant_uid: str, status: str | None = None) -> Payment:
        """The newest payment with this order id (optionally in this status); NotFound if none.

        This is how an OutcomeUnknown is resolved. NotFound means "nothing yet": it proves the
        charge never happened only once no request for it can still be in flight (§6).
        """
        parts = ("payments", "find", merchant_uid) + ((status,) if status else ())
        return build(Payment, self._request("GET", _path(*parts)))

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
        """Refund `amount` (None = all that is left). `checksum` is the refundable amount as the
        caller knows it (`Payment.refundable`); PortOne rejects the cancel if it differs, which
        makes a double refund impossible.

        `tax_free` and `vat_amount` are this refund's tax-free part and VAT
        (`core.money.refund_split`). Send them for any sale with a tax-free part: PortOne reads a
        missing `tax_free` as 0, and KCP, KCP quick, KICC, NICE and Payco need the exact split
        (portone-v1.md §7). None leaves a field out; 0 is sent as 0."""
        if not imp_uid and not merchant_uid:
            raise ValueError("cancel_payment needs imp_uid or merchant_uid")
        body: dict[str, Any] = {"checksum": checksum}
        _add_if(body, "imp_uid", imp_uid)
        _add_if(body, "merchant_uid", merchant_uid)
        if amount is not None:
            body["amount"] = amount
        if tax_free is not None:
            body["tax_free"] = tax_free
        if vat_amount is not None:
            body["vat_amount"] = vat_amount
        _add_if(body, "reason", reason)
        subject = Subject("환불", merchant_uid or imp_uid, None)
        data = self._request("POST", "/payments/cancel", body=body, subject=subject)
        return build(Payment, data, subject)

    # schedules ------------------------------------------------------------------------------

    def schedule(
        self,
        customer_uid: str,
        plans: Sequence[tuple[int, Order]],
        *,
        buyer: Buyer | None = None,
    ) -> list[Schedule]:
        """Ask PortOne to charge `customer_uid` later: each plan is (schedule_at unix s, order)."""
        entries: list[dict[str, Any]] = []
        for schedule_at, order in plans:
            entry: dict[str, Any] = {"schedule_at": schedule_at}
            _add_order(entry, order, buyer)
            entries.append(entry)
        first = plans[0][1].merchant_uid if plans else None
        subject = Subject("예약 결제 등록", first, customer_uid)
        data = self._request(
            "POST",
            "/subscribe/payments/schedule",
            body={"customer_uid": customer_uid, "schedules": entries},
            subject=subject,
        )
        return [Schedule.from_json(item) for item in data or ()]

    def unschedule(
        self, customer_uid: str, merchant_uids: Sequence[str] | None = None
    ) -> list[Schedule]:
        """Revoke the given scheduled charges (None = all of this customer's)."""
        body: dict[str, Any] = {"customer_uid": customer_uid}
        if merchant_uids is not None:
            body["merchant_uid"] = list(merchant_uids)
        subject = Subject("예약 결제 취소", None, customer_uid)
        data = self._request("POST", "/subscribe/payments/unschedule", body=body, subject=subject)
        return [Schedule.from_json(item) for item in data or ()]

    def get_schedule(self, merchant_uid: str) -> Schedule:
        data = self._request("GET", _path("subscribe", "payments", "schedule", merchant_uid))
        return build(Schedule, data)

    # the one request loop -------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: Params | None = None,
        subject: Subject | None = None,
        repeatable: bool | None = None,
        auth: bool = True,
    ) -> Any:
        """Send one request and return the envelope's `response`, or raise a PortOneError.

        `subject` marks a state-changing call (sent once; lost answer = OutcomeUnknown).
        """
        if repeatable is None:
            repeatable = subject is None and method == "GET"
        delays = iter(self.retry_delays if repeatable else ())
        renewed = False
        while True:
            if auth:
                headers, generation = self._tokens.headers()
            else:
                headers, generation = _NO_HEADERS, 0
            result = exchange(self._http, method, path, headers=headers, body=body, params=params)
            if isinstance(result, Reply):
                _log.debug("%s %s -> %d", method, path, result.status)
                if result.status == 401 and auth and not renewed:
                    # The server refused the token and did nothing: renew once and repeat.
                    renewed = True
                    self._tokens.refresh(generation)
                    continue
                outcome = interpret(result, subject, auth=auth)
            else:
                _log.info("%s %s -> no answer (%s)", method, path, result.detail)
                if subject is not None and subject.charge and result.sent and not result.timed_out:
                    raise self._after_dropped_charge(subject, result)
                outcome = lost_answer(result, subject)
            if not isinstance(outcome, PortOneError):
                return outcome
            if isinstance(outcome, AlreadyPaid) and subject is not None:
                raise self._found_already_paid(outcome, subject)
            delay = next(delays, None)
            if delay is None or not isinstance(outcome, Unavailable):
                raise outcome
            time.sleep(delay)

    def _after_dropped_charge(self, subject: Subject, lost: Lost) -> PortOneError:
        """The connection closed with no answer after a charge went out: `OutcomeUnknown`.

        A drop looks the same on the wire whether PortOne acted, is still acting, or never got
        to it, and a 404 from `find` proves nothing while the request may still be in flight
        (the card company can take many seconds, portone-v1.md §6). So one lookup is made only
        to carry what it found (`OutcomeUnknown.payment`); settling is left to a later `find`
        by whoever owns the charge. Not done after a timeout (the server is still working).
        """
        assert subject.merchant_uid is not None
        why = f"응답을 받지 못했습니다 ({lost.detail})"
        try:
            payment = self.find_payment(subject.merchant_uid)
        except PortOneError:  # NotFound included: not proof of anything yet
            return subject.unknown(why)
        return subject.unknown(why, payment)

    def _found_already_paid(self, refusal: AlreadyPaid, subject: Subject) -> AlreadyPaid:
        """`refusal` with the payment PortOne holds under this merchant_uid, when a lookup finds
        it (a hint for the caller; `find_payment` stays the way to settle the order)."""
        if subject.merchant_uid is not None:
            try:
                refusal.payment = self.find_payment(subject.merchant_uid)
            except PortOneError:
                refusal.payment = None
        return refusal


def _add_if(body: dict[str, Any], key: str, value: str | None) -> None:
    if value:
        body[key] = value


def _add_order(body: dict[str, Any], order: Order, buyer: Buyer | None) -> None:
    body["merchant_uid"] = order.merchant_uid
    body["amount"] = order.amount
    body["name"] = order.name
    if order.tax_free:
        body["tax_free"] = order.tax_free
    if order.card_quota:
        body["card_quota"] = order.card_quota
    if buyer is not None:
        # PortOne takes at most 16 characters here (customer_name allows 20): a longer member
        # name must not get a charge refused, so only the receipt's buyer name is shortened.
        _add_if(body, "buyer_name", buyer.name[:BUYER_NAME_MAX])
        _add_if(body, "buyer_tel", buyer.tel)
        _add_if(body, "buyer_email", buyer.email)

"""The one interface the till talks to, whichever PortOne API is behind it.

Two adapters implement it: `gateway.client.PortOneClient` (PortOne V1, i'mport REST) and
`gateway.portone_v2.PortOneV2Client` (PortOne V2, through PortOne's official Python SDK). Both
speak in the same results (`gateway.models`) and the same errors (`gateway.errors`), so the
till, refunds, settling, the customer list, the guard and the billing run do not know which one
they hold (docs/gateway.md, "Two adapters").

Names are V1's because the journal and the window already use them: a `customer_uid` is our
member id in both versions, a `merchant_uid` is our order id (V2's `paymentId`), and `imp_uid`
is whatever id the adapter looks a payment up by later (V1's imp_uid; V2's paymentId).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Buyer, Order
    from pos_app.gateway.models import BillingKey, Payment

ApiVersion = Literal["v1", "v2"]
API_VERSIONS: tuple[ApiVersion, ...] = ("v1", "v2")


class PaymentGateway(Protocol):
    """PortOne, as the till needs it. Thread-safe; every call may raise a `PortOneError`."""

    version: ApiVersion
    base_url: str

    def close(self) -> None: ...

    def __enter__(self) -> PaymentGateway: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def verify_credentials(self) -> None:
        """Ask PortOne whether it accepts our credentials (V1: a token; V2: a lookup with the
        API secret). Raises AuthenticationFailed, Unavailable or another PortOneError."""

    # billing keys -------------------------------------------------------------------------

    def issue_billing_key(
        self,
        customer_uid: str,
        card: KeyInCard,
        *,
        pg: str | None = None,
        channel_key: str | None = None,
        buyer: Buyer | None = None,
    ) -> BillingKey: ...

    def get_billing_key(self, customer_uid: str) -> BillingKey: ...

    def get_billing_keys(self, customer_uids: Sequence[str]) -> list[BillingKey]: ...

    def delete_billing_key(self, customer_uid: str, reason: str | None = None) -> BillingKey: ...

    # charges ------------------------------------------------------------------------------

    def charge_once(
        self,
        order: Order,
        card: KeyInCard,
        *,
        customer_uid: str | None = None,
        pg: str | None = None,
        buyer: Buyer | None = None,
    ) -> Payment: ...

    def charge_again(
        self, customer_uid: str, order: Order, *, buyer: Buyer | None = None
    ) -> Payment: ...

    # payments -----------------------------------------------------------------------------

    def get_payment(self, imp_uid: str) -> Payment: ...

    def find_payment(self, merchant_uid: str, status: str | None = None) -> Payment: ...

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
    ) -> Payment: ...

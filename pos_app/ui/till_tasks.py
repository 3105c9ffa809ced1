"""The till's verbs as the window's worker thread runs them: one function per request, each
`(TillWork, request) -> its answer` (ui/till_requests.py), handed to `TillThread.submit`.

They only call the Till's verbs (services/till.py) — the rules live there — and turn what comes
back, or what was raised, into the typed answer the window shows. Nothing here touches a widget,
and nothing raises: a failure is an answer too (`Failed`, or an "unknown" charge or refund when
the request may have reached PortOne).

The services, gateway (httpx), store (sqlite3) and sandbox (Starlette, uvicorn) are imported by
these functions, on the worker thread; the window imports this module only when it starts the
till, after its first paint (docs/packaging.md, startup time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from pos_app.ui.customer_model import PreparedRows
from pos_app.ui.till_requests import (
    Charged,
    ChargeRequest,
    CheckOutcome,
    CustomerGone,
    CustomerRefreshed,
    CustomersReloaded,
    DayExported,
    DaySalesRequest,
    DeleteKey,
    ExportDay,
    Failed,
    GuardClear,
    GuardQuestion,
    IssueKey,
    KeyDeleted,
    KeyIssued,
    Opened,
    OpenFailure,
    Precheck,
    ReceiptReady,
    ReceiptRequest,
    Reconcile,
    Reconciled,
    RefreshCustomer,
    Refunded,
    RefundRequest,
    RefundUnsettled,
    ReloadCustomers,
)

if TYPE_CHECKING:
    from pos_app.services.guard import ChargeBlocked
    from pos_app.services.live import ShopChange, ShopFeed, StoreHealth
    from pos_app.services.report import DaySales
    from pos_app.services.till import Till

log = logging.getLogger(__name__)

R = TypeVar("R")


class TillWork:
    """The till as its worker thread holds it: opened there (with the embedded sandbox, when
    there is one), used there, closed there. `till` may be read from other threads (the billing
    run shares it: its store objects take their own locks and its PortOne client is
    thread-safe)."""

    def __init__(self, api_base: str | None) -> None:
        self._api_base = api_base
        self._till: Till | None = None
        self._feed: ShopFeed | None = None

    @property
    def till(self) -> Till | None:
        return self._till

    def open(
        self,
        on_change: Callable[[ShopChange], None],
        on_health: Callable[[StoreHealth], None],
    ) -> Opened | OpenFailure:
        """Open the till (and, with the shop's store server, follow the other counters)."""
        try:
            from pos_app.services.opening import open_till

            till = self._till = open_till(self._api_base)
        except Exception as exc:
            failure = open_failure(exc)
            if failure.kind == "other":
                log.exception("could not open the till")
            else:
                log.error("could not open the till: %s", failure.detail or failure.message)
            return failure
        if self._feed is None:
            self._feed = till.watch_shop(on_change, on_health)
        return Opened(till.mode, till.api_base, PreparedRows(till.customers()))

    def start_new_and_open(
        self,
        path: str,
        on_change: Callable[[ShopChange], None],
        on_health: Callable[[StoreHealth], None],
    ) -> Opened | OpenFailure:
        """The person chose to start a new journal (or customer list) after a damaged or
        missing one: the old file stays, moved aside; then the till opens again."""
        from pathlib import Path

        from pos_app.services.storage import start_new_file

        try:
            start_new_file(Path(path))
        except Exception as exc:
            return open_failure(exc)
        return self.open(on_change, on_health)

    def close(self) -> None:
        try:
            if self._feed is not None:
                self._feed.stop()
                self._feed = None
        finally:
            till, self._till = self._till, None
            if till is not None:
                till.close()

    def need(self) -> Till:
        till = self._till
        if till is None:
            from pos_app.gateway.errors import PortOneError

            raise PortOneError("PortOne에 연결되지 않았습니다.")
        return till


def open_failure(exc: BaseException) -> OpenFailure:
    """Why the till did not open, blaming the right thing."""
    from pos_app.gateway.errors import PortOneError
    from pos_app.services.places import NotLoopback
    from pos_app.services.setting_rules import InvalidSetting
    from pos_app.store.errors import classify

    storage = classify(exc)
    if storage is not None:
        return OpenFailure("storage", storage.message("ko"), storage.message("en"), storage)
    if isinstance(exc, InvalidSetting | NotLoopback):
        return OpenFailure("settings", exc.message("ko"), exc.message("en"))
    if isinstance(exc, PortOneError):
        return OpenFailure("portone", exc.message or str(exc))
    return OpenFailure("other", str(exc) or type(exc).__name__)


def _answered(what: str, task: Callable[[], R]) -> R | Failed:
    """`task()`, or why nothing was done: PortOne's refusal (a lost answer to a lookup too),
    a broken rule, the store's failure, or an error of ours."""
    from pos_app.core.errors import InvalidInput
    from pos_app.gateway.errors import PortOneError
    from pos_app.store.errors import StorageError

    try:
        return task()
    except PortOneError as exc:
        return Failed(exc.message)
    except InvalidInput as exc:
        return Failed(str(exc), invalid=True)
    except StorageError as exc:
        log.warning("%s: store failed (%s); nothing sent", what, exc.reason)
        return Failed(exc.message("ko"), storage_reason=exc.reason)
    except Exception as exc:
        log.exception("%s failed", what)
        return Failed(type(exc).__name__)


# -- the customer's card -------------------------------------------------------------------------


def issue_key(work: TillWork, request: IssueKey) -> KeyIssued | Failed:
    def issue() -> KeyIssued:
        till = work.need()
        key = till.issue_key(request.customer_uid, request.card, request.buyer)
        return KeyIssued(key, till.customer(request.customer_uid))

    try:
        return _answered("issue_key", issue)
    finally:
        request.card.wipe()  # the Till wipes it too; this covers every other path


def delete_key(work: TillWork, request: DeleteKey) -> KeyDeleted | Failed:
    return _answered("delete_key", lambda: KeyDeleted(work.need().delete_key(request.customer_uid)))


def refresh_customer(
    work: TillWork, request: RefreshCustomer
) -> CustomerRefreshed | CustomerGone | Failed:
    def refresh() -> CustomerRefreshed | CustomerGone:
        from pos_app.gateway.errors import NotFound

        till = work.need()
        try:
            key = till.refresh_customer(request.customer_uid)
        except NotFound as exc:
            return CustomerGone(request.customer_uid, exc.message)
        return CustomerRefreshed(key, till.customer(request.customer_uid))

    return _answered("refresh_customer", refresh)


def reload_customers(work: TillWork, _request: ReloadCustomers) -> CustomersReloaded | Failed:
    return _answered(
        "reload_customers", lambda: CustomersReloaded(PreparedRows(work.need().reload_customers()))
    )


# -- charges ---------------------------------------------------------------------------------------


def charge(work: TillWork, request: ChargeRequest) -> Charged | GuardQuestion | Failed:
    """The charge asked for; the Till's guard checks it (a question comes back) and writes the
    intent, with a manager's override reason, before anything is sent. Once an order id exists
    a failure may have come after the request left: the charge is then unknown, never failed."""
    try:
        return _charge(work, request)
    finally:
        if request.card is not None:
            request.card.wipe()


def _charge(work: TillWork, request: ChargeRequest) -> Charged | GuardQuestion | Failed:
    from pos_app.core.errors import InvalidInput
    from pos_app.core.order import Order
    from pos_app.gateway.errors import OutcomeUnknown, PortOneError
    from pos_app.services.guard import Answers, ChargeBlocked
    from pos_app.store.errors import StorageError

    till_or_failure = _answered(request.action, work.need)
    if isinstance(till_or_failure, Failed):
        return till_or_failure
    till = till_or_failure
    fields = request.charge
    order = _answered(
        request.action,
        lambda: Order(
            till.new_merchant_uid(), fields.amount, fields.name, fields.tax_free, fields.card_quota
        ),
    )
    if isinstance(order, Failed):
        return order
    uid = request.customer_uid
    answers = Answers(
        allow_duplicate=request.confirmed_duplicate, override_reason=request.override_reason
    )

    def send() -> Charged | GuardQuestion:
        try:
            if request.action == "charge_again":
                outcome = till.charge_again(uid, order, buyer=request.buyer, answers=answers)
            else:
                assert request.card is not None
                save_as = uid if request.action == "issue_and_charge" else None
                outcome = till.charge_once(
                    request.card, order, save_as=save_as, buyer=request.buyer, answers=answers
                )
        except ChargeBlocked as blocked:
            return guard_question(blocked)
        customer_uid = outcome.customer_uid or uid
        return Charged(
            outcome,
            request.action,
            customer_uid,
            till.customer(customer_uid) if customer_uid else None,
            till.checking_customers(),
        )

    try:
        return send()
    except OutcomeUnknown as exc:
        return _lost(request, order.merchant_uid, exc.message)
    except PortOneError as exc:  # a complete refusal before the request left (the token, say)
        return Failed(exc.message)
    except InvalidInput as exc:
        return Failed(str(exc), invalid=True)
    except StorageError as exc:
        if till.sending == order.merchant_uid:  # the request had left: it may have happened
            return _lost(request, order.merchant_uid, exc.message("ko"), exc.reason)
        log.warning("%s: store failed (%s); nothing sent", request.action, exc.reason)
        return Failed(exc.message("ko"), storage_reason=exc.reason)
    except Exception as exc:
        log.exception("%s failed", request.action)
        return _lost(request, order.merchant_uid, type(exc).__name__)


def _lost(request: ChargeRequest, merchant_uid: str, message: str, storage: str = "") -> Charged:
    """A charge whose answer is lost may have happened: shown as unknown, never as failed."""
    from pos_app.services.outcome import ChargeOutcome

    outcome = ChargeOutcome("unknown", merchant_uid, None, message, request.customer_uid or None)
    return Charged(outcome, request.action, request.customer_uid, storage_reason=storage)


def guard_question(blocked: ChargeBlocked) -> GuardQuestion:
    """Nothing was written or sent: the window asks the person, then sends it again."""
    return GuardQuestion(
        blocked.customer_uid,
        blocked=blocked.unsettled,
        in_flight=blocked.in_flight,
        duplicate=blocked.duplicate,
    )


def precheck(work: TillWork, request: Precheck) -> GuardClear | GuardQuestion | Failed:
    def verdict() -> GuardClear | GuardQuestion:
        blocked = work.need().guard_verdict(request.customer_uid, request.amount)
        if blocked is None:
            return GuardClear(request.customer_uid)
        return guard_question(blocked)

    return _answered("precheck", verdict)


def check_outcome(work: TillWork, request: CheckOutcome) -> Charged | Failed:
    def check() -> Charged:
        till = work.need()
        outcome = till.check_outcome(request.merchant_uid)
        uid = outcome.customer_uid or ""
        customer = till.customer(uid) if uid else None
        return Charged(outcome, "check_outcome", uid, customer, till.checking_customers())

    return _answered("check_outcome", check)


def reconcile(work: TillWork, _request: Reconcile) -> Reconciled | Failed:
    def settle() -> Reconciled:
        from pos_app.gateway.errors import PortOneError

        till = work.need()
        try:
            charges, refunds = till.reconcile_all()
        except PortOneError as exc:
            # Unreachable PortOne leaves the rows unknown; they are asked about again later.
            log.warning("reconciliation stopped: %s", type(exc).__name__)
            return Reconciled(checking=till.checking_customers(), message=exc.message)
        uids = sorted({o.customer_uid for o in charges if o.customer_uid})
        return Reconciled(
            tuple(charges),
            tuple(refunds),
            tuple(till.customers_of(uids)),
            till.checking_customers(),
        )

    return _answered("reconcile", settle)


# -- refunds, the day's sales, receipts ------------------------------------------------------------


def refund(work: TillWork, request: RefundRequest) -> Refunded | RefundUnsettled | Failed:
    """Till.refund sends PortOne's checksum: a second refund built on a stale view fails. A
    cancel that may have reached PortOne is unsettled (reconciliation settles it); PortOne's
    errors other than a lost answer came before the cancel left: nothing was refunded."""
    from pos_app.core.errors import InvalidInput
    from pos_app.gateway.errors import PortOneError
    from pos_app.services.refunds import RefundUnknown
    from pos_app.store.errors import StorageError

    imp_uid = request.imp_uid
    try:
        till = work.need()
        payment = till.refund(imp_uid, request.amount, request.reason)
        return Refunded(payment, request.amount or 0, request.reason, till.checking_customers())
    except RefundUnknown as exc:
        return RefundUnsettled(imp_uid, exc.message)
    except PortOneError as exc:
        return Failed(exc.message)
    except InvalidInput as exc:
        return Failed(str(exc), invalid=True)
    except StorageError as exc:
        return RefundUnsettled(imp_uid, exc.message("ko"), exc.reason)
    except Exception as exc:
        log.exception("refund failed")
        return RefundUnsettled(imp_uid, type(exc).__name__)


def day_sales(work: TillWork, request: DaySalesRequest) -> DaySales | Failed:
    return _answered("day_report", lambda: work.need().day_sales(request.day))


def export_day(work: TillWork, request: ExportDay) -> DayExported | Failed:
    from pathlib import Path

    def export() -> DayExported | Failed:
        try:
            work.need().export_day(request.day, Path(request.path), request.lang)
        except OSError as exc:
            return Failed(exc.strerror or str(exc))
        return DayExported(request.path)

    return _answered("export_day", export)


def receipt(work: TillWork, request: ReceiptRequest) -> ReceiptReady | Failed:
    """The slip for the payment shown, with what PortOne's answer lacks (Till.receipt)."""

    def slip() -> ReceiptReady:
        from pos_app.ui.receipt import receipt_html

        facts = work.need().receipt(request.payment)
        html = receipt_html(
            facts.payment,
            shop_name=facts.shop_name,
            business_number=facts.business_number,
            tax_free=facts.tax_free,
        )
        return ReceiptReady(html, facts.lacks_shop)

    return _answered("receipt", slip)

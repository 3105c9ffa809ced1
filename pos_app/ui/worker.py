"""One long-lived worker on a QThread runs every PortOne call; results come back as signals.

The Till is opened inside the worker's thread (including the embedded sandbox), so the GUI thread
never does I/O. Each request carries an id; the window ignores answers it no longer waits for.
The worker never touches a widget.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QThread, Signal, Slot

from pos_app.ui.customer_model import PreparedRows
from pos_app.ui.till_messages import CHARGES, TillReply, TillRequest

# The services, gateway (httpx), store (sqlite3) and sandbox (Starlette, uvicorn) are imported by
# the worker's own methods, on the worker thread; the window itself imports this module only when
# it starts the till, after its first paint (docs/packaging.md, startup time).
if TYPE_CHECKING:
    from pos_app.services.guard import Answers
    from pos_app.services.live import ShopChange, ShopFeed
    from pos_app.services.outcome import ChargeOutcome
    from pos_app.services.refunds import RefundOutcome
    from pos_app.services.till import Till
    from pos_app.store.errors import StorageError

log = logging.getLogger(__name__)

# Every worker thread ever started, so tests can prove none is left running.
_threads: weakref.WeakSet[QThread] = weakref.WeakSet()


def running_threads() -> list[QThread]:
    return [thread for thread in _threads if thread.isRunning()]


@dataclass(frozen=True)
class OpenFailure:
    """Why the till did not open, so the window blames the right thing: "storage" (the journal
    or the customer list: `storage` says what and where), "settings" (the saved settings file),
    "portone" (PortOne or the sandbox), or "other". `message` is the Korean text of the cause;
    `detail` the same in English, for the window in English."""

    kind: Literal["storage", "settings", "portone", "other"]
    message: str
    detail: str = ""
    storage: StorageError | None = None


def open_failure(exc: BaseException) -> OpenFailure:
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


class TillWorker(QObject):
    opened = Signal(str, str)  # mode, api_base
    openFailed = Signal(object)  # OpenFailure
    customersLoaded = Signal(object)  # PreparedRows
    replied = Signal(object)  # TillReply
    # The shop's store server (services/live.py): other counters' changes, and whether it answers.
    # Emitted from the feed's own thread; Qt queues them to the window's.
    shopChanged = Signal(object)  # ShopChange
    storeHealth = Signal(object)  # StoreHealth

    def __init__(self, api_base: str | None) -> None:
        super().__init__()
        self._api_base = api_base
        self._till: Till | None = None
        self._feed: ShopFeed | None = None
        # The order id of the charge being sent, so a crash mid-charge can still be looked up.
        self._merchant_uid = ""

    @property
    def till(self) -> Till | None:
        """The open till (None until it opens, and after it closes), for work that shares it on
        threads of its own (the billing run, ui/billing_hook.py): its store objects take their
        own locks and its PortOne client is thread-safe."""
        return self._till

    @Slot()
    def open(self) -> None:
        try:
            from pos_app.services.opening import open_till

            self._till = open_till(self._api_base)
        except Exception as exc:
            failure = open_failure(exc)
            if failure.kind == "other":
                log.exception("could not open the till")
            else:
                log.error("could not open the till: %s", failure.detail or failure.message)
            self.openFailed.emit(failure)
            return
        self.opened.emit(self._till.mode, self._till.api_base)
        self.customersLoaded.emit(PreparedRows(self._till.customers()))
        self._watch(self._till)
        # Charges left unsettled by a crash or a lost answer are settled before anything else
        # (queued requests wait behind this), by asking PortOne, never by sending again.
        try:
            self.replied.emit(self._reconcile(0, self._till))
        except Exception:  # the window still opens; the button or the next start tries again
            log.exception("reconciliation at start failed")

    def _watch(self, till: Till) -> None:
        """With a store server, follow what the other counters do (services/live.py)."""
        if self._feed is None:
            self._feed = till.watch_shop(self._shop_changed, self.storeHealth.emit)

    def _shop_changed(self, change: ShopChange) -> None:
        """On the feed's thread: the whole list is prepared here, off the GUI thread."""
        if change.everything is not None:
            self.customersLoaded.emit(PreparedRows(list(change.everything)))
        self.shopChanged.emit(change)

    @Slot(str)
    def start_new_and_open(self, path: str) -> None:
        """The person chose to start a new journal (or customer list) after a damaged or
        missing one: the old file stays, moved aside; then the till opens again."""
        from pathlib import Path

        from pos_app.services.storage import start_new_file

        try:
            start_new_file(Path(path))
        except Exception as exc:
            self.openFailed.emit(open_failure(exc))
            return
        self.open()

    @Slot(int, object)
    def run(self, request_id: int, request: TillRequest) -> None:
        from pos_app.core.card import InvalidInput
        from pos_app.gateway.errors import OutcomeUnknown, PortOneError
        from pos_app.store.errors import StorageError

        self._merchant_uid = ""
        try:
            reply = self._run(request_id, request)
        except OutcomeUnknown as exc:
            reply = self._unknown(request_id, request, exc.message, exc)
        except PortOneError as exc:
            reply = TillReply(request_id, request.action, "refused", message=exc.message)
        except InvalidInput as exc:
            reply = TillReply(request_id, request.action, "invalid", message=str(exc))
        except StorageError as exc:
            reply = self._store_failed(request_id, request, exc)
        except Exception as exc:
            log.exception("%s failed", request.action)
            reply = self._unknown(request_id, request, type(exc).__name__, exc)
        finally:
            if request.card is not None:
                request.card.wipe()  # the Till wipes it too; this covers every other path
        self.replied.emit(reply)

    @Slot()
    def close(self) -> None:
        try:
            if self._feed is not None:
                self._feed.stop()
                self._feed = None
            if self._till is not None:
                self._till.close()
        finally:
            self._till = None
            thread = self.thread()
            thread.quit()

    def _store_failed(self, request_id: int, request: TillRequest, exc: StorageError) -> TillReply:
        """The journal (or the store server) failed. A charge already on its way to PortOne may
        have happened: unknown. Anything else did nothing: refused, saying why (the window shows
        the store server's banner for `storage_reason` "unreachable")."""
        till = self._till
        sent = bool(self._merchant_uid) and till is not None and till.sending == self._merchant_uid
        if (request.action in CHARGES and sent) or request.action == "refund":
            reply = self._unknown(request_id, request, exc.message("ko"), exc)
            return replace(reply, storage_reason=exc.reason)
        log.warning("%s: store failed (%s); nothing sent", request.action, exc.reason)
        return TillReply(
            request_id,
            request.action,
            "refused",
            message=exc.message("ko"),
            storage_reason=exc.reason,
            customer_uid=request.customer_uid,
        )

    def _unknown(
        self, request_id: int, request: TillRequest, message: str, exc: Exception | None = None
    ) -> TillReply:
        from pos_app.services.outcome import ChargeOutcome

        if request.action == "refund":
            from pos_app.gateway.errors import PortOneError
            from pos_app.services.refunds import RefundUnknown

            # A cancel sent and not answered is unknown (reconcile settles it); PortOne errors
            # other than that came before the cancel left, so nothing was refunded.
            unsent = isinstance(exc, PortOneError) and not isinstance(exc, RefundUnknown)
            return TillReply(
                request_id,
                "refund",
                "refused" if unsent else "unknown",
                message=message,
                imp_uid=request.imp_uid,
            )
        # A charge whose answer is lost may have happened: show it as unknown, never as failed.
        if request.action in CHARGES and self._merchant_uid:
            uid = self._merchant_uid
            outcome = ChargeOutcome("unknown", uid, None, message, request.customer_uid or None)
            return TillReply(request_id, request.action, "unknown", charge=outcome, message=message)
        return TillReply(request_id, request.action, "refused", message=message)

    def _run(self, request_id: int, request: TillRequest) -> TillReply:
        from pos_app.gateway.errors import NotFound, PortOneError

        till = self._till
        if till is None:
            raise PortOneError("PortOne에 연결되지 않았습니다.")
        action, uid = request.action, request.customer_uid
        if action == "issue_key":
            assert request.card is not None
            key = till.issue_key(uid, request.card, request.buyer)
            return TillReply(
                request_id,
                action,
                "issued",
                billing_key=key,
                customer=till.customer(uid),
                customer_uid=uid,
            )
        if action == "delete_key":
            key = till.delete_key(uid)
            return TillReply(request_id, action, "deleted", billing_key=key, customer_uid=uid)
        if action == "refresh_customer":
            try:
                key = till.refresh_customer(uid)
            except NotFound as exc:
                return TillReply(
                    request_id,
                    action,
                    "refused",
                    customer_uid=uid,
                    message=exc.message,
                    customer_gone=True,
                )
            return TillReply(
                request_id,
                action,
                "refreshed",
                billing_key=key,
                customer=till.customer(uid),
                customer_uid=uid,
            )
        if action == "reload_customers":
            # Every saved card is asked of PortOne (in batches); ones it no longer has go.
            rows = PreparedRows(till.reload_customers())
            return TillReply(request_id, action, "customers", customers=rows)
        if action == "reconcile":
            return self._reconcile(request_id, till)
        if action == "refund":
            # Till.refund sends PortOne's checksum: a second refund built on a stale view fails.
            payment = till.refund(request.imp_uid, request.refund_amount, request.reason)
            return TillReply(
                request_id,
                action,
                "refunded",
                payment=payment,
                refunded=request.refund_amount or 0,
                message=request.reason,
                imp_uid=request.imp_uid,
                checking=checking_customers(till),
            )
        if action in ("day_report", "export_day"):
            return self._day(request_id, request, till)
        if action == "receipt":
            return self._receipt(request_id, request, till)
        from pos_app.services.guard import Answers, ChargeBlocked

        answers = Answers(
            allow_duplicate=request.confirmed_duplicate, override_reason=request.override_reason
        )
        try:
            if action == "precheck":
                assert request.charge is not None
                verdict = till.guard_verdict(uid, request.charge.amount, answers)
                if verdict is not None:
                    raise verdict
                return TillReply(request_id, action, "clear", customer_uid=uid)
            if action != "check_outcome":
                outcome = self._charge(till, request, answers)
        except ChargeBlocked as blocked:
            # Nothing was written or sent: the window asks the person, then sends it again.
            return TillReply(
                request_id,
                action,
                "needs_confirmation",
                customer_uid=uid,
                blocked=blocked.unsettled,
                in_flight=blocked.in_flight,
                duplicate=blocked.duplicate,
            )
        if action == "check_outcome":
            outcome = till.check_outcome(request.merchant_uid)
        customer_uid = outcome.customer_uid or uid
        row = till.customer(customer_uid) if customer_uid else None
        return TillReply(
            request_id,
            action,
            outcome.kind,
            charge=outcome,
            customer=row,
            customer_uid=customer_uid,
            message=outcome.message,
            checking=checking_customers(till),
        )

    def _day(self, request_id: int, request: TillRequest, till: Till) -> TillReply:
        """The journal's rows and totals of one local day; export_day also writes them as CSV
        (UTF-8 with a byte-order mark, so Excel reads the Korean right), headed in the window's
        language, with each member's name from the customer index."""
        from pathlib import Path

        assert request.day is not None
        if request.action == "day_report":
            sales = till.day_sales(request.day)
            return TillReply(
                request_id,
                "day_report",
                "day_report",
                day_rows=sales.rows,
                totals=sales.totals,
            )
        try:
            till.export_day(request.day, Path(request.path), request.lang)
        except OSError as exc:
            return TillReply(request_id, "export_day", "refused", message=exc.strerror or str(exc))
        return TillReply(request_id, "export_day", "exported", message=request.path)

    def _receipt(self, request_id: int, request: TillRequest, till: Till) -> TillReply:
        """The slip for the payment shown, with what PortOne's answer lacks: the charge's
        tax-free part from the journal, and the shop from the saved settings."""
        from pos_app.ui.receipt import receipt_html

        assert request.payment is not None
        facts = till.receipt(request.payment)
        html = receipt_html(
            facts.payment,
            shop_name=facts.shop_name,
            business_number=facts.business_number,
            tax_free=facts.tax_free,
        )
        return TillReply(
            request_id, "receipt", "receipt", receipt=html, receipt_lacks_shop=facts.lacks_shop
        )

    def _reconcile(self, request_id: int, till: Till) -> TillReply:
        from pos_app.gateway.errors import PortOneError

        outcomes: tuple[ChargeOutcome, ...] = ()
        refunds: tuple[RefundOutcome, ...] = ()
        try:
            charges, settled_refunds = till.reconcile_all()
        except PortOneError as exc:
            # Unreachable PortOne leaves the rows unknown; they are asked about again later.
            log.warning("reconciliation stopped: %s", type(exc).__name__)
            message = exc.message
        else:
            outcomes, refunds, message = tuple(charges), tuple(settled_refunds), ""
        uids = {o.customer_uid for o in outcomes if o.customer_uid}
        rows = tuple(till.customers_of(sorted(uids)))
        return TillReply(
            request_id,
            "reconcile",
            "reconciled",
            message=message,
            checking=checking_customers(till),
            outcomes=outcomes,
            updated_customers=rows,
            refund_outcomes=refunds,
        )

    def _charge(self, till: Till, request: TillRequest, answers: Answers) -> ChargeOutcome:
        """The charge asked for; the till's guard checks it (raising ChargeBlocked) and writes
        the intent, with a manager's override reason, before anything is sent."""
        from pos_app.core.order import Order

        assert request.charge is not None
        fields = request.charge
        order = Order(
            till.new_merchant_uid(), fields.amount, fields.name, fields.tax_free, fields.card_quota
        )
        self._merchant_uid = order.merchant_uid
        if request.action == "charge_again":
            return till.charge_again(
                request.customer_uid, order, buyer=request.buyer, answers=answers
            )
        assert request.card is not None
        save_as = request.customer_uid if request.action == "issue_and_charge" else None
        return till.charge_once(
            request.card, order, save_as=save_as, buyer=request.buyer, answers=answers
        )


def checking_customers(till: Till) -> frozenset[str]:
    """customer_uids with a charge whose outcome is not settled yet (the list's 확인 중 badge)."""
    return till.checking_customers()


class TillThread(QObject):
    """The GUI side: starts the worker thread, sends requests, stops it (quit + wait).

    One request at a time: `submit` refuses (returns None) while an earlier one has not been
    answered, so a second click or a stray signal can never queue a second charge behind the
    first.
    """

    _submit = Signal(int, object)
    _close = Signal()
    _reopen = Signal()
    _start_new = Signal(str)

    def __init__(self, api_base: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("till-worker")
        self.worker = TillWorker(api_base)
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.open)
        self._submit.connect(self.worker.run)
        self._close.connect(self.worker.close)
        self._reopen.connect(self.worker.open)
        self._start_new.connect(self.worker.start_new_and_open)
        self._next_id = 0
        self._in_flight: int | None = None
        # Connected before the window's own slot, so the request is free again when it reads it.
        self.worker.replied.connect(self._answered)
        _threads.add(self.worker_thread)

    def start(self) -> None:
        self.worker_thread.start()

    def submit(self, request: TillRequest) -> int | None:
        if self._in_flight is not None:
            log.warning("%s ignored: request %d still running", request.action, self._in_flight)
            if request.card is not None:
                request.card.wipe()
            return None
        self._next_id += 1
        self._in_flight = self._next_id
        self._submit.emit(self._next_id, request)
        return self._next_id

    def reopen(self) -> None:
        """Try to open the till again (after the person fixed what stopped it)."""
        self._reopen.emit()

    def start_new(self, path: str) -> None:
        """Start the damaged or missing store file at `path` anew, then open the till."""
        self._start_new.emit(path)

    def busy(self) -> bool:
        return self._in_flight is not None

    def _answered(self, reply: TillReply) -> None:
        if reply.request_id == self._in_flight:
            self._in_flight = None

    def stop(self) -> None:
        """Close the Till in its thread, then wait for the thread to end (queued after any
        request in flight, which is allowed to finish: cutting it off could lose an answer)."""
        if self.worker_thread.isRunning():
            self._close.emit()
            self.worker_thread.wait()

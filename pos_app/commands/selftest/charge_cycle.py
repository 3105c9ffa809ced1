"""The self-test's charge cycle: token → billing key → charge again → refund, in the real window.

Driven like a cashier would: keystrokes into the fields found by objectName, clicks on the
buttons, answers to the questions it asks. The answers are read from the till thread's own
`answered` signal, waiting in a QEventLoop with a timeout (window.wait_until), so a hang is a
failed check and never a hung self-test; then the sandbox's request log says what reached it.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLineEdit, QWidget

from pos_app.commands.selftest.window import wait_until
from pos_app.ui.till_requests import (
    Charged,
    ChargeRequest,
    IssueKey,
    KeyIssued,
    Refunded,
    RefundRequest,
)

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow

REQUEST_TIMEOUT_S = 30.0
TEST_CARD = "4242424242424242"  # the sandbox approves everything on this card (portone-v1.md §8)
AMOUNT = "1000"


class CycleFailed(Exception):
    pass


class _Replies(QObject):
    """Collects the till's answers (with what they answer) on the GUI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.replies: list[tuple[object, object]] = []

    @Slot(object, object)
    def collect(self, request: object, answer: object) -> None:
        self.replies.append((request, answer))


class ChargeCycle:
    """token → billing key → charge again → refund, through the window and its worker."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.replies = _Replies(window)
        window.till.answered.connect(self.replies.collect)
        self.steps: list[str] = []

    def run(self) -> tuple[bool, str]:
        try:
            self._run()
        except CycleFailed as exc:
            return False, "; ".join([*self.steps, f"FAILED: {exc}"])
        return True, "; ".join(self.steps)

    def _run(self) -> None:
        window = self.window
        if window.mode != "sandbox":
            raise CycleFailed(f"the window opened in {window.mode or 'no'} mode, not the sandbox")
        # The Till's own address (a plain str, read once it is open); the banner shows the same.
        till = window.till.till
        api_base = str(
            getattr(till, "api_base", "") or self._widget(QWidget, "modeBanner").toolTip()
        )
        if not api_base.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise CycleFailed(f"the sandbox is not on loopback: {api_base!r}")
        uid = f"selftest_{int(time.time() * 1000)}"
        expiry = f"12{(date.today().year + 3) % 100:02d}"

        # A billing key from keyed-in card fields, as a cashier does it.
        self._type("cardNumberEdit", TEST_CARD)
        self._type("expiryEdit", expiry)
        self._type("birthEdit", "900101")
        self._type("pinEdit", "12")
        self._type("customerNameEdit", "selftest")
        self._type("customerUidEdit", uid)
        issued = self._click_and_wait("issueKeyButton", IssueKey)
        if not isinstance(issued, KeyIssued):
            raise CycleFailed(f"issue billing key: {issued!r}")
        self.steps.append(f"billing key {issued.key.customer_uid} issued")
        if self._widget(QLineEdit, "cardNumberEdit").text():
            raise CycleFailed("the card number stayed in the form after sending")

        # Charge the saved card again (the window selected the new customer).
        if not wait_until(lambda: self.window.customers.selected_uid() == uid, 5.0):
            raise CycleFailed("the new customer was not selected in the customer list")
        self._type("amountEdit", AMOUNT)
        self._type("orderNameEdit", "self-test")
        # 재결제 first names who, which card and how much; the answer checks it is this one.
        confirmed = _ChargeAgainAnswer(uid, f"{int(AMOUNT):,}")
        with confirmed:
            charged = self._click_and_wait(
                "chargeAgainButton", ChargeRequest, expected="chargeAgainDialog"
            )
        if confirmed.problem:
            raise CycleFailed(f"charge again: {confirmed.problem}")
        payment = charged.outcome.payment if isinstance(charged, Charged) else None
        if not isinstance(charged, Charged) or charged.kind != "paid" or payment is None:
            raise CycleFailed(f"charge again: {charged!r}")
        panel = self._widget(QWidget, "resultPanel").property("outcome")
        self.steps.append(f"charged {payment.amount} KRW ({payment.imp_uid}); result panel {panel}")

        self._refund(payment.imp_uid, payment.amount)
        self._check_requests(api_base, str(getattr(till, "version", "v1")))

    # -- the refund ----------------------------------------------------------------------------
    def _refund(self, imp_uid: str, amount: int) -> None:
        """Refund in full as a cashier does: the result panel's 환불 button, then the dialog
        (amount prefilled with what is refundable, a reason, 환불하기); the worker runs it."""
        button = self._widget(QAbstractButton, "refundButton")
        if not button.isVisible() or not wait_until(button.isEnabled, REQUEST_TIMEOUT_S):
            raise CycleFailed("the result panel offers no enabled refundButton")
        before = len(self.replies.replies)
        answered = _RefundDialogAnswer(self, amount)
        with answered:
            button.click()  # the dialog's own event loop runs the answer's timer
        if answered.problem:
            raise CycleFailed(f"refund dialog: {answered.problem}")
        reply = self._reply_after(before, RefundRequest)
        if not isinstance(reply, Refunded):
            raise CycleFailed(f"refund: {reply!r}")
        result = reply.payment
        if result.imp_uid != imp_uid:
            raise CycleFailed(f"refund: refunded {result.imp_uid}, not {imp_uid}")
        if result.status != "cancelled" or result.cancel_amount != amount:
            raise CycleFailed(f"refund: status {result.status}, cancelled {result.cancel_amount}")
        self.steps.append(f"refunded {amount} KRW on the worker thread (status {result.status})")

    # -- audit: what the sandbox received ------------------------------------------------------
    def _check_requests(self, api_base: str, version: str = "v1") -> None:
        # Only paths and statuses (the sandbox never records bodies). Read in a helper thread: the
        # GUI thread keeps its promise of no I/O even here.
        result: list[Any] = []
        reader = threading.Thread(
            target=lambda: result.append(_get_json(f"{api_base}/__sandbox__/requests")),
            name="selftest-audit",
        )
        reader.start()
        wait_until(lambda: not reader.is_alive(), 10.0)
        reader.join(1.0)
        if not result:
            raise CycleFailed("could not read the sandbox's request log")
        body = result[0]
        entries = body.get("response", body) if isinstance(body, dict) else body
        seen = [f"{e.get('method')} {e.get('path')} {e.get('status')}" for e in entries]
        wanted = [
            ("POST", "/users/getToken"),
            ("POST", "/subscribe/customers/"),
            ("POST", "/subscribe/payments/again"),
            ("POST", "/payments/cancel"),
        ]
        if version == "v2":  # POS_APP_API_VERSION=v2: the same cycle through PortOne's SDK
            wanted = [
                ("POST", "/v2/billing-keys"),
                ("POST", "/v2/payments/"),  # …/{paymentId}/billing-key
                ("POST", "/v2/payments/"),  # …/{paymentId}/cancel
            ]
        position = 0
        for entry in entries:
            if position < len(wanted):
                method, path = wanted[position]
                if entry.get("method") == method and str(entry.get("path", "")).startswith(path):
                    if int(entry.get("status", 0)) != 200:
                        raise CycleFailed(f"{method} {path} answered {entry.get('status')}")
                    position += 1
        if position < len(wanted):
            raise CycleFailed(f"sandbox did not see {wanted[position]} in order; saw {seen}")
        if version == "v2":
            self.steps.append(f"sandbox saw V2 issue → charge → cancel ({len(entries)} requests)")
            return
        self.steps.insert(0, "token issued")
        self.steps.append(f"sandbox saw token → issue → again → cancel ({len(entries)} requests)")

    # -- driving the widgets -------------------------------------------------------------------
    def _widget(self, kind: type[Any], name: str) -> Any:
        widget = self.window.findChild(kind, name)
        if widget is None:
            raise CycleFailed(f"no {kind.__name__} named {name!r} in the window")
        return widget

    def _type(self, name: str, text: str, parent: QWidget | None = None) -> None:
        """Key presses, as from a keyboard: the field's own grouping and checks run."""
        edit = (parent or self.window).findChild(QLineEdit, name)
        if edit is None:
            raise CycleFailed(f"no QLineEdit named {name!r}")
        edit.clear()  # a suggestion may be there already (the customer_uid is suggested)
        edit.setFocus()
        for ch in text:
            key = Qt.Key(ord(ch.upper())) if ch.isascii() else Qt.Key.Key_unknown
            for event_type in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(event_type, key, Qt.KeyboardModifier.NoModifier, ch)
                QCoreApplication.sendEvent(edit, event)

    def _click_and_wait(self, button_name: str, asked: type, expected: str = "") -> object:
        """Click and wait for the answer; a dialog named `expected` is left to its answerer."""
        button = self._widget(QAbstractButton, button_name)
        if not wait_until(button.isEnabled, REQUEST_TIMEOUT_S):
            raise CycleFailed(f"{button_name} stayed disabled")
        before = len(self.replies.replies)
        with _DialogGuard(expected) as dialogs:
            button.click()
            panel = self._widget(QWidget, "resultPanel")
            if panel.property("outcome") == "invalid":  # the form refused it; nothing was sent
                message = self._widget(QWidget, "resultMessage").property("text")
                raise CycleFailed(f"{button_name}: the form refused the input: {message}")
            reply = None
            if not dialogs.seen:
                reply = self._reply_after(before, asked, stop=lambda: bool(dialogs.seen))
        if dialogs.seen or reply is None:
            raise CycleFailed(f"{button_name}: an unexpected dialog asked: {dialogs.seen[0]}")
        return reply

    def _reply_after(
        self, before: int, asked: type, stop: Callable[[], bool] = lambda: False
    ) -> object:
        """The answer to the first request of type `asked` sent after reply number `before`."""

        def answers() -> list[object]:
            return [a for r, a in self.replies.replies[before:] if isinstance(r, asked)]

        if not wait_until(lambda: bool(answers()) or stop(), REQUEST_TIMEOUT_S) or not answers():
            raise CycleFailed(f"no answer to {asked.__name__} within {REQUEST_TIMEOUT_S:.0f} s")
        return answers()[0]


class _DialogGuard:
    """Closes any modal dialog that opens while it is active and remembers what it said.

    A fresh customer and a first charge should never ask anything; if the window does ask, the
    self-test must fail with that question, not wait forever inside the dialog's own loop.
    """

    def __init__(self, expected: str = "") -> None:
        self.seen: list[str] = []
        self._expected = expected
        self._timer = QTimer()
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._close_modal)

    def __enter__(self) -> _DialogGuard:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()

    def _close_modal(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and (
            not self._expected or dialog.objectName() != self._expected
        ):
            text = dialog.property("text") or dialog.windowTitle()
            self.seen.append(str(text))
            dialog.reject()


class _ChargeAgainAnswer:
    """Says yes to 재결제's question once it names the customer_uid and the amount expected;
    any other question is left to _DialogGuard (which fails the check)."""

    def __init__(self, customer_uid: str, amount: str) -> None:
        self.wanted = (customer_uid, amount)
        self.problem = "the charge was sent without asking who and how much"
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._answer)

    def __enter__(self) -> _ChargeAgainAnswer:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()

    def _answer(self) -> None:
        box = QApplication.activeModalWidget()
        if box is None or box.objectName() != "chargeAgainDialog":
            return
        self._timer.stop()
        text = str(box.property("text") or "")
        yes = box.findChild(QAbstractButton, "chargeAgainYesButton")
        if yes is None or not all(part in text for part in self.wanted):
            self.problem = f"the question did not name {self.wanted}: {text!r}"
            no = box.findChild(QAbstractButton, "chargeAgainNoButton")
            if no is not None:
                no.click()
            return
        self.problem = ""
        yes.click()


class _RefundDialogAnswer:
    """Answers the refund dialog when it opens: checks the prefilled amount, types a reason and
    presses 환불하기. Any other dialog is closed and reported (a full refund asks nothing else)."""

    def __init__(self, cycle: ChargeCycle, amount: int) -> None:
        self.cycle = cycle
        self.amount = amount
        self.problem = ""
        self._timer = QTimer()
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._answer)

    def __enter__(self) -> _RefundDialogAnswer:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()

    def _answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            return
        self._timer.stop()
        if dialog.objectName() != "refundDialog":
            self.problem = f"an unexpected dialog asked: {dialog.windowTitle()}"
            dialog.reject()
            return
        amount = dialog.findChild(QLineEdit, "refundAmountEdit")
        confirm = dialog.findChild(QAbstractButton, "refundConfirmButton")
        if amount is None or confirm is None:
            self.problem = "no refundAmountEdit or refundConfirmButton"
            dialog.reject()
            return
        if amount.text() != str(self.amount):
            self.problem = f"amount prefilled {amount.text()!r}, not {self.amount}"
            dialog.reject()
            return
        self.cycle._type("refundReasonEdit", "pos-app self-test", dialog)
        confirm.click()
        if dialog.isVisible():
            self.problem = "the dialog refused the refund"
            dialog.reject()


# The sandbox is on loopback: never through a proxy, whatever HTTP_PROXY or (on Windows) the
# system's proxy settings say; urlopen() would otherwise send the request to the proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get_json(url: str) -> Any:
    with _DIRECT.open(url, timeout=10) as response:  # loopback sandbox only
        return json.loads(response.read().decode("utf-8"))

"""Memory over a long shift (docs/soak.md): the real window driven like a cashier, thousands of
times, with the process's memory and object counts sampled as it goes.

The window is built in this process offscreen (`build_window`, a temporary POS_APP_HOME, logging
into it as `pos-app` does); the sandbox runs in its own process, as PortOne is on the network, so
its payments and request log (kept in memory by design) are not counted as the app's. Every step
goes through the widgets: keystrokes into the fields, mouse clicks on the buttons and on the
customer's row, confirmation and refund dialogs answered as a person would.

Each round of 100 steps (ROUND, shuffled): 56 charge-again on a saved customer, 2 more with the
amount just charged to that customer (the "same amount again?" question, answered yes), 10
key-in one-off charges (a test card typed each time), 3 invalid key-ins (nothing sent, Esc), 3
billing keys issued again over a saved customer (replacement confirmed), 2 new customers issued
and then deleted (confirmed), 3 issue + charge over a saved customer, 4 charges each refunded
through the refund dialog (full and half, alternately), 4 customer-list searches, 3 refreshes,
2 reconciles, and 1 charge answered with an injected HTTP 500 (unknown) then settled with the
check button. The saved customers stay the same two dozen, so what the window shows does not
grow; the journal (SQLite, on disk) does, as at a counter.

Warm-up: the 24 customers issued, 200 steps, then PRIME confirmation questions answered 취소
(see PRIME below). Then OPERATIONS steps, sampled every SAMPLE_EVERY steps (after gc.collect()):

soak_operations                   steps after the warm-up
soak_seconds                      how long they took
soak_rss_start_mb, soak_rss_end_mb  this process's RSS after the warm-up and at the end
soak_rss_growth_mb_per_1000       least-squares slope of RSS over the samples, per 1000 steps
soak_malloc_growth_mb_per_1000    the same for what glibc's malloc has handed out (all arenas)
soak_sqlite_growth_mb_per_1000    the same for SQLite's own allocations (its page cache)
soak_sqlite_mb_end                SQLite's allocations at the end
soak_py_objects_growth_per_1000   the slope of len(gc.get_objects())
soak_qobjects_growth_per_1000     the slope of the window's QObject descendants
soak_widgets_growth_per_1000      the slope of QApplication.allWidgets()
soak_fds_end, soak_threads_end    open file descriptors, Python threads (threading) at the end
soak_os_threads_end               the process's OS threads (QThreads and Qt's own included)
soak_sandbox_rss_growth_mb_per_1000  the sandbox process's slope (payments kept by design)
soak_unexpected_outcomes          steps whose result was not the expected one (should be 0)

Then, after the last sample, 매출 내역 · 마감 (the day's sales, F9) is opened twice with the whole
run as today, every row of the journal in its table, and closed:

soak_day_sales_rows               rows it showed
soak_day_sales_show_s             from the menu to the day shown (the first time)
soak_day_sales_open_mb            malloc'd memory while it is open, more than before opening
soak_day_sales_kb_per_row         the same per row
soak_day_sales_retained_mb        malloc'd memory after both were closed, more than before
soak_day_sales_rss_kept_mb        RSS after both were closed, more than before

SOAK_OPERATIONS=N and SOAK_PRIME=N change the length and the priming. SOAK_DIAGNOSE=1 prints what
grew between the first and the last sample (gc object types, weak references by target, the
window's QObjects by class); SOAK_DIAGNOSE=tracemalloc adds tracemalloc by line and traceback
(several times slower, and its own memory is in the RSS). `python benchmarks/bench_soak.py
--embedded` runs the same with the sandbox inside the app's process, as `pos-app` does without
credentials; it prints the figures and saves nothing.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WARMUP = 200
OPERATIONS = int(os.environ.get("SOAK_OPERATIONS", "4000"))
SAMPLE_EVERY = 250
# Confirmation questions asked (and answered 취소) after the warm-up. Each QMessageBox adds two
# pixmaps to Qt's pixmap cache under keys never used again (QMessageBox::setIcon makes a new
# icon each time), so the cache grows until its limit (10 MiB by default), which ordinary use
# reaches after about 6,000 steps; this many questions take it there in seconds, so the slope
# below measures what keeps growing, not a bounded cache filling up (docs/soak.md).
PRIME = int(os.environ.get("SOAK_PRIME", "800"))
WAIT_S = 30.0

# The saved customers charged again and again (portone-v1.md §8 test cards; the last declines).
POOL_CARDS = ("4242424242424242", "5555555555554444", "378282246310005", "9490000000000008")
DECLINING_CARD = "4000000000000341"
POOL_SIZE = 24
ONE_OFF_CARDS = (*POOL_CARDS, "4111111111111111", DECLINING_CARD)
BAD_LUHN = "4242424242424241"
NAMES = ("김민준", "이서연", "Park Doyun", "최지우", "Jung Hajun", "강서윤")
SEARCHES = ("soak01", "김", "4242", "soak0", "이서")
EXPIRY, BIRTH, PIN = "1230", "880315", "12"

# One round of 100 steps (composite steps count each of their actions).
ROUND = (
    ["again"] * 56
    + ["again_duplicate"] * 2
    + ["once"] * 10
    + ["invalid"] * 3
    + ["reissue"] * 3
    + ["issue_delete"] * 2  # 2 steps each
    + ["issue_and_charge"] * 3
    + ["charge_refund"] * 4  # 2 steps each
    + ["search"] * 4
    + ["refresh"] * 3
    + ["reconcile"] * 2
    + ["unknown_check"] * 1  # 2 steps
)

MB = 1024 * 1024


# Qt's messages go through here: while `_qt_lines` is a list they are collected into it (for
# QObject.dumpObjectTree, which counts objects without making a Python wrapper for each: a
# wrapper made by findChildren stays alive after Qt deletes its object, e.g. a rich-text
# label's QTextFrame, so counting with findChildren would itself grow the Python objects).
_qt_lines: list[str] | None = None


def _qt_message(kind: Any, context: Any, message: str) -> None:
    if _qt_lines is not None:
        _qt_lines.append(message)
    elif "propagateSizeHints" not in message:  # the offscreen platform, for every dialog
        print(message, file=sys.stderr)


def _app() -> Any:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    qInstallMessageHandler(_qt_message)
    return QApplication.instance() or QApplication([])


def object_tree(root: Any) -> list[str]:
    """The class (and objectName) of `root` and of every QObject below it, one per line."""
    global _qt_lines
    _qt_lines = []
    try:
        root.dumpObjectTree()
        lines = _qt_lines
    finally:
        _qt_lines = None
    # "    QLabel::resultSign <64x64+0+0>" -> "QLabel::resultSign"
    return [line.strip().split(" ", 1)[0] for line in lines]


class NativeHeap:
    """glibc's malloc (every arena) and SQLite's own allocator, read through ctypes."""

    def __init__(self) -> None:
        import ctypes
        import ctypes.util

        class MallInfo2(ctypes.Structure):
            _fields_ = [
                (name, ctypes.c_size_t)
                for name in (
                    "arena",
                    "ordblks",
                    "smblks",
                    "hblks",
                    "hblkhd",
                    "usmblks",
                    "fsmblks",
                    "uordblks",
                    "fordblks",
                    "keepcost",
                )
            ]

        self._libc = ctypes.CDLL(None)
        self._mallinfo2 = getattr(self._libc, "mallinfo2", None)
        if self._mallinfo2 is not None:
            self._mallinfo2.restype = MallInfo2
        # The libsqlite3 that Python's sqlite3 module loaded (same soname: the same copy).
        path = ctypes.util.find_library("sqlite3")
        self._sqlite = ctypes.CDLL(path) if path else None
        if self._sqlite is not None:
            self._sqlite.sqlite3_memory_used.restype = ctypes.c_int64

    def read(self) -> dict[str, float]:
        figures = {"heap_used_mb": -1.0, "heap_free_mb": -1.0, "sqlite_mb": -1.0}
        if self._mallinfo2 is not None:
            info = self._mallinfo2()
            figures["heap_used_mb"] = (info.uordblks + info.hblkhd) / MB
            figures["heap_free_mb"] = info.fordblks / MB
        if self._sqlite is not None:
            figures["sqlite_mb"] = self._sqlite.sqlite3_memory_used() / MB
        return figures


def _die_with_parent() -> Callable[[], object] | None:
    """For the sandbox's process: end it if this benchmark dies without stopping it (Linux's
    PR_SET_PDEATHSIG). Resolved here, so the forked child only makes the call."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import functools
    import signal

    return functools.partial(ctypes.CDLL(None).prctl, 1, signal.SIGTERM)


@contextlib.contextmanager
def sandbox_process() -> Iterator[tuple[str, int]]:
    """`pos-app sandbox` in its own process: (base URL, pid)."""
    command = [sys.executable, "-m", "pos_app", "sandbox", "--port", "0"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent()
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "listening on" in line:
                yield line.rsplit(" ", 1)[-1].strip(), process.pid
                break
        else:
            raise RuntimeError("the sandbox did not start")
    finally:
        process.terminate()
        process.wait(10)


@contextlib.contextmanager
def app_logging(home: str) -> Iterator[None]:
    """Logging as `pos-app` sets it up (a rotating file in the data folder), undone after."""
    from pos_app.logs import setup_logging

    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    setup_logging()
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def slope_per_1000(xs: list[int], ys: list[float]) -> float:
    if len(xs) < 2:
        return 0.0
    return statistics.linear_regression(xs, ys).slope * 1000


class Cashier:
    """Drives one window through its widgets; never calls the window's own methods to act."""

    def __init__(self, window: Any) -> None:
        from PySide6.QtCore import QEventLoop, QObject, QTimer, Slot

        self.window = window
        self.random = random.Random(7)
        self.amount = 1000
        self.serial = 0
        self.outcomes: collections.Counter[tuple[str, str]] = collections.Counter()
        self.unexpected = 0
        self.dialogs: collections.Counter[str] = collections.Counter()
        self.partial_refund = False
        self.answer_yes = True
        # Called with the day's-sales dialog once it shows the day, before it is closed.
        self.on_day_shown: Callable[[Any], None] | None = None
        self.pool = [f"soak{i:03d}" for i in range(POOL_SIZE)]
        self.last_amount: dict[str, int] = {}
        # Acting on the sandbox from outside the window (fault injection), one kept connection.
        self.control: Any = None

        class Replies(QObject):
            """Counts the till's answers (a list of them would itself grow); the last one's kind
            is its type's name (ui/till_requests.py)."""

            def __init__(self) -> None:
                super().__init__()
                self.count = 0
                self.last_kind = ""

            @Slot(object, object)
            def collect(self, _request: Any, answer: Any) -> None:
                self.count += 1
                self.last_kind = type(answer).__name__

        self.replies = Replies()
        window.till.answered.connect(self.replies.collect)
        # One event loop and one poll timer for every wait; one timer answering dialogs.
        self._loop = QEventLoop()
        self._poll = QTimer()
        self._poll.setInterval(1)
        self._poll.timeout.connect(self._check)
        self._until: Callable[[], bool] = lambda: True
        self._deadline = 0.0
        self._answerer = QTimer()
        self._answerer.setInterval(5)
        self._answerer.timeout.connect(self._answer_dialog)

    def connect_control(self, base_url: str) -> None:
        import httpx

        self.control = httpx.Client(base_url=base_url, timeout=10)

    def close(self) -> None:
        if self.control is not None:
            self.control.close()

    # -- waiting -----------------------------------------------------------------------------
    def _check(self) -> None:
        if self._until() or time.monotonic() > self._deadline:
            self._loop.quit()

    def wait(self, until: Callable[[], bool], what: str) -> None:
        if until():
            return
        self._until, self._deadline = until, time.monotonic() + WAIT_S
        self._poll.start()
        self._loop.exec()
        self._poll.stop()
        if not until():
            raise TimeoutError(f"the window did not finish {what} within {WAIT_S:.0f} s")

    def _ready(self) -> bool:
        # Every action button is enabled exactly when the till is open, idle and not asking.
        return bool(self.window.issue_button.isEnabled())

    def _click_and_wait(self, button: Any, what: str, replies: int = 1) -> str:
        """Click like a person; wait for the answer(s) to be shown; return the panel's outcome."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.wait(self._ready, "the previous step")
        before = self.replies.count
        self._answerer.start()
        try:
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            self.wait(lambda: self.replies.count >= before + replies and self._ready(), what)
        finally:
            self._answerer.stop()
        return str(self.window.result.outcome())

    # -- typing ------------------------------------------------------------------------------
    def key_in(self, edit: Any, text: str) -> None:
        """Replace the field's text by typing: select all, delete, then one key per character."""
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        edit.setFocus()
        if edit.text():
            QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClick(edit, Qt.Key.Key_Backspace)
        for char in text:
            if char.isascii():
                QTest.keyClick(edit, char)
            else:  # Hangul arrives as text (QTest knows only ASCII keys)
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                    QApplication.sendEvent(edit, event)

    def type_card(self, number: str) -> None:
        card = self.window.card
        self.key_in(card.number, number)
        self.key_in(card.expiry, EXPIRY)
        self.key_in(card.birth, BIRTH)
        self.key_in(card.pin, PIN)

    def type_amount(self, amount: int) -> None:
        self.key_in(self.window.amount.amount, str(amount))
        if not self.window.amount.order_name.text():
            self.key_in(self.window.amount.order_name, "soak 회원권")

    def next_amount(self) -> int:
        # Never the same amount to the same customer by accident (that asks first).
        self.amount = 1000 + (self.amount - 1000 + 10) % 5_000_000
        return self.amount

    def select_customer(self, uid: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        customers = self.window.customers
        row = customers.model.view_row_of(uid)
        if row < 0:  # a search is narrowing the list: empty it first, as a person would
            self.key_in(customers.search, "")
            row = customers.model.view_row_of(uid)
        index = customers.model.index(row, 0)
        customers.table.scrollTo(index)
        point = customers.table.visualRect(index).center()
        QTest.mouseClick(customers.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
        self.wait(lambda: customers.selected_uid() == uid, f"selecting {uid}")

    # -- dialogs -----------------------------------------------------------------------------
    def _answer_dialog(self) -> None:
        from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        name = dialog.objectName()
        self.dialogs[name] += 1
        if name == "confirmDialog":  # replace a saved card, delete one, same amount again
            name_ = "confirmYesButton" if self.answer_yes else "confirmNoButton"
            button = dialog.findChild(QWidget, name_)
        elif name == "chargeAgainDialog":  # 재결제: who, which card, how much — always yes
            button = dialog.findChild(QWidget, "chargeAgainYesButton")
        elif name == "refundDialog":
            amount = dialog.findChild(QLineEdit, "refundAmountEdit")
            if self.partial_refund:
                self.key_in(amount, str(max(1, int(amount.text()) // 2)))
            self.key_in(dialog.findChild(QLineEdit, "refundReasonEdit"), "고객 요청")
            button = dialog.findChild(QPushButton, "refundConfirmButton")
        elif name == "daySalesDialog":  # 매출 내역 · 마감: once the day is shown, 닫기
            if not dialog.findChild(QPushButton, "showDayButton").isEnabled():
                self.dialogs[name] -= 1
                return  # still loading
            if self.on_day_shown is not None:
                self.on_day_shown(dialog)
            button = dialog.findChild(QPushButton, "closeDayButton")
        elif name == "overrideDialog":
            self.key_in(dialog.findChild(QLineEdit, "overrideReasonEdit"), "카드사 확인")
            button = dialog.findChild(QPushButton, "overrideConfirmButton")
        else:
            dialog.close()
            raise RuntimeError(f"an unexpected dialog opened: {name or dialog.windowTitle()}")
        button.click()

    # -- the steps ---------------------------------------------------------------------------
    def expect(self, step: str, outcome: str, *wanted: str) -> None:
        self.outcomes[(step, outcome)] += 1
        if outcome not in wanted:
            self.unexpected += 1

    def setup_pool(self) -> None:
        for i, uid in enumerate(self.pool):
            card = DECLINING_CARD if i == POOL_SIZE - 1 else POOL_CARDS[i % len(POOL_CARDS)]
            self.issue(uid, card, NAMES[i % len(NAMES)], "issue")

    def issue(self, uid: str, card: str, name: str, step: str) -> None:
        window = self.window
        self.type_card(card)
        self.key_in(window.customer.name, name)
        self.key_in(window.customer.uid, uid)
        outcome = self._click_and_wait(window.issue_button, "issuing a billing key")
        self.expect(step, outcome, "issued")

    def again(self, *, duplicate: bool = False) -> int:
        uid = self.random.choice(self.pool)
        self.select_customer(uid)
        if duplicate and uid in self.last_amount:
            amount = self.last_amount[uid]
        else:
            amount = self.next_amount()
        self.last_amount[uid] = amount
        self.type_amount(amount)
        outcome = self._click_and_wait(self.window.customers.again_button, "charge again")
        wanted = ("declined",) if uid == self.pool[-1] else ("paid",)
        self.expect("again_duplicate" if duplicate else "again", outcome, *wanted)
        return 1

    def once(self) -> int:
        card = self.random.choice(ONE_OFF_CARDS)
        self.type_card(card)
        self.type_amount(self.next_amount())
        outcome = self._click_and_wait(self.window.charge_button, "charge once")
        self.expect("once", outcome, "declined" if card == DECLINING_CARD else "paid")
        return 1

    def invalid(self) -> int:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.type_card(BAD_LUHN)
        self.type_amount(self.next_amount())
        before = self.replies.count
        QTest.mouseClick(self.window.charge_button, Qt.MouseButton.LeftButton)
        outcome = str(self.window.result.outcome())
        self.expect("invalid", outcome if self.replies.count == before else "sent", "invalid")
        # Esc clears the form, as a cashier starting over would.
        QTest.keyClick(self.window.card.number, Qt.Key.Key_Escape)
        return 1

    def reissue(self) -> int:
        i = self.random.randrange(POOL_SIZE - 1)  # the declining customer keeps its card
        self.issue(self.pool[i], POOL_CARDS[i % len(POOL_CARDS)], NAMES[i % len(NAMES)], "reissue")
        return 1

    def issue_delete(self) -> int:
        self.serial += 1
        uid = f"soaktmp{self.serial:05d}"
        self.issue(uid, POOL_CARDS[self.serial % len(POOL_CARDS)], "임시 회원", "issue_new")
        self.select_customer(uid)
        outcome = self._click_and_wait(
            self.window.customers.delete_button, "deleting a billing key"
        )
        self.expect("delete", outcome, "deleted")
        return 2

    def issue_and_charge(self) -> int:
        window = self.window
        i = self.random.randrange(POOL_SIZE - 1)
        uid = self.pool[i]
        self.type_card(POOL_CARDS[i % len(POOL_CARDS)])
        self.key_in(window.customer.name, NAMES[i % len(NAMES)])
        self.key_in(window.customer.uid, uid)
        amount = self.next_amount()
        self.last_amount[uid] = amount
        self.type_amount(amount)
        # The precheck's answer, then the charge's.
        outcome = self._click_and_wait(window.issue_charge_button, "issue + charge", replies=2)
        self.expect("issue_and_charge", outcome, "paid")
        return 1

    def charge_refund(self) -> int:
        uid = self.random.choice(self.pool[:-1])
        self.select_customer(uid)
        amount = self.next_amount()
        self.last_amount[uid] = amount
        self.type_amount(amount)
        outcome = self._click_and_wait(self.window.customers.again_button, "charge again")
        self.expect("again", outcome, "paid")
        self.partial_refund = not self.partial_refund
        outcome = self._click_and_wait(self.window.result.refund_button, "refund")
        self.expect("refund", outcome, "refunded")
        return 2

    def search(self) -> int:
        search = self.window.customers.search
        self.key_in(search, self.random.choice(SEARCHES))
        shown = self.window.customers.model.rowCount()
        self.key_in(search, "")  # select all, delete
        self.expect("search", "found" if shown else "none", "found")
        return 1

    def refresh(self) -> int:
        self.select_customer(self.random.choice(self.pool))
        self._click_and_wait(self.window.customers.refresh, "refresh")
        self.expect("refresh", self.replies.last_kind, "CustomerRefreshed")
        return 1

    def reconcile(self) -> int:
        self._click_and_wait(self.window.customers.reconcile_button, "reconcile")
        self.expect("reconcile", self.replies.last_kind, "Reconciled")
        return 1

    def day_sales(self) -> int:
        """The menu's 매출 내역 · 마감 (F9): the day's list, read on the worker, then 닫기."""
        from PySide6.QtCore import QCoreApplication, QEvent

        self.wait(self._ready, "the previous step")
        before = self.replies.count
        self._answerer.start()
        try:
            self.window.day_sales_action.trigger()
            self.wait(lambda: self.replies.count > before and self._ready(), "the day's sales")
        finally:
            self._answerer.stop()
        # The window deletes the dialog later (deleteLater); let that happen now.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.expect("day_sales", self.replies.last_kind, "DaySales")
        return 1

    def unknown_check(self) -> int:
        uid = self.random.choice(self.pool[:-1])
        self.select_customer(uid)
        fault = {"endpoint": "/subscribe/payments/again", "kind": "error_500", "times": 1}
        self.control.post("/__sandbox__/faults", json=fault).raise_for_status()
        amount = self.next_amount()
        self.last_amount[uid] = amount
        self.type_amount(amount)
        outcome = self._click_and_wait(self.window.customers.again_button, "charge again (500)")
        self.expect("again_500", outcome, "unknown")
        outcome = self._click_and_wait(self.window.result.check_button, "check outcome")
        self.expect("check", outcome, "refused")
        return 2

    def ask_and_cancel(self) -> None:
        """카드 삭제 on a saved customer, answered 취소: a question, nothing sent."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.answer_yes = False
        self._answerer.start()
        try:
            before = self.replies.count
            QTest.mouseClick(self.window.customers.delete_button, Qt.MouseButton.LeftButton)
        finally:
            self._answerer.stop()
            self.answer_yes = True
        if self.replies.count != before or not self._ready():
            raise RuntimeError("a delete answered 취소 was sent")

    def step(self, name: str) -> int:
        if name == "again_duplicate":
            return self.again(duplicate=True)
        method: Callable[[], int] = getattr(self, name)
        return method()


class Sampler:
    """What is measured every SAMPLE_EVERY steps; the first sample comes after the warm-up."""

    def __init__(self, window: Any, sandbox_pid: int | None) -> None:
        import psutil

        self.window = window
        self.process = psutil.Process()
        self.sandbox = psutil.Process(sandbox_pid) if sandbox_pid else None
        self.native = NativeHeap()
        self.started = time.monotonic()
        self.rows: list[dict[str, float]] = []

    def sample(self, steps: int) -> dict[str, float]:
        from PySide6.QtWidgets import QApplication

        gc.collect()
        row = {
            "steps": float(steps),
            "time": time.monotonic(),
            "rss_mb": self.process.memory_info().rss / MB,
            "py_objects": float(len(gc.get_objects())),
            "py_blocks": float(sys.getallocatedblocks()),
            "qobjects": float(len(object_tree(self.window)) - 1),
            "widgets": float(len(QApplication.allWidgets())),
            "fds": float(self.process.num_fds()),
            "threads": float(threading.active_count()),
            "os_threads": float(self.process.num_threads()),
            "sandbox_rss_mb": self.sandbox.memory_info().rss / MB if self.sandbox else 0.0,
            **self.native.read(),
        }
        self.rows.append(row)
        print(
            f"  {steps:5d} steps  {row['time'] - self.started:6.1f} s  "
            f"rss {row['rss_mb']:.1f} MB  objects {row['py_objects']:.0f}  "
            f"qobjects {row['qobjects']:.0f}  widgets {row['widgets']:.0f}  "
            f"fds {row['fds']:.0f}  threads {row['threads']:.0f}/{row['os_threads']:.0f}  "
            f"sandbox {row['sandbox_rss_mb']:.1f} MB  malloc used {row['heap_used_mb']:.1f} "
            f"free {row['heap_free_mb']:.1f} MB  sqlite {row['sqlite_mb']:.2f} MB  "
            f"pyblocks {row['py_blocks']:.0f}",
            file=sys.stderr,
            flush=True,
        )
        return row

    def slope(self, key: str) -> float:
        xs = [int(r["steps"]) for r in self.rows]
        return slope_per_1000(xs, [r[key] for r in self.rows])


class Diagnosis:
    """SOAK_DIAGNOSE=1: what grew between the first and the last sample, printed to stderr."""

    def __init__(self, window: Any) -> None:
        self.window = window
        mode = os.environ.get("SOAK_DIAGNOSE", "")
        self.enabled = mode in ("1", "tracemalloc")
        self.trace = mode == "tracemalloc"
        self._first: tuple[Any, ...] | None = None

    def _counts(self) -> tuple[Any, ...]:
        import tracemalloc

        gc.collect()
        objects = gc.get_objects()
        types = collections.Counter(type(o).__qualname__ for o in objects)
        # Weak references by what they point to (and whether they have a callback).
        types.update(
            f"weakref -> {type(o()).__qualname__}{' (callback)' if o.__callback__ else ''}"
            for o in objects
            if isinstance(o, weakref.ref)
        )
        del objects
        qobjects = collections.Counter(object_tree(self.window))
        snapshot = tracemalloc.take_snapshot() if self.trace else None
        return snapshot, types, qobjects

    def start(self) -> None:
        if not self.enabled:
            return
        import tracemalloc

        if self.trace:
            tracemalloc.start(12)
        self._first = self._counts()

    def report(self) -> None:
        if not self.enabled or self._first is None:
            return
        import tracemalloc

        snapshot, types, qobjects = self._counts()
        first_snapshot, first_types, first_qobjects = self._first
        out = sys.stderr
        if self.trace:
            tracemalloc.stop()
            print("\n== tracemalloc: top growth by line ==", file=out)
            for stat in snapshot.compare_to(first_snapshot, "lineno")[:25]:
                print(f"  {stat}", file=out)
            print("\n== tracemalloc: top growth by traceback ==", file=out)
            for stat in snapshot.compare_to(first_snapshot, "traceback")[:6]:
                print(f"  {stat.size_diff / 1024:.1f} KiB in {stat.count_diff:+d} blocks", file=out)
                for line in stat.traceback.format()[-16:]:
                    print(f"    {line}", file=out)
        print("\n== Python objects by type (growth) ==", file=out)
        grown = (types - first_types).most_common(20)
        for name, count in grown:
            print(f"  {name}: +{count} (now {types[name]})", file=out)
        print("\n== window QObjects by class::objectName (change) ==", file=out)
        changed = dict(qobjects)
        changed.update({name: 0 for name in first_qobjects if name not in qobjects})
        for name, count in sorted(changed.items()):
            if count != first_qobjects.get(name, 0):
                print(f"  {name}: {first_qobjects.get(name, 0)} -> {count}", file=out)
        print(file=out, flush=True)


def day_sales_cost(cashier: Cashier, sampler: Sampler) -> dict[str, float]:
    """매출 내역 · 마감 with the whole soak's journal as today (thousands of rows; a counter has
    hundreds): memory while it is open and what stays after it is closed, opened twice."""
    import psutil

    process = psutil.Process()

    def memory() -> tuple[float, float]:
        gc.collect()
        return process.memory_info().rss / MB, sampler.native.read()["heap_used_mb"]

    shown: list[tuple[float, float, int, float]] = []
    opened = [0.0]

    def measure(dialog: Any) -> None:
        rss, heap = memory()
        shown.append((rss, heap, dialog.table.rowCount(), time.monotonic() - opened[0]))

    cashier.on_day_shown = measure
    rss_before, heap_before = memory()
    try:
        for _ in range(2):
            opened[0] = time.monotonic()
            cashier.day_sales()
    finally:
        cashier.on_day_shown = None
    rss_after, heap_after = memory()
    if len(shown) != 2:
        raise RuntimeError("the day's sales dialog was not seen twice")
    rows = shown[0][2]
    open_mb = shown[0][1] - heap_before
    return {
        "soak_day_sales_rows": float(rows),
        "soak_day_sales_show_s": round(shown[0][3], 2),
        "soak_day_sales_open_mb": round(open_mb, 1),
        "soak_day_sales_kb_per_row": round(open_mb * 1024 / max(rows, 1), 1),
        "soak_day_sales_retained_mb": round(heap_after - heap_before, 2),
        "soak_day_sales_rss_kept_mb": round(rss_after - rss_before, 1),
    }


def soak(*, embedded: bool = False) -> dict[str, float]:
    """The run; `embedded`: the window's own in-process sandbox instead of a separate one
    (what `pos-app` does with no credentials), for comparison only."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from pos_app.app import build_window

    _app()
    saved = {name: os.environ.get(name) for name in ("POS_APP_HOME", "POS_APP_API_BASE")}
    with contextlib.ExitStack() as stack:
        home = stack.enter_context(tempfile.TemporaryDirectory(prefix="pos-soak-"))
        if embedded:
            base_url, sandbox_pid = None, None
        else:
            base_url, sandbox_pid = stack.enter_context(sandbox_process())
        os.environ["POS_APP_HOME"] = home
        os.environ.pop("POS_APP_API_BASE", None)
        try:
            with app_logging(home):
                window = build_window(base_url)
                window.show()
                cashier = Cashier(window)
                try:
                    cashier.wait(lambda: bool(window.settled_at_start), "opening the till")
                    cashier.connect_control(window.api_base)
                    figures = _drive(window, cashier, sandbox_pid)
                finally:
                    cashier.close()
                    window.close()
                    window.deleteLater()
                    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                    QApplication.processEvents()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return figures


def _drive(window: Any, cashier: Cashier, sandbox_pid: int | None) -> dict[str, float]:
    sampler = Sampler(window, sandbox_pid)
    diagnosis = Diagnosis(window)
    cashier.setup_pool()
    plan = list(ROUND)
    steps = 0
    while steps < WARMUP:
        cashier.random.shuffle(plan)
        for name in plan:
            steps += cashier.step(name)
            if steps >= WARMUP:
                break
    # Qt's pixmap cache to its limit (see PRIME): questions answered 취소, nothing sent.
    primed = time.monotonic()
    cashier.select_customer(cashier.pool[0])
    for _ in range(PRIME):
        cashier.ask_and_cancel()
    print(
        f"  warm-up: {steps} steps, then {PRIME} questions in {time.monotonic() - primed:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    diagnosis.start()
    done = 0
    started = time.monotonic()
    sampler.started = started
    sampler.sample(0)
    next_sample = SAMPLE_EVERY
    while done < OPERATIONS:
        cashier.random.shuffle(plan)
        for name in plan:
            done += cashier.step(name)
            if done >= next_sample:
                sampler.sample(done)
                next_sample += SAMPLE_EVERY
            if done >= OPERATIONS:
                break
    seconds = time.monotonic() - started
    if sampler.rows[-1]["steps"] != done:
        sampler.sample(done)
    diagnosis.report()
    day_sales = day_sales_cost(cashier, sampler)
    print(f"  outcomes: {dict(sorted(cashier.outcomes.items()))}", file=sys.stderr)
    print(f"  dialogs answered: {dict(cashier.dialogs)}", file=sys.stderr, flush=True)
    first, last = sampler.rows[0], sampler.rows[-1]
    figures = {
        "soak_operations": float(done),
        "soak_seconds": round(seconds, 1),
        "soak_rss_start_mb": round(first["rss_mb"], 1),
        "soak_rss_end_mb": round(last["rss_mb"], 1),
        "soak_rss_growth_mb_per_1000": round(sampler.slope("rss_mb"), 2),
        "soak_malloc_growth_mb_per_1000": round(sampler.slope("heap_used_mb"), 2),
        "soak_sqlite_growth_mb_per_1000": round(sampler.slope("sqlite_mb"), 2),
        "soak_sqlite_mb_end": round(last["sqlite_mb"], 2),
        "soak_py_objects_growth_per_1000": round(sampler.slope("py_objects"), 1),
        "soak_qobjects_growth_per_1000": round(sampler.slope("qobjects"), 1),
        "soak_widgets_growth_per_1000": round(sampler.slope("widgets"), 1),
        "soak_fds_end": last["fds"],
        "soak_threads_end": last["threads"],
        "soak_os_threads_end": last["os_threads"],
        "soak_unexpected_outcomes": float(cashier.unexpected),
        **day_sales,
    }
    if sandbox_pid is not None:
        figures["soak_sandbox_rss_growth_mb_per_1000"] = round(sampler.slope("sandbox_rss_mb"), 2)
    return figures


def run() -> dict[str, float]:
    return soak()


if __name__ == "__main__":
    # --embedded: the same run with the sandbox inside the app's process (printed, not saved).
    print(soak(embedded="--embedded" in sys.argv[1:]))

"""`python tools/screenshots.py OUTDIR` (`make screenshots`): PNGs of the main states.

Drives the real window against a private sandbox (fresh data folder), typing as a person would,
and saves captures at the sizes a counter's 768-line screen leaves the window once the title bar
and taskbar are taken (1366×690, and 1024×690 with "-1024" in the name): empty form, filled
form, approved, declined, unknown, invalid input, customer list with a search, 재결제's question;
then the day's sales dialog; then the billing run (정기 결제) with 40 members' plans, mid-run
and finished.

A tool, not part of the program: it drives the window with QtTest, which the frozen build leaves
out (build.spec), so it lives outside the pos_app package.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow

# (width, height, file name suffix)
SIZES = ((1366, 690, ""), (1024, 690, "-1024"))
# A fixed expiry far enough ahead; the screenshots must not break when a year passes.
EXPIRY = time.strftime("12%y", time.localtime(time.time() + 3 * 365 * 86400))
CUSTOMERS = (
    ("김민준", "5555555555554444", "010-2345-6789"),
    ("이서연", "4242424242424242", "010-8765-4321"),
    ("박도윤", "9490000000000008", "010-5555-0101"),
    ("최지우", "378282246310005", "010-3030-7777"),
    ("정하준", "5555555555554444", "010-1212-3434"),
    ("Kim Minseo", "4242424242424242", "010-9090-1111"),
)


def wait_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.005)
    # Let layouts settle so the capture shows the final geometry.
    for _ in range(5):
        app.processEvents()


def type_into(widget: QWidget, text: str) -> None:
    """Key presses like a person's; QTest only knows ASCII keys, so Hangul goes as text events."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)


def capture(app: QApplication, window: QWidget, path: Path) -> None:
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(path))
    print(path)


def run(outdir: Path) -> None:
    from pos_app.ui import look

    outdir.mkdir(parents=True, exist_ok=True)
    existing = QApplication.instance()
    app = existing or QApplication(look.application_arguments())
    assert isinstance(app, QApplication)
    look.use_light_look(app, style_chosen=existing is None)  # the look the program has
    for width, height, suffix in SIZES:
        shoot(app, outdir, (width, height), suffix)


def shoot(app: QApplication, outdir: Path, size: tuple[int, int], suffix: str) -> None:
    from pos_app.app import build_window
    from pos_app.sandbox import SandboxServer
    from pos_app.ui.day_dialog import DaySalesDialog

    def png(name: str) -> Path:
        return outdir / f"{name}{suffix}.png"

    with tempfile.TemporaryDirectory() as home, SandboxServer() as sandbox:
        os.environ["POS_APP_HOME"] = home
        base = sandbox.base_url
        window: MainWindow = build_window(base, lang=os.environ.get("POS_APP_SHOT_LANG", "ko"))
        window.resize(*size)
        window.show()
        wait_until(app, lambda: window.mode != "")

        def act(button: QWidget) -> None:
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            wait_until(app, lambda: window.result.outcome() != "")

        def fill(number: str, name: str = "", amount: str = "") -> None:
            window.clear_form()
            type_into(window.card.number, number)
            type_into(window.card.expiry, EXPIRY)
            type_into(window.card.birth, "880315")
            type_into(window.card.pin, "12")
            if name:
                type_into(window.customer.name, name)
            if amount:
                type_into(window.amount.amount, amount)
                type_into(window.amount.order_name, "PT 10회 이용권")

        # Customers first, so the list on every capture looks like a working shop.
        for name, number, phone in CUSTOMERS:
            fill(number, name)
            type_into(window.customer.phone, phone)
            act(window.issue_button)
        window.clear_form()
        window.result.show_idle()
        window.customers.clear_selection()
        window.card.number.setFocus()
        capture(app, window, png("01-empty-form"))

        fill("4242424242424242", "홍길동", "55000")
        type_into(window.customer.phone, "010-1234-5678")
        window.amount.installment.setCurrentIndex(2)
        capture(app, window, png("02-filled-form"))

        act(window.issue_charge_button)
        capture(app, window, png("03-approved"))

        fill("4000000000000341", amount="33000")
        act(window.charge_button)
        capture(app, window, png("04-declined"))

        # The answer is lost and the follow-up lookup fails too: only then is it unknown.
        faults = (
            ("/subscribe/payments/onetime", "drop_after", 1),
            ("/payments/find", "error_500", 9),
        )
        for endpoint, kind, times in faults:
            fault = {"endpoint": endpoint, "kind": kind, "times": times}
            httpx.post(base + "/__sandbox__/faults", json=fault, timeout=10).raise_for_status()
        fill("5555555555554444", amount="12000")
        act(window.charge_button)
        capture(app, window, png("05-unknown"))

        window.clear_form()
        type_into(window.card.number, "4242424242424241")
        type_into(window.card.expiry, "1320")
        type_into(window.amount.amount, "0")
        QTest.mouseClick(window.charge_button, Qt.MouseButton.LeftButton)
        wait_until(app, lambda: window.result.outcome() == "invalid")
        capture(app, window, png("06-invalid"))

        window.clear_form()
        window.result.show_idle()
        type_into(window.customers.search, "4444")
        window.customers.table.selectRow(0)
        window.customers.table.setFocus()
        capture(app, window, png("07-customers-search"))

        # 재결제 asks who, which card and how much first (the box, then 취소).
        type_into(window.amount.amount, "55000")

        def shoot_question() -> None:
            box = QApplication.activeModalWidget()
            if box is None or box.objectName() != "chargeAgainDialog":
                QTimer.singleShot(20, shoot_question)
                return
            capture(app, box, png("09-charge-again-question"))
            no = box.findChild(QWidget, "chargeAgainNoButton")
            assert no is not None
            QTest.mouseClick(no, Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, shoot_question)
        QTest.mouseClick(window.customers.again_button, Qt.MouseButton.LeftButton)
        window.clear_form()

        # The day's sales (F9), with the unknown charge above still to settle.
        def shoot_day() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, DaySalesDialog) or not dialog.show_button.isEnabled():
                QTimer.singleShot(20, shoot_day)
                return
            dialog.resize(size[0] - 16, size[1] - 40)  # as large as that screen lets it be
            capture(app, dialog, png("08-day-sales"))
            dialog.reject()

        QTimer.singleShot(0, shoot_day)
        window.day_sales_action.trigger()
        shoot_billing_run(app, window, base, png, size)
        window.close()


MEMBER_NAMES = ("김민준", "이서연", "박도윤", "최지우", "정하준", "강서윤", "조시우", "윤하은")


def shoot_billing_run(
    app: QApplication,
    window: MainWindow,
    base: str,
    png: Callable[[str], Path],
    size: tuple[int, int],
) -> None:
    """40 members with plans (one card that declines), the run mid-way and finished."""
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Buyer
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
    from pos_app.ui.billing_run_dialog import BillingRunDialog

    lines = []
    with PortOneClient(base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        for i in range(40):
            uid = f"member{i + 1:03d}"
            number = "4000000000000341" if i == 17 else "4242424242424242"
            buyer = Buyer(name=f"{MEMBER_NAMES[i % len(MEMBER_NAMES)]}{i + 1}")
            client.issue_billing_key(
                uid, KeyInCard.parse(number, "12/39", "880315", "12"), buyer=buyer
            )
            lines.append(f"{uid},{(5 + i % 4) * 10000},월 회비,{1 + i % 3}")
    plans = Path(os.environ["POS_APP_HOME"]) / "plans.csv"
    plans.write_text("customer_uid,amount,name,day\n" + "\n".join(lines) + "\n", "utf-8")
    controller = window.billing.controller
    imported: list[object] = []
    controller.plansImported.connect(lambda result, rows: imported.append(result))
    controller.import_plans(str(plans))
    wait_until(app, lambda: bool(imported))
    # Switched on long ago, so last month's and this month's charges are both due today.
    done: list[object] = []

    def backdate() -> None:
        till = window.till.till
        assert till is not None
        till.set_plans(
            [
                (r.customer_uid, r.plan._replace(since="2000-01-01"))
                for r in till.members_with_plans()
                if r.plan is not None
            ]
        )

    controller.tasks.submit(backdate, done.append)
    wait_until(app, lambda: bool(done))
    fault = {
        "endpoint": "/subscribe/payments/again",
        "kind": "delay",
        "times": 200,
        "delay_ms": 900,
    }
    httpx.post(base + "/__sandbox__/faults", json=fault, timeout=10).raise_for_status()
    window.billing.action.trigger()
    dialog = window.findChild(BillingRunDialog, "billingRunDialog")
    assert dialog is not None
    dialog.resize(size[0] - 16, size[1] - 40)  # as large as that screen lets it be
    wait_until(app, lambda: dialog.start_button.isEnabled())

    def confirm() -> None:
        box = QApplication.activeModalWidget()
        button = box.findChild(QWidget, "confirmYesButton") if box is not None else None
        if button is None:
            QTimer.singleShot(20, confirm)
            return
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, confirm)
    QTest.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    total = dialog.model.rowCount()
    wait_until(app, lambda: dialog.progress.value() >= total // 3, timeout_s=60)
    capture(app, dialog, png("10-billing-run-mid"))
    wait_until(app, lambda: dialog.summary.text().endswith(("끝남", "finished")), timeout_s=120)
    # Scrolled to the first row someone must look at (a declined card), amid the paid ones.
    rows = dialog.model.rows()
    first = next((n for n, r in enumerate(rows) if r.status == "declined"), 0)
    dialog.table.scrollTo(
        dialog.shown.mapFromSource(dialog.model.index(first, 0)),
        QAbstractItemView.ScrollHint.PositionAtCenter,
    )
    capture(app, dialog, png("11-billing-run-done"))
    dialog.close()
    # A member's plan under the list, its editor open; the list shows every plan.
    window.customers.search.clear()
    type_into(window.customers.search, "member00")
    window.customers.select("member003")
    window.billing.plan_editor.open_fields()
    capture(app, window, png("12-plan-editor"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run(Path(args[0] if args else "docs/screenshots"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

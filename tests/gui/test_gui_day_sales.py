"""매출 내역 · 마감 (F9): the day's charges, refunds and totals from the journal, looking an order
up at PortOne from there, and saving the day as CSV — against the real sandbox."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from gui_helpers import WAIT_MS, OpenWindow, fill_amount, fill_card, run_action
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QLineEdit, QPushButton
from pytest import MonkeyPatch
from pytestqt.qtbot import QtBot

from pos_app.ui.day_dialog import DaySalesDialog
from pos_app.ui.main_window import MainWindow

VISA = "4242424242424242"
DECLINED = "4000000000000341"  # the sandbox declines every charge of this card


def charge(
    qtbot: QtBot, window: MainWindow, number: str, amount: str, name: str = "Day test"
) -> str:
    # A declined charge keeps the amount typed (to try another card): start from empty.
    window.amount.amount.clear()
    window.amount.order_name.clear()
    fill_card(qtbot, window, number)
    fill_amount(qtbot, window, amount, name)
    return run_action(qtbot, window, window.charge_button)


def with_day_dialog(
    qtbot: QtBot, window: MainWindow, act: Callable[[DaySalesDialog], None]
) -> DaySalesDialog:
    """Open the dialog from the menu (F9), wait for the day to load, `act` on it (which must
    close it), and return it."""
    seen: list[DaySalesDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DaySalesDialog):
            QTimer.singleShot(10, poll)
            return
        seen.append(dialog)
        qtbot.waitUntil(lambda: dialog.show_button.isEnabled(), timeout=WAIT_MS)
        act(dialog)

    QTimer.singleShot(0, poll)
    assert window.day_sales_action.isEnabled()
    window.day_sales_action.trigger()
    assert len(seen) == 1
    return seen[0]


def table_rows(dialog: DaySalesDialog) -> list[list[str]]:
    table = dialog.table

    def text(row: int, column: int) -> str:
        item = table.item(row, column)
        assert item is not None
        return item.text()

    return [[text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_day_lists_charges_and_refunds_with_totals(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    assert charge(qtbot, window, VISA, "30000") == "paid"
    assert charge(qtbot, window, DECLINED, "5000") == "declined"
    assert charge(qtbot, window, VISA, "12000") == "paid"
    noted: dict[str, object] = {}

    def read(dialog: DaySalesDialog) -> None:
        noted["rows"] = table_rows(dialog)
        noted["totals"] = dialog.totals.text()
        noted["status"] = dialog.status.text()
        dialog.reject()

    with_day_dialog(qtbot, window, read)
    rows = noted["rows"]
    assert isinstance(rows, list) and len(rows) == 3
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("1회 결제", "승인", "30,000원"),
        ("1회 결제", "거절", "5,000원"),
        ("1회 결제", "승인", "12,000원"),
    ]
    assert all(r[6].endswith("**** 4242") or r[6].endswith("**** 0341") for r in rows)
    assert not any("424242" in cell for r in rows for cell in r)  # the last four only
    assert noted["totals"] == (
        "결제 2건 42,000원 · 환불 0건 0원 · 순매출 42,000원 · 거절 1건 · 확인 필요 0건"
    )
    assert noted["status"] == "모든 결제의 결과가 확인되었습니다."
    # Nothing about the day reached the result panel: it still shows the last charge.
    assert window.result.outcome() == "paid"


def test_order_looked_up_from_the_day_shows_in_the_result_panel(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    assert charge(qtbot, window, VISA, "30000") == "paid"
    assert charge(qtbot, window, DECLINED, "5000") == "declined"

    def pick_first(dialog: DaySalesDialog) -> None:
        dialog.table.selectRow(0)
        order = dialog.findChild(QLineEdit, "lookupOrderEdit")
        first_order = dialog.table.item(0, 8)
        assert order is not None and first_order is not None
        assert order.text() == first_order.text()
        button = dialog.findChild(QPushButton, "lookupButton")
        assert button is not None
        button.click()

    dialog = with_day_dialog(qtbot, window, pick_first)
    assert dialog.lookup_uid
    # The result panel asks PortOne and shows the first (paid) charge again, refundable.
    qtbot.waitUntil(lambda: window.result.outcome() == "paid", timeout=WAIT_MS)
    shown = " ".join(label.text() for label in window.result.findChildren(QLabel))
    assert dialog.lookup_uid in shown and "30,000원" in shown
    assert window.result.refund_button.isVisible()


def test_a_malformed_order_id_is_refused_next_to_the_field(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    noted: dict[str, object] = {}

    def type_bad(dialog: DaySalesDialog) -> None:
        dialog.order.setText("주문 #1")
        dialog.lookup_button.click()
        error = dialog.findChild(QLabel, "lookupOrderError")
        assert error is not None
        noted["error"] = error.text() if error.isVisible() else ""
        noted["still_open"] = dialog.isVisible()
        dialog.reject()

    dialog = with_day_dialog(qtbot, window, type_bad)
    assert noted["still_open"] is True and noted["error"]
    assert dialog.lookup_uid == ""
    assert dialog.table.rowCount() == 0 and dialog.status.text() == "이 날의 결제가 없습니다."


def save_day_as(qtbot: QtBot, window: MainWindow, target: Path, monkeypatch: MonkeyPatch) -> str:
    """Press CSV로 저장…, answer the save dialog (the operating system's) with `target`, and
    return what the dialog said afterwards."""
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), ""))
    )
    noted: list[str] = []

    def save(dialog: DaySalesDialog) -> None:
        dialog.export_button.click()
        qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=WAIT_MS)
        noted.append(dialog.status.text())
        dialog.reject()

    with_day_dialog(qtbot, window, save)
    return noted[0]


def test_day_saved_as_csv_for_a_spreadsheet(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    window = open_window()
    assert charge(qtbot, window, VISA, "30000") == "paid"
    assert charge(qtbot, window, DECLINED, "5000") == "declined"
    assert charge(qtbot, window, VISA, "12000", "=cmd|' /C calc'!A0") == "paid"
    target = tmp_path / "sales.csv"
    assert save_day_as(qtbot, window, target, monkeypatch) == f"저장했습니다: {target}"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads Korean right
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [(r["상태"], r["금액"], r["매출 미반영"]) for r in rows] == [
        ("승인", "30000", ""),
        ("거절", "", "5000"),  # asked, not charged: not in the column the owner adds up
        ("승인", "12000", ""),
    ]
    assert sum(int(r["금액"] or 0) for r in rows) == 42000  # the day's net sales
    assert rows[2]["주문명"] == "'=cmd|' /C calc'!A0"  # text, never a formula
    assert rows[0]["카드"] == "**** 4242" and "424242" not in raw.decode("utf-8-sig")


def test_day_saved_from_an_english_window_has_english_headers(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    window = open_window(lang="en")
    assert charge(qtbot, window, VISA, "30000") == "paid"
    target = tmp_path / "sales.csv"
    save_day_as(qtbot, window, target, monkeypatch)
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["Type"], r["Status"], r["Amount"]) for r in rows] == [
        ("One-time charge", "Approved", "30000")
    ]


def test_saving_where_it_cannot_write_says_why(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    window = open_window()
    target = tmp_path / "no-such-folder" / "sales.csv"
    assert save_day_as(qtbot, window, target, monkeypatch) == "No such file or directory"
    assert not target.exists()

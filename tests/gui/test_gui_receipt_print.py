"""영수증 인쇄 from the result panel: the worker writes the slip from the payment shown, the
journal (the tax-free part) and the saved settings (the shop); the window prints it. The print
dialog is the operating system's, so the test prints to a PDF through Qt instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import (
    WAIT_MS,
    OpenWindow,
    answer_next_dialog,
    fill_amount,
    fill_card,
    run_action,
    type_into,
)
from pytestqt.qtbot import QtBot

from pos_app.services.settings import TillSettings, save_till_settings
from pos_app.ui import receipt
from pos_app.ui.main_window import MainWindow

VISA = "4242424242424242"


class Printed:
    """Stands in for print_with_dialog: prints the slip to a PDF (a real QPrinter job)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.slips: list[str] = []

    def __call__(self, slip: str, _parent: object) -> bool:
        self.slips.append(slip)
        return receipt.save_pdf(slip, self.folder / f"receipt-{len(self.slips)}.pdf")


@pytest.fixture
def printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Printed:
    stand_in = Printed(tmp_path)
    monkeypatch.setattr(receipt, "print_with_dialog", stand_in)
    return stand_in


def print_shown(
    qtbot: QtBot, window: MainWindow, printed: Printed, *, shop_set: bool = True
) -> str:
    count = len(printed.slips)
    assert window.result.print_button.isVisible() and window.result.print_button.isEnabled()
    if not shop_set:  # with no shop in 설정 the window asks first (issue 13): print anyway
        answer_next_dialog(yes=True, name="receiptShop")
    window.result.print_button.click()
    qtbot.waitUntil(lambda: len(printed.slips) > count, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.charge_button.isEnabled(), timeout=WAIT_MS)
    assert window.statusBar().currentMessage() == "영수증을 인쇄했습니다"
    return printed.slips[-1]


def test_receipt_of_a_charge_has_the_shop_the_tax_free_part_and_last_four_only(
    qtbot: QtBot, open_window: OpenWindow, printed: Printed, tmp_path: Path
) -> None:
    save_till_settings(
        TillSettings.checked(shop_name="행복 피아노 학원", business_number="220-81-62517")
    )
    window = open_window()
    fill_card(qtbot, window, VISA)
    fill_amount(qtbot, window, "110000", "3월 수강료")
    type_into(qtbot, window.amount.tax_free, "55000")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    slip = print_shown(qtbot, window, printed)
    assert "카드 매출전표" in slip and "행복 피아노 학원" in slip and "220-81-62517" in slip
    assert "**** 4242" in slip and "424242" not in slip
    # 110,000 with 55,000 tax-free: VAT is 55,000 / 11 = 5,000 (journal's tax-free part).
    assert "55,000원" in slip and "5,000원" in slip and "110,000원" in slip
    pdf = tmp_path / "receipt-1.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 5_000
    # The panel still shows the charge: printing is not an action on the payment.
    assert window.result.outcome() == "paid"


def test_receipt_after_a_refund_is_a_cancel_slip(
    qtbot: QtBot, open_window: OpenWindow, printed: Printed
) -> None:
    from test_gui_refund import refund_in_window

    window = open_window()
    fill_card(qtbot, window, VISA)
    fill_amount(qtbot, window, "30000", "PT 1회")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    refund_in_window(qtbot, window, None)
    assert window.result.outcome() == "refunded"
    slip = print_shown(qtbot, window, printed, shop_set=False)
    assert "카드 취소전표" in slip and "30,000원" in slip and "424242" not in slip


def test_no_print_button_without_an_approved_payment(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    fill_card(qtbot, window, "4000000000000341")  # declined by the sandbox
    fill_amount(qtbot, window, "5000", "Declined")
    assert run_action(qtbot, window, window.charge_button) == "declined"
    assert not window.result.print_button.isVisible()

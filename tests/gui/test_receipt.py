"""The paper receipt (pos_app/ui/receipt.py): what it says for a sale and for a refund, that a
card number never shows more than its last four digits, English, and real PDFs through QPrinter."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from pos_app.gateway.models import CancelRecord, Payment
from pos_app.ui import i18n
from pos_app.ui.receipt import (
    print_receipt,
    print_with_dialog,
    receipt_document,
    receipt_html,
    save_pdf,
)

# Qt's text layout and printing need the application object.
pytestmark = pytest.mark.usefixtures("qapp")

PAID_AT = 1_790_000_000
CANCELLED_AT = PAID_AT + 3600
MASKED = "536112******1234"

PAID = Payment(
    imp_uid="imp_483920117365",
    merchant_uid="20260921T051320123-T1-9f3a01bc",
    status="paid",
    amount=11_000,
    cancel_amount=0,
    apply_num="30012345",
    card_name="신한카드",
    card_code="366",
    card_number=MASKED,
    card_type=0,
    card_quota=0,
    name="PT 1회",
    paid_at=PAID_AT,
    failed_at=0,
    cancelled_at=0,
    fail_reason="",
    receipt_url="https://receipt.example.test/r?tid=abc&x=1",
    customer_uid="kim_1234",
)


def local(unix_s: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(unix_s))


def refunded(payment: Payment, amount: int) -> Payment:
    """`payment` after refunds totalling `amount` (all of it: status cancelled)."""
    record = CancelRecord("pg-cancel-1", amount, CANCELLED_AT, "고객 요청", "")
    full = amount == payment.amount
    return dataclasses.replace(
        payment,
        status="cancelled" if full else "paid",
        cancel_amount=amount,
        cancelled_at=CANCELLED_AT if full else 0,
        cancel_history=(record,),
    )


def text_of(html: str) -> str:
    """What a person reads on the receipt."""
    return receipt_document(html).toPlainText()


@pytest.fixture
def english() -> Iterator[None]:
    translators = i18n.load_translators("en")
    i18n.install(translators)
    yield
    i18n.uninstall(translators)


# --- content ------------------------------------------------------------------------------------


def test_sales_slip_shows_the_sale_with_vat_split() -> None:
    html = receipt_html(PAID, shop_name="바른 필라테스 강남점")
    text = text_of(html)
    for expected in (
        "카드 매출전표",
        "바른 필라테스 강남점",
        local(PAID_AT),
        "신한카드",
        "**** 1234",
        "일시불",
        "30012345",
        "PT 1회",
        "공급가액",
        "10,000원",
        "부가세",
        "1,000원",
        "합계",
        "11,000원",
        "20260921T051320123-T1-9f3a01bc",
        "imp_483920117365",
        "온라인 영수증",
        "https://receipt.example.test/r?tid=abc&x=1",
    ):
        assert expected in text
    assert "취소" not in text
    assert "면세" not in text  # no tax-free part, no tax-free line
    assert "연습 모드" not in text  # a live payment is not marked as the sandbox's


def test_tax_free_part_and_instalments() -> None:
    payment = dataclasses.replace(PAID, amount=55_000, card_quota=3)
    text = text_of(receipt_html(payment, tax_free=5_000))
    # pos_app.core.money.vat_of: (55,000 - 5,000) / 11 = 4,545.45 -> 4,545.
    assert "공급가액\n45,455원" in text
    assert "부가세\n4,545원" in text
    assert "면세\n5,000원" in text
    assert "합계\n55,000원" in text
    assert "할부\n3개월" in text


def test_sandbox_payment_says_it_is_not_real() -> None:
    text = text_of(receipt_html(dataclasses.replace(PAID, sandbox=True)))
    assert "연습 모드 — 실제 결제가 아닙니다" in text


@pytest.mark.parametrize(
    "masked",
    [MASKED, "5361-12**-****-1234", "536112**********1234", "5361121234561234", "1234"],
)
def test_card_number_shows_the_last_four_digits_only(masked: str) -> None:
    payment = dataclasses.replace(PAID, card_number=masked)
    for html in (receipt_html(payment), receipt_html(refunded(payment, 11_000))):
        text = text_of(html)
        assert "카드번호\n**** 1234" in text
        for shown in (html, text):
            assert "536112" not in shown and "5361-12" not in shown
            assert len(masked) <= 4 or masked not in shown


def test_an_inicis_mask_prints_only_the_digit_it_shows() -> None:
    # KG Inicis masks as "524242*********0" (portone-v1.md §7): one trailing digit. The old rule
    # printed "**** 2420", three digits the card company never showed in those places.
    payment = dataclasses.replace(PAID, card_number="524242*********0")
    text = text_of(receipt_html(payment))
    assert "카드번호\n**** ***0" in text
    assert "2420" not in text and "524242" not in text


def test_card_shaped_order_name_is_blanked_as_in_the_journal() -> None:
    payment = dataclasses.replace(PAID, name="회원권 5361 1212 3456 1234")
    html = receipt_html(payment)
    assert "5361 1212 3456 1234" not in html
    assert "[redacted]" in text_of(html)


def test_every_value_is_escaped() -> None:
    payment = dataclasses.replace(
        PAID,
        name='<b>PT</b> & "요가"',
        card_name="<i>카드</i>",
        receipt_url="https://r.example.test/?a=1&b=<2>",
    )
    html = receipt_html(payment, shop_name="<script>alert(1)</script>")
    assert "<script>" not in html and "<b>PT</b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;PT&lt;/b&gt; &amp; &quot;요가&quot;" in html
    text = text_of(html)
    assert '<b>PT</b> & "요가"' in text
    assert "<i>카드</i>" in text
    assert "https://r.example.test/?a=1&b=<2>" in text


def test_no_receipt_for_a_payment_that_was_not_approved() -> None:
    failed = dataclasses.replace(PAID, status="failed", apply_num="", fail_reason="한도초과")
    with pytest.raises(ValueError, match="failed"):
        receipt_html(failed)


# --- refunds ------------------------------------------------------------------------------------


def test_full_refund_slip() -> None:
    payment = refunded(dataclasses.replace(PAID, amount=55_000), 55_000)
    text = text_of(receipt_html(payment, tax_free=5_000))
    assert "카드 취소전표" in text and "카드 매출전표" not in text
    assert f"결제일시\n{local(PAID_AT)}" in text
    assert f"취소일시\n{local(CANCELLED_AT)}" in text
    assert "결제 금액\n55,000원" in text
    # Everything refunded, the tax-free part with it: the sale's own split.
    assert "공급가액\n45,455원" in text
    assert "부가세\n4,545원" in text
    assert "면세\n5,000원" in text
    assert "취소 합계\n55,000원" in text
    assert "남은 금액" not in text


def test_partial_refund_slip() -> None:
    payment = refunded(dataclasses.replace(PAID, amount=55_000), 20_000)
    text = text_of(receipt_html(payment))
    assert "카드 취소전표" in text
    assert f"취소일시\n{local(CANCELLED_AT)}" in text  # from the history: cancelled_at is 0
    assert "공급가액\n18,182원" in text  # 20,000 / 11 = 1,818.18 -> 1,818
    assert "부가세\n1,818원" in text
    assert "취소 합계\n20,000원" in text
    assert "취소 후 남은 금액\n35,000원" in text


def test_partial_refund_of_a_sale_with_a_tax_free_part_prints_no_guessed_split() -> None:
    payment = refunded(dataclasses.replace(PAID, amount=55_000), 20_000)
    text = text_of(receipt_html(payment, tax_free=5_000))
    assert "취소 합계\n20,000원" in text
    assert "공급가액" not in text and "부가세" not in text and "면세" not in text


def test_sales_slip_of_a_partly_refunded_payment_on_request() -> None:
    payment = refunded(PAID, 5_000)
    text = text_of(receipt_html(payment, refund=False))
    assert "카드 매출전표" in text and "취소" not in text
    assert "합계\n11,000원" in text


# --- English ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_english_when_the_english_translator_is_installed() -> None:
    payment = refunded(dataclasses.replace(PAID, amount=55_000, card_quota=3), 20_000)
    sale = text_of(receipt_html(dataclasses.replace(PAID, card_quota=3, sandbox=True)))
    refund = text_of(receipt_html(payment))
    for expected in (
        "Card sales slip",
        "Sandbox — not a real payment",
        "Paid at",
        "Card company",
        "Card number\n**** 1234",
        "Instalments\n3 months",
        "Approval no.",
        "Order name",
        "Net amount\n10,000원",
        "VAT\n1,000원",
        "Total\n11,000원",
        "Order ID",
        "Transaction ID",
        "Online receipt",
    ):
        assert expected in sale
    for expected in ("Card refund slip", "Refunded at", "Refund total", "Left after refund"):
        assert expected in refund
    assert "Lump sum" in text_of(receipt_html(PAID))
    assert "카드" not in sale.replace("신한카드", "")  # every label translated


# --- printing -----------------------------------------------------------------------------------


def assert_pdf(path: Path) -> bytes:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 5_000  # text with embedded Korean glyphs, not an empty page
    return data


def test_pdf_on_an_80mm_roll(tmp_path: Path) -> None:
    path = tmp_path / "receipt.pdf"
    assert save_pdf(receipt_html(PAID, shop_name="바른 필라테스"), path) is True
    data = assert_pdf(path)
    assert b"/MediaBox [0 0 227" in data  # 80 mm wide
    assert b"/Count 1" in data  # one page


def test_pdf_on_a4_and_from_a_document(tmp_path: Path) -> None:
    document = receipt_document(receipt_html(refunded(PAID, 11_000)))
    path = tmp_path / "a4.pdf"
    assert save_pdf(document, path, QPageSize(QPageSize.PageSizeId.A4)) is True
    data = assert_pdf(path)
    assert b"/MediaBox [0 0 595" in data
    assert b"/Count 1" in data  # a receipt-wide column, not one word per line over pages
    assert document.toPlainText().startswith("카드 취소전표")  # the caller's copy is untouched


def test_print_receipt_on_a_pdf_printer(tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_receipt(receipt_html(PAID), printer) is True
    assert_pdf(tmp_path / "printed.pdf")


@pytest.mark.qt_log_ignore("^QPainter::begin\\(\\): Returned false$")  # what the test provokes
def test_print_receipt_reports_a_printer_that_cannot_print(tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no-such-folder" / "printed.pdf"))
    assert print_receipt(receipt_html(PAID), printer) is False


@pytest.mark.parametrize("answer", [QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected])
def test_print_with_dialog(
    answer: QDialog.DialogCode, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "chosen.pdf"
    asked: list[tuple[QWidget | None, str]] = []

    def cashier_answers(dialog: QPrintDialog) -> int:
        # What choosing "Print to File (PDF)" in the dialog does to its printer.
        asked.append((dialog.parentWidget(), dialog.windowTitle()))
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return int(answer.value)

    monkeypatch.setattr(QPrintDialog, "exec", cashier_answers)
    printed = print_with_dialog(receipt_html(PAID), parent)
    assert asked == [(parent, "영수증 인쇄")]
    assert printed is (answer == QDialog.DialogCode.Accepted)
    assert target.exists() is printed

"""The paper receipt for a card payment (카드 매출전표) or a refund (카드 취소전표).

`receipt_html` turns a PortOne `Payment` into small, plain HTML: a column of label/value rows
that fills an 80 mm thermal roll and stays a receipt-sized column on A4. `print_receipt` prints it
on any QPrinter, `print_with_dialog` asks the cashier for the printer first, `save_pdf` writes a
PDF (tests, and a shop with no printer). docs/receipts.md says what is on it and why.

Card data never reaches a receipt: PortOne's masked number ("536112******1234") is cut to its
last four digits, and expiry, birth date and PIN are not in a Payment at all. QtPrintSupport is
imported only here, so the window loads it when a receipt is printed, never before its first
paint.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument, QTextOption
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from pos_app.core.card_fields import format_business_number
from pos_app.core.card_mask import card_tail
from pos_app.core.money import format_krw, vat_of
from pos_app.store.db import safe_text
from pos_app.ui import assets

if TYPE_CHECKING:
    from pos_app.gateway.models import Payment

# A thermal roll is 80 mm wide and prints about 72 mm of it. On wider paper (A4) the receipt
# keeps this width, so it looks the same and can be cut out.
RECEIPT_WIDTH_MM = 72.0
# The page of `save_pdf`'s default: an 80 mm roll, cut long enough for a refund receipt.
ROLL_80MM = QPageSize(QSizeF(80, 200), QPageSize.Unit.Millimeter, "80mm roll")
ROLL_MARGIN_MM = 4.0
# One family for Hangul, digits and Latin letters, so every row of a label and its value sits on
# one baseline (a Latin fallback for the digits sits higher): the platform's Korean font first,
# as in the window (assets.font_families), so no missing family sends Qt through every font.
_FONTS = assets.font_families(quote="'")


def receipt_html(
    payment: Payment,
    *,
    shop_name: str = "",
    business_number: str = "",
    tax_free: int = 0,
    refund: bool | None = None,
) -> str:
    """The receipt of an approved `payment`, as HTML; every value is escaped.

    `tax_free` is the charge's tax-free (면세) part, from the journal: PortOne's payment answer
    does not carry it. `refund` picks the 취소전표 (True) or the 매출전표 (False); None takes the
    취소전표 once anything was refunded. Raises ValueError for a payment that was never approved
    (a declined or unfinished one has no receipt).
    """
    if payment.status not in ("paid", "cancelled"):
        raise ValueError(f"no receipt for a payment in status {payment.status!r}")
    if refund is None:
        refund = payment.cancel_amount > 0
    title = (
        QCoreApplication.translate("receipt", "카드 취소전표")
        if refund
        else QCoreApplication.translate("receipt", "카드 매출전표")
    )
    parts = [f'<p align="center" style="font-size: 13pt; font-weight: bold;">{_e(title)}</p>']
    if payment.sandbox:
        # A receipt from the sandbox must never pass for a real one.
        notice = QCoreApplication.translate("receipt", "연습 모드 — 실제 결제가 아닙니다")
        parts.append(f'<p align="center"><b>{_e(notice)}</b></p>')
    if shop_name.strip():
        parts.append(f'<p align="center">{_e(safe_text(shop_name.strip()))}</p>')
    if business_number:
        label = QCoreApplication.translate("receipt", "사업자등록번호")
        number = format_business_number(business_number)
        parts.append(f'<p align="center">{_e(label)} {_e(number)}</p>')
    parts.append("<hr/>")

    if payment.card_quota < 2:
        quota = QCoreApplication.translate("receipt", "일시불")
    else:
        # Always 2 or more months here, so no plural forms are needed (and lupdate keeps none
        # for QCoreApplication.translate with a count).
        months = str(payment.card_quota)
        quota = QCoreApplication.translate("receipt", "%1개월").replace("%1", months)
    sale = [
        (QCoreApplication.translate("receipt", "결제일시"), _time(payment.paid_at)),
        (QCoreApplication.translate("receipt", "카드사"), payment.card_name or "—"),
        (QCoreApplication.translate("receipt", "카드번호"), card_tail(payment.card_number) or "—"),
        (QCoreApplication.translate("receipt", "할부"), quota),
        (QCoreApplication.translate("receipt", "승인번호"), payment.apply_num or "—"),
        # Free text a person typed: blanked like the journal blanks it if card-shaped.
        (QCoreApplication.translate("receipt", "주문명"), safe_text(payment.name) or "—"),
    ]
    if refund:
        # The sale being refunded above the line, what was refunded below it.
        sale.append(
            (QCoreApplication.translate("receipt", "결제 금액"), format_krw(payment.amount))
        )
        cancelled_at = _last_cancel_time(payment)
        sale.append((QCoreApplication.translate("receipt", "취소일시"), _time(cancelled_at)))
    parts += [_rows(sale), "<hr/>"]

    if refund:
        refunded_tax_free = _refunded_tax_free(payment, tax_free)
        parts.append(_amounts(payment.cancel_amount, refunded_tax_free, refund=True))
        if payment.refundable > 0:
            remaining = QCoreApplication.translate("receipt", "취소 후 남은 금액")
            parts.append(_rows([(remaining, format_krw(payment.refundable))]))
    else:
        parts.append(_amounts(payment.amount, tax_free, refund=False))
    parts.append("<hr/>")

    parts.append(
        _rows(
            [
                (QCoreApplication.translate("receipt", "주문번호"), payment.merchant_uid),
                (QCoreApplication.translate("receipt", "거래번호"), payment.imp_uid),
            ]
        )
    )
    if payment.receipt_url:
        online = QCoreApplication.translate("receipt", "온라인 영수증")
        url = _e(payment.receipt_url)
        parts.append(f'<p>{_e(online)}<br/><span style="font-size: 7pt;">{url}</span></p>')
    body = "\n".join(parts)
    return f'<html><body style="font-family: {_FONTS}; font-size: 9pt;">\n{body}\n</body></html>'


def receipt_document(text: str) -> QTextDocument:
    """The HTML as a QTextDocument, long words (URLs, order ids) wrapped inside the column."""
    document = QTextDocument()
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    document.setDefaultTextOption(option)
    document.setHtml(text)
    return document


def print_receipt(receipt: QTextDocument | str, printer: QPrinter) -> bool:
    """Print on `printer` as it is set up; False when the printer reported an error."""
    document = receipt.clone() if isinstance(receipt, QTextDocument) else receipt_document(receipt)
    # On paper wider than a roll (A4) the receipt keeps a roll's width: a wider right margin.
    layout = printer.pageLayout()
    extra = layout.paintRect(QPageLayout.Unit.Millimeter).width() - RECEIPT_WIDTH_MM
    if extra > 0:
        margins = layout.margins(QPageLayout.Unit.Millimeter)
        margins.setRight(margins.right() + extra)
        printer.setPageMargins(margins, QPageLayout.Unit.Millimeter)
    # Laid out in the printer's own pixels on its own page: QTextDocument.print_() then prints
    # at scale 1, with the printer's margins and no page numbers. (A document without a page
    # size gets 2 cm margins, which leave 40 mm of an 80 mm roll, and a page number.)
    document.documentLayout().setPaintDevice(printer)
    document.setPageSize(QSizeF(printer.width(), printer.height()))
    document.print_(printer)
    return printer.printerState() not in (
        QPrinter.PrinterState.Error,
        QPrinter.PrinterState.Aborted,
    )


def print_with_dialog(receipt: QTextDocument | str, parent: QWidget) -> bool:
    """Ask for the printer (QPrintDialog over `parent`), then print; False if cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("receipt", "영수증 인쇄"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return print_receipt(receipt, printer)


def save_pdf(
    receipt: QTextDocument | str, path: Path | str, page_size: QPageSize | None = None
) -> bool:
    """Write the receipt to a PDF file through QPrinter: an 80 mm roll page unless told."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    if page_size is None:
        printer.setPageSize(ROLL_80MM)
        margin = ROLL_MARGIN_MM
        printer.setPageMargins(
            QMarginsF(margin, margin, margin, margin), QPageLayout.Unit.Millimeter
        )
    else:
        printer.setPageSize(page_size)
    return print_receipt(receipt, printer) and Path(path).is_file()


# --- parts ---------------------------------------------------------------------------------


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def _time(unix_s: int) -> str:
    # Local time, as the result panel shows it.
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(unix_s)) if unix_s else "—"


def _rows(rows: list[tuple[str, str]], *, bold_last: bool = False) -> str:
    """Label left, value right: the layout of every Korean card slip."""
    cells = [f'<td>{_e(label)}</td><td align="right">{_e(value)}</td>' for label, value in rows]
    if bold_last:  # the total
        label, value = rows[-1]
        cells[-1] = f'<td><b>{_e(label)}</b></td><td align="right"><b>{_e(value)}</b></td>'
    lines = "".join(f"<tr>{row}</tr>" for row in cells)
    return f'<table width="100%" cellspacing="0" cellpadding="0">{lines}</table>'


def _amounts(total: int, tax_free: int | None, *, refund: bool) -> str:
    """공급가액 / 부가세 (/ 면세) / 합계 of `total`; only the total when the split is unknown."""
    total_label = (
        QCoreApplication.translate("receipt", "취소 합계")
        if refund
        else QCoreApplication.translate("receipt", "합계")
    )
    rows: list[tuple[str, str]] = []
    if tax_free is not None:
        vat = vat_of(total, tax_free)
        rows.append(
            (QCoreApplication.translate("receipt", "공급가액"), format_krw(total - tax_free - vat))
        )
        rows.append((QCoreApplication.translate("receipt", "부가세"), format_krw(vat)))
        if tax_free:
            rows.append((QCoreApplication.translate("receipt", "면세"), format_krw(tax_free)))
    rows.append((total_label, format_krw(total)))
    return _rows(rows, bold_last=True)


def _refunded_tax_free(payment: Payment, tax_free: int) -> int | None:
    """The tax-free part of what was refunded, or None when it cannot be known.

    All of it refunded: all of the tax-free part too. Part of it: the app's refunds send no
    tax-free figure, and how PortOne split it is not in its answer, so with a tax-free part
    the split is left off rather than guessed (the total is still printed).
    """
    if payment.cancel_amount >= payment.amount:
        return tax_free
    return 0 if tax_free == 0 else None


def _last_cancel_time(payment: Payment) -> int:
    # A partial refund leaves `cancelled_at` at 0; its time is in the history.
    times = [record.cancelled_at for record in payment.cancel_history]
    return max(times, default=0) or payment.cancelled_at

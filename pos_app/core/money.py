"""Money in whole Korean won: parsing what a cashier types, VAT, tax-free part, instalments."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pos_app.core.errors import InvalidInput

# Highest amount one key-in charge may carry. Eight digits covers any counter sale; a ninth
# digit is far more likely a slip of the finger than a real 100,000,000-won sale.
MAX_AMOUNT = 99_999_999
# PortOne / the card companies allow instalments only from this amount on.
INSTALLMENT_MIN_AMOUNT = 50_000
MAX_INSTALLMENT_MONTHS = 12
CHECK_CARD = 1  # PortOne card_type: 0 credit, 1 check (debit), None unknown

_FULLWIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")
# "12,000", "12000", with optional ₩/KRW before and 원/KRW after.
_CURRENCY = re.compile(r"^(?:₩|￦|KRW)?\s*(.*?)\s*(?:원|KRW)?$", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def _parse_won(text: str | int, field: str, **params: str | int) -> int:
    """Whole won from "12,000", "12000원", "₩12,000"; signs and decimals are refused. `params`
    go into the field's messages (e.g. the range a refund must be in)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if isinstance(text, float):
        # Won has no minor unit; a float here means someone computed money in floats.
        raise InvalidInput(field, "decimal", **params)
    if not isinstance(text, str):
        raise InvalidInput(field, "format", **params)
    cleaned = text.translate(_FULLWIDTH).strip()
    if not cleaned:
        raise InvalidInput(field, "empty" if field == "amount" else "format", **params)
    match = _CURRENCY.match(cleaned)
    body = match.group(1) if match else cleaned
    if body.startswith("-"):
        raise InvalidInput(field, "not_positive" if field == "amount" else "range", **params)
    if re.fullmatch(r"[\d,]*\.\d*", body):
        # "12000.00" and "12,000.5" alike: won has no minor unit, so never guess.
        raise InvalidInput(field, "decimal", **params)
    # Commas only where thousands separators go, so "12,00" is not silently 1,200.
    if not _GROUPED.fullmatch(body):
        raise InvalidInput(field, "format", **params)
    return int(body.replace(",", ""))


def parse_amount(text: str | int) -> int:
    """A charge amount: integer KRW from 1 to MAX_AMOUNT (99,999,999).

    Accepts "12,000", "12000", "12000원", "₩12,000" and ints. Raises InvalidInput("amount", code)
    with code "empty", "format", "decimal", "not_positive" or "too_large".
    """
    amount = _parse_won(text, "amount")
    if amount <= 0:
        raise InvalidInput("amount", "not_positive")
    if amount > MAX_AMOUNT:
        raise InvalidInput("amount", "too_large", ceiling=format_krw(MAX_AMOUNT).rstrip("원"))
    return amount


def parse_refund_amount(text: str | int, refundable: int) -> int:
    """A refund: whole won (the same forms as a charge amount) from 1 to what the payment still
    has to refund. Raises InvalidInput("refund_amount", "format" | "decimal" | "range")."""
    maximum = format_krw(refundable).rstrip("원")
    amount = _parse_won(text, "refund_amount", maximum=maximum)
    if not 1 <= amount <= refundable:
        raise InvalidInput("refund_amount", "range", maximum=maximum)
    return amount


def parse_tax_free(text: str | int, amount: int) -> int:
    """The tax-free (면세) part of `amount`: empty means 0; must be within 0..amount."""
    if isinstance(text, str) and not text.strip():
        return 0
    tax_free = _parse_won(text, "tax_free")
    check_tax_free(tax_free, amount)
    return tax_free


def check_tax_free(tax_free: int, amount: int) -> None:
    if not 0 <= tax_free <= amount:
        raise InvalidInput("tax_free", "range")


def vat_of(amount: int, tax_free: int = 0) -> int:
    """VAT inside a VAT-inclusive amount: (amount - tax_free) / 11, rounded half up.

    Computed in integers as floor(x / 11 + 1/2). A multiple of 1/11 is never exactly half-way,
    so half-up, half-even and PortOne's "rounded" all give the same won.
    """
    check_tax_free(tax_free, amount)
    return (2 * (amount - tax_free) + 11) // 22


def installment_allowed(amount: int, card_type: int | None) -> bool:
    """Whether 2+ month instalments may be offered (never on a check card; unknown type is ok)."""
    return amount >= INSTALLMENT_MIN_AMOUNT and card_type != CHECK_CARD


def check_installment(months: int, amount: int, card_type: int | None) -> None:
    """months is 0 (lump sum) or 2..12; 2+ needs amount >= 50,000 and not a check card."""
    if isinstance(months, bool) or not (months == 0 or 2 <= months <= MAX_INSTALLMENT_MONTHS):
        raise InvalidInput("installment", "months")
    if months == 0:
        return
    if card_type == CHECK_CARD:
        raise InvalidInput("installment", "check_card")
    if amount < INSTALLMENT_MIN_AMOUNT:
        raise InvalidInput(
            "installment", "min_amount", minimum=format_krw(INSTALLMENT_MIN_AMOUNT).rstrip("원")
        )


def format_krw(amount: int) -> str:
    """12000 -> "12,000원"."""
    return f"{amount:,}원"


@dataclass(frozen=True, slots=True)
class RefundSplit:
    """How much of one refund is tax-free (면세) and how much VAT it carries, for
    `POST /payments/cancel`'s `tax_free` and `vat_amount`."""

    tax_free: int
    vat_amount: int


def _share(part: int, of_whole: int, whole: int) -> int:
    """round_half_up(part * of_whole / whole) in integers (whole > 0)."""
    return (2 * part * of_whole + whole) // (2 * whole)


def refund_split(
    *,
    sale_amount: int,
    sale_tax_free: int,
    refunded: int,
    refunded_tax_free: int,
    amount: int,
) -> RefundSplit:
    """Split a refund of `amount` into its tax-free part and VAT the way the sale was split.

    Inputs: the original sale (`sale_amount`, its `sale_tax_free`), what earlier refunds of
    that sale took back in total (`refunded`) and the tax-free part of those (`refunded_tax_free`,
    0 when there were none), and this refund's `amount` (> 0, at most what is left).

    The rule: after this refund, the refunded total's tax-free part is the sale's tax-free share
    of it (sale_tax_free × refunded_total / sale_amount, rounded half up), and its VAT is the
    sale's VAT share of its taxable part (sale VAT = `vat_of(sale_amount, sale_tax_free)`);
    this refund carries the difference from what earlier refunds carried. So:
      - a full refund carries exactly the sale's tax-free part and VAT;
      - the refund that takes the last won carries exactly what is left of both, so all the
        refunds of a sale add up to the sale's tax-free part and VAT to the won (PGs such as
        KCP, KICC, NICE and Payco check this, portone-v1.md §7);
      - a sale with no tax-free part gives tax_free 0 on every refund; an all-tax-free sale
        gives VAT 0.
    Earlier refunds are assumed to have been split by this same rule; when they were not (for
    example `refunded_tax_free` 0 from refunds sent before this rule), this refund's tax-free
    part is kept within what the sale still has (never negative, never more than `amount`, never
    more than the tax-free or taxable part left), and the last refund still squares the totals.

    Raises ValueError for inputs that cannot describe a sale and its refunds.
    """
    check_tax_free(sale_tax_free, sale_amount)
    left = sale_amount - refunded
    fits = 0 <= refunded <= sale_amount and 0 <= refunded_tax_free <= min(refunded, sale_tax_free)
    if not fits:
        raise ValueError("refunded amounts do not fit the sale")
    if not 0 < amount <= left:
        raise ValueError("a refund must be more than 0 and at most what is left of the sale")
    taxable_sale = sale_amount - sale_tax_free
    tax_free_left = sale_tax_free - refunded_tax_free
    taxable_left = taxable_sale - (refunded - refunded_tax_free)
    total = refunded + amount
    wanted = _share(sale_tax_free, total, sale_amount) - refunded_tax_free
    # Keep it within what the sale still has of each part (this also makes the last refund
    # take exactly the rest: then amount - taxable_left == tax_free_left).
    tax_free = min(max(wanted, amount - taxable_left, 0), tax_free_left, amount)
    if taxable_sale == 0:
        return RefundSplit(tax_free, 0)
    sale_vat = vat_of(sale_amount, sale_tax_free)
    taxable_before = refunded - refunded_tax_free
    taxable_after = taxable_before + (amount - tax_free)
    vat = _share(sale_vat, taxable_after, taxable_sale) - _share(
        sale_vat, taxable_before, taxable_sale
    )
    return RefundSplit(tax_free, vat)

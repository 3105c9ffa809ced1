"""A bill row's own identity: its merchant_uid follows from what the row means, not the file.

`bill_merchant_uid(period, customer_uid, amount, name)` is "B" + the billing period + "-" + 20
hex digits of a SHA-256 over (period, customer_uid, amount, normalised order name). The same
row in a re-saved (BOM, CRLF, Excel's quoting), re-ordered or appended file therefore maps to
the same order id, so PortOne's one-payment-per-merchant_uid rule and the journal stop a second
charge; a different period, customer, amount or name is a different charge. No terminal id,
time or line number goes in, so two counters billing the same file agree on every id.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

from pos_app.core.errors import InvalidInput
from pos_app.core.money import parse_amount
from pos_app.core.order import MERCHANT_UID_MAX, check_customer_uid, normalise_order_name

PERIOD_LABEL_MAX = 16
_PERIOD_LABEL = re.compile(rf"[A-Za-z0-9_-]{{1,{PERIOD_LABEL_MAX}}}")
# "2026-11", "2026_11", "202611", "2026-1": a year and a month, written as a person might.
_YEAR_MONTH = re.compile(r"(\d{4})[-_]?(\d{1,2})")
_DIGEST_CHARS = 20  # 80 bits: no two rows of any plausible number of bills share an id
# Bumped only if the identity's inputs ever change; old bills keep their old ids meaning.
_SCHEME = "pos-app bill row v1"
_RETRY_SCHEME = "pos-app bill row retry v1"
# A declined row may be tried again with a new order id up to this attempt ("…r2" … "…r9").
MAX_ATTEMPT = 9


def parse_period(text: str) -> str:
    """The billing period a person gave: a year-month ("2026-11", also "202611", "2026-1",
    normalised to "2026-11") or a short label of [A-Za-z0-9_-] (lower-cased, so "Spring" and
    "spring" are one bill). Raises InvalidInput("billing_period", ...)."""
    value = text.strip()
    year_month = _YEAR_MONTH.fullmatch(value)
    if year_month:
        month = int(year_month.group(2))
        if not 1 <= month <= 12:
            raise InvalidInput("billing_period", "month")
        return f"{year_month.group(1)}-{month:02d}"
    if not _PERIOD_LABEL.fullmatch(value):
        raise InvalidInput("billing_period", "format", limit=PERIOD_LABEL_MAX)
    return value.lower()


def current_period(now: datetime | None = None) -> str:
    """This local calendar month as a period ("2026-11")."""
    return (now or datetime.now().astimezone()).strftime("%Y-%m")


def previous_period(period: str) -> str | None:
    """The month before a year-month period ("2026-01" -> "2025-12"); None for a label."""
    year_month = _YEAR_MONTH.fullmatch(period)
    if year_month is None:
        return None
    year, month = int(year_month.group(1)), int(year_month.group(2))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def bill_prefix(period: str) -> str:
    """What every merchant_uid of this period's bill rows starts with ("B2026-11-")."""
    return f"B{parse_period(period)}-"


def bill_merchant_uid(period: str, customer_uid: str, amount: int, name: str) -> str:
    """The row's order id, at most 38 characters of [A-Za-z0-9_-]. Raises InvalidInput when a
    part breaks its own rule (so an id is never built from something that cannot be charged)."""
    period = parse_period(period)
    meaning = [
        _SCHEME,
        period,
        check_customer_uid(customer_uid),
        parse_amount(amount),
        normalise_order_name(name),
    ]
    # JSON keeps the parts apart unambiguously ("a,b" + "c" never equals "a" + "b,c").
    encoded = json.dumps(meaning, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    merchant_uid = f"B{period}-{hashlib.sha256(encoded).hexdigest()[:_DIGEST_CHARS]}"
    assert len(merchant_uid) <= MERCHANT_UID_MAX
    return merchant_uid


def retry_merchant_uid(period: str, customer_uid: str, amount: int, name: str, attempt: int) -> str:
    """The order id of a declined bill row's `attempt`-th try (2 … MAX_ATTEMPT): a new id, so
    PortOne takes it, but still derived from the row's meaning, so two counters retrying the same
    declined row at once compute the same id and PortOne and the journal let only one through.
    It starts with the period's prefix like the first try (the guard's "same period" check sees
    it) and ends in "r" + the attempt."""
    if not 2 <= attempt <= MAX_ATTEMPT:
        raise ValueError(f"attempt must be 2..{MAX_ATTEMPT}, not {attempt}")
    period = parse_period(period)
    meaning = [
        _RETRY_SCHEME,
        period,
        check_customer_uid(customer_uid),
        parse_amount(amount),
        normalise_order_name(name),
        attempt,
    ]
    encoded = json.dumps(meaning, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = hashlib.sha256(encoded).hexdigest()[:_DIGEST_CHARS]
    merchant_uid = f"B{period}-{digest}r{attempt}"
    assert len(merchant_uid) <= MERCHANT_UID_MAX
    return merchant_uid


__all__ = [
    "MAX_ATTEMPT",
    "PERIOD_LABEL_MAX",
    "bill_merchant_uid",
    "bill_prefix",
    "current_period",
    "parse_period",
    "previous_period",
    "retry_merchant_uid",
]

"""Orders and the ids PortOne keys them by: merchant_uid (one per charge) and customer_uid."""

from __future__ import annotations

import os
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from pos_app.core.errors import InvalidInput
from pos_app.core.money import MAX_AMOUNT, check_installment, check_tax_free, parse_amount, vat_of
from pos_app.core.romanize import romanize

MERCHANT_UID_MAX = 40
CUSTOMER_UID_MAX = 80
ORDER_NAME_MAX = 40
# buyer_* on onetime / again (v1 schema): name 16, tel 16, email 64 characters.
BUYER_NAME_MAX = 16
BUYER_TEL_MAX = 16
BUYER_EMAIL_MAX = 64
TERMINAL_ID_MAX = 12  # keeps "YYYYMMDDTHHMMSSmmm-<terminal>-<8 hex>" within 40 characters

_UID_CHARS = re.compile(r"[A-Za-z0-9_-]+")
_TERMINAL_CHARS = re.compile(r"[A-Za-z0-9_]+")


@dataclass(frozen=True)
class Order:
    """One charge: the amount in won, what is sold, and the id that makes it happen once.

    Construction checks every rule that does not depend on the card (merchant_uid form, amount
    range, order name, tax-free part, instalment months and minimum); a card-type rule
    (no instalments on a check card) is checked with `money.check_installment` once it is known.
    """

    merchant_uid: str
    amount: int
    name: str
    tax_free: int = 0
    card_quota: int = 0

    def __post_init__(self) -> None:
        check_merchant_uid(self.merchant_uid)
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise InvalidInput("amount", "format")
        parse_amount(self.amount)
        check_order_name(self.name)
        if isinstance(self.tax_free, bool) or not isinstance(self.tax_free, int):
            raise InvalidInput("tax_free", "format")
        check_tax_free(self.tax_free, self.amount)
        check_installment(self.card_quota, self.amount, None)

    @property
    def vat_amount(self) -> int:
        return vat_of(self.amount, self.tax_free)


@dataclass(frozen=True)
class Buyer:
    """Who pays, as PortOne's buyer_* fields (all optional).

    onetime and again take `buyer_tel` ≤ 16 and `buyer_email` ≤ 64 characters (v1 schema,
    portone-v1.md §7), fewer than a billing key's customer_tel (20) and customer_email (200):
    the form keeps to the smaller limits, and a longer value is refused here, before any request.
    (`buyer_name` ≤ 16 is shortened by the client instead: a member name may have 20.)
    """

    name: str = ""
    tel: str = ""
    email: str = ""

    def __post_init__(self) -> None:
        if len(self.tel) > BUYER_TEL_MAX:
            raise InvalidInput("buyer_tel", "length", limit=BUYER_TEL_MAX)
        if len(self.email) > BUYER_EMAIL_MAX:
            raise InvalidInput("buyer_email", "length", limit=BUYER_EMAIL_MAX)


# Unicode categories that are not text to print on a receipt or send to PortOne: controls
# (line breaks, tabs, NUL), invisible format characters (bidi overrides such as U+202E,
# zero-width spaces and joiners, a stray BOM), lone surrogates, and line/paragraph separators.
NOT_PRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in NOT_PRINTABLE for ch in text)


def check_order_name(name: str) -> str:
    """Order name (PortOne `name`): not blank, at most 40 characters, no control characters.

    The window's form, `pos-app charge --name`, bill files and the default-order-name setting
    all pass through here, so a line break, tab, NUL or bidi override never reaches PortOne
    (or a receipt, a journal line or a spreadsheet cell)."""
    if not name or not name.strip():
        raise InvalidInput("order_name", "empty")
    if has_control_characters(name):
        raise InvalidInput("order_name", "control")
    if len(name) > ORDER_NAME_MAX:
        raise InvalidInput("order_name", "length", limit=ORDER_NAME_MAX)
    return name


REASON_MAX = 200


def check_reason(reason: str) -> str:
    """A refund's or an override's reason (kept at PortOne and in the journal): not blank, at
    most 200 characters, no control characters. Returned trimmed."""
    if not reason or not reason.strip():
        raise InvalidInput("reason", "empty")
    if has_control_characters(reason):
        raise InvalidInput("reason", "control")
    if len(reason.strip()) > REASON_MAX:
        raise InvalidInput("reason", "length", limit=REASON_MAX)
    return reason.strip()


def normalise_order_name(name: str) -> str:
    """The order name as it is sent and as a bill row's identity sees it: NFC (a macOS file's
    decomposed Hangul and a Windows file's composed Hangul are the same name), trimmed, every
    run of inner whitespace one space. Control characters are refused before anything is
    collapsed, so a tab or line break is an error, not a silent space."""
    if has_control_characters(name):
        raise InvalidInput("order_name", "control")
    return check_order_name(" ".join(unicodedata.normalize("NFC", name).split()))


# Process-wide so that two calls in the same millisecond still sort in call order.
_clock_lock = threading.Lock()
_last_millis = 0


def _next_millis() -> int:
    global _last_millis
    with _clock_lock:
        now = time.time_ns() // 1_000_000
        # Never go backwards or repeat within this process (clock steps, same-ms calls).
        _last_millis = max(now, _last_millis + 1)
        return _last_millis


def new_merchant_uid(terminal_id: str = "T1") -> str:
    """A fresh order id like "20261123T125501123-T1-9f3a01bc" (UTC time, terminal, randomness).

    Fixed-width UTC milliseconds first, so ids sort by time as plain strings; strictly
    increasing within a process; the terminal id and 32 random bits keep ids unique across
    terminals and restarts. At most 40 characters of [A-Za-z0-9_-].
    """
    if not _TERMINAL_CHARS.fullmatch(terminal_id) or len(terminal_id) > TERMINAL_ID_MAX:
        raise InvalidInput("merchant_uid", "terminal", limit=TERMINAL_ID_MAX)
    millis = _next_millis()
    stamp = datetime.fromtimestamp(millis // 1000, tz=UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}{millis % 1000:03d}-{terminal_id}-{os.urandom(4).hex()}"


def check_merchant_uid(merchant_uid: str) -> str:
    """merchant_uid as PortOne takes it: 1-40 characters of [A-Za-z0-9_-]; returned as is."""
    if not merchant_uid:
        raise InvalidInput("merchant_uid", "empty")
    if len(merchant_uid) > MERCHANT_UID_MAX:
        raise InvalidInput("merchant_uid", "length", limit=MERCHANT_UID_MAX)
    if not _UID_CHARS.fullmatch(merchant_uid):
        raise InvalidInput("merchant_uid", "format")
    return merchant_uid


def check_customer_uid(customer_uid: str) -> str:
    """customer_uid (billing key name): 1-80 characters of [A-Za-z0-9_-]; returned as is."""
    if not customer_uid:
        raise InvalidInput("customer_uid", "empty")
    if len(customer_uid) > CUSTOMER_UID_MAX:
        raise InvalidInput("customer_uid", "length", limit=CUSTOMER_UID_MAX)
    if not _UID_CHARS.fullmatch(customer_uid):
        raise InvalidInput("customer_uid", "format")
    return customer_uid


def suggest_customer_uid(member: str, last4: str) -> str:
    """A customer_uid for one member's card: "<member slug>_<last four digits>".

    The slug is the member id or name with Hangul romanized ("홍길동" -> "honggildong"), other
    letters ASCII-folded, and every run of other characters turned into "_". A name with no
    usable letters (e.g. only Hanja) becomes "m" + 10 hex digits of its SHA-256, so the same
    member always gets the same id. Always valid for `check_customer_uid`.
    """
    if not member or not member.strip():
        raise InvalidInput("customer_uid", "member")
    if len(last4) != 4 or not (last4.isascii() and last4.isdigit()):
        raise InvalidInput("customer_uid", "last4")
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", romanize(member.strip())).strip("_-")
    if not slug:
        # Imported here, not at the top: hashlib loads OpenSSL (about 3 ms), which the window's
        # first frame should not wait for; this line runs only for names with no usable letters.
        import hashlib

        slug = "m" + hashlib.sha256(member.strip().encode("utf-8")).hexdigest()[:10]
    slug = slug[: CUSTOMER_UID_MAX - len(last4) - 1].rstrip("_-")
    return f"{slug}_{last4}"


__all__ = [
    "BUYER_EMAIL_MAX",
    "BUYER_NAME_MAX",
    "BUYER_TEL_MAX",
    "CUSTOMER_UID_MAX",
    "MAX_AMOUNT",
    "MERCHANT_UID_MAX",
    "ORDER_NAME_MAX",
    "Buyer",
    "Order",
    "check_customer_uid",
    "check_merchant_uid",
    "check_order_name",
    "has_control_characters",
    "new_merchant_uid",
    "normalise_order_name",
    "suggest_customer_uid",
]

"""Card number rules: digits from any grouping, issuer brand, length, Luhn, display and masking.

These functions take and return plain strings because a form needs them while the person types;
the validated number itself only ever lives inside `KeyInCard`.
"""

from __future__ import annotations

import enum
import re

from pos_app.core.errors import InvalidInput


class Brand(enum.Enum):
    VISA = "VISA"
    MASTERCARD = "MASTERCARD"
    AMEX = "AMEX"
    JCB = "JCB"
    UNIONPAY = "UNIONPAY"
    DINERS = "DINERS"
    KOREAN_DOMESTIC = "KOREAN_DOMESTIC"
    UNKNOWN = "UNKNOWN"

    @property
    def label(self) -> str:
        """Short name for people (receipts, masked reprs)."""
        return _LABELS[self]


_LABELS = {
    Brand.VISA: "VISA",
    Brand.MASTERCARD: "Mastercard",
    Brand.AMEX: "AMEX",
    Brand.JCB: "JCB",
    Brand.UNIONPAY: "UnionPay",
    Brand.DINERS: "Diners",
    Brand.KOREAN_DOMESTIC: "국내전용",
    Brand.UNKNOWN: "카드",
}

# Valid lengths per brand (issue 3). UNKNOWN has none: an unknown issuer prefix is refused.
LENGTHS: dict[Brand, tuple[int, ...]] = {
    Brand.VISA: (13, 16, 19),
    Brand.MASTERCARD: (16,),
    Brand.AMEX: (15,),
    Brand.JCB: (16, 17, 18, 19),
    Brand.UNIONPAY: (16, 17, 18, 19),
    Brand.DINERS: (14,),
    Brand.KOREAN_DOMESTIC: (16,),
    Brand.UNKNOWN: (),
}
MAX_DIGITS = 19

# Display groups; digits beyond the pattern continue in groups of four.
_DISPLAY_GROUPS: dict[Brand, tuple[int, ...]] = {
    Brand.AMEX: (4, 6, 5),
    Brand.DINERS: (4, 6, 4),
}
# What a person may paste around the digits: spaces (incl. no-break/full-width), dashes, dots.
_SEPARATORS = re.compile(r"[\s\-‐-―−.·/]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_card_number(text: str) -> str:
    """Digits only, from any grouping or paste ("4242 4242-4242…"); raises on other characters.

    Raises InvalidInput("card_number", "empty" | "chars").
    """
    digits = _SEPARATORS.sub("", text.translate(_FULLWIDTH_DIGITS))
    if not digits:
        raise InvalidInput("card_number", "empty")
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput("card_number", "chars")
    return digits


def _digits_only(text: str) -> str:
    """Lenient form for live display: keep whatever digits are there."""
    return "".join(ch for ch in text.translate(_FULLWIDTH_DIGITS) if "0" <= ch <= "9")


def brand_of(digits: str) -> Brand:
    """Issuer brand from the leading digits; UNKNOWN until enough digits decide it."""
    d = _digits_only(digits)

    def prefix_in(width: int, low: int, high: int) -> bool:
        return len(d) >= width and low <= int(d[:width]) <= high

    if prefix_in(2, 34, 34) or prefix_in(2, 37, 37):
        return Brand.AMEX
    if prefix_in(2, 36, 36) or prefix_in(2, 38, 39) or prefix_in(3, 300, 305):
        return Brand.DINERS
    if prefix_in(4, 3528, 3589):
        return Brand.JCB
    if d.startswith("4"):
        return Brand.VISA
    if prefix_in(2, 51, 55) or prefix_in(4, 2221, 2720):
        return Brand.MASTERCARD
    if d.startswith("62"):
        return Brand.UNIONPAY
    if d.startswith("9"):
        return Brand.KOREAN_DOMESTIC
    return Brand.UNKNOWN


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check over a string of ASCII digits; False for anything else."""
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _groups(length: int, pattern: tuple[int, ...]) -> list[int]:
    sizes: list[int] = []
    remaining = length
    for size in pattern:
        if remaining <= 0:
            break
        sizes.append(min(size, remaining))
        remaining -= size
    while remaining > 0:
        sizes.append(min(4, remaining))
        remaining -= 4
    return sizes


def _split(text: str, pattern: tuple[int, ...]) -> list[str]:
    parts, start = [], 0
    for size in _groups(len(text), pattern):
        parts.append(text[start : start + size])
        start += size
    return parts


def group_for_display(digits: str) -> str:
    """Group digits with spaces by brand (4-4-4-4, AMEX 4-6-5, Diners 4-6-4); partial input ok."""
    d = _digits_only(digits)
    return " ".join(_split(d, _DISPLAY_GROUPS.get(brand_of(d), (4,))))


def mask(digits: str) -> str:
    """Display grouping with every digit but the last four starred ("**** **** **** 4242").

    Fewer than 12 digits cannot be a whole card number yet, so nothing is shown at all.
    """
    d = _digits_only(digits)
    return masked_form(brand_of(d), len(d), d[-4:])


def masked_form(brand: Brand, length: int, last4: str) -> str:
    """The masked display of a `length`-digit number of `brand` ending in `last4`."""
    visible = last4[-4:] if length >= 12 else ""
    starred = "*" * (length - len(visible)) + visible
    return " ".join(_split(starred, _DISPLAY_GROUPS.get(brand, (4,))))


def check_card_number(text: str) -> str:
    """Normalised digits of a complete, valid card number, or InvalidInput("card_number", …).

    Order of checks: empty, stray characters, unknown issuer, length for the brand, Luhn.
    """
    digits = normalize_card_number(text)
    brand = brand_of(digits)
    if brand is Brand.UNKNOWN:
        raise InvalidInput("card_number", "brand")
    lengths = LENGTHS[brand]
    if len(digits) not in lengths:
        raise InvalidInput(
            "card_number", "length", brand=brand.label, lengths=", ".join(map(str, lengths))
        )
    if not luhn_ok(digits):
        raise InvalidInput("card_number", "luhn")
    return digits


def portone_card_number(digits: str) -> str:
    """The form PortOne's `card_number` field takes: dash-grouped digits.

    16 digits -> dddd-dddd-dddd-dddd (the documented form). 15-digit AMEX -> dddd-dddddd-ddddd
    (4-6-5, as embossed and as the sandbox writes its test card 3782-822463-10005). Any other
    length -> groups of four from the left, the last group shorter (14 -> dddd-dddd-dddd-dd).
    """
    pattern = (4, 6, 5) if len(digits) == 15 and brand_of(digits) is Brand.AMEX else (4,)
    return "-".join(_split(digits, pattern))

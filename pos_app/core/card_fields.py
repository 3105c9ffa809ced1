"""The other key-in fields: expiry, birth date or business number, the two PIN digits."""

from __future__ import annotations

import re
from datetime import date

from pos_app.core.errors import InvalidInput

# A card valid for longer than this is a typo (cards are issued for 3-10 years).
MAX_EXPIRY_YEARS = 20

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SEP = r"\s*[/\-.]\s*"
# (regex, group index of month, group index of year); years of two digits mean 20YY.
_EXPIRY_FORMS: tuple[tuple[re.Pattern[str], int, int], ...] = (
    (re.compile(rf"(\d{{1,2}}){_SEP}(\d{{2}}|\d{{4}})"), 1, 2),  # MM/YY, M/YY, MM/YYYY, MM-YY
    (re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})"), 2, 1),  # YYYY-MM, YYYY/MM
    (re.compile(r"(\d{2})(\d{2})"), 1, 2),  # MMYY
    (re.compile(r"(\d{2})(20\d{2})"), 1, 2),  # MMYYYY
    (re.compile(r"(20\d{2})(\d{2})"), 2, 1),  # YYYYMM (never also MMYYYY: "20" is no month)
)


def _clean(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS).strip()


def parse_expiry(text: str, today: date | None = None) -> str:
    """ "MM/YY", "MMYY", "MM/YYYY", "YYYY-MM" (and MM-YY, MMYYYY, YYYYMM) -> "YYYY-MM".

    The current month is accepted (a card is valid through the end of its month); an earlier
    month, a month outside 1-12 or a date more than 20 years ahead raises InvalidInput("expiry").
    """
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput("expiry", "empty")
    for pattern, month_group, year_group in _EXPIRY_FORMS:
        match = pattern.fullmatch(cleaned)
        if match:
            month = int(match.group(month_group))
            year_text = match.group(year_group)
            break
    else:
        raise InvalidInput("expiry", "format")
    year = 2000 + int(year_text) if len(year_text) == 2 else int(year_text)
    if not 1 <= month <= 12:
        raise InvalidInput("expiry", "month")
    today = today or date.today()
    months_ahead = (year * 12 + month) - (today.year * 12 + today.month)
    if months_ahead < 0:
        raise InvalidInput("expiry", "past")
    if months_ahead > MAX_EXPIRY_YEARS * 12:
        raise InvalidInput("expiry", "too_far", years=MAX_EXPIRY_YEARS)
    return f"{year:04d}-{month:02d}"


_BUSINESS_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def business_number_ok(digits: str) -> bool:
    """Korean business registration number (사업자등록번호) check digit.

    Sum of the first nine digits times 1,3,7,1,3,7,1,3,5, plus the tens of (9th digit x 5);
    the tenth digit must equal (10 - sum mod 10) mod 10.
    """
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    values = [int(ch) for ch in digits]
    total = sum(v * w for v, w in zip(values, _BUSINESS_WEIGHTS, strict=False))
    total += values[8] * 5 // 10
    return (10 - total % 10) % 10 == values[9]


def format_business_number(digits: str) -> str:
    """The ten digits of a business registration number as people write it: "123-45-67890".

    For showing a saved value (the settings dialog, the receipt); anything that is not ten ASCII
    digits is returned unchanged rather than cut into a misleading shape.
    """
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return digits
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def _birth_date_ok(yymmdd: str) -> bool:
    # 20YY has the same leap years as 19YY except 2000 vs 1900, and 2000 is the permissive
    # one, so checking 20YY accepts exactly the dates that exist in some century.
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def parse_birth(text: str) -> str:
    """Birth date YYMMDD (6 digits, a real date) or business number (10 digits, checksummed).

    Separators are ignored ("123-45-67890", "99.01.31"). An 8-digit YYYYMMDD birth date from
    1900 on is accepted and shortened to YYMMDD, because that is what people often type.
    """
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput("birth", "empty")
    digits = re.sub(r"[\s\-./]+", "", cleaned)
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput("birth", "format")
    if len(digits) == 8 and digits[:2] in ("19", "20"):
        digits = digits[2:]
    if len(digits) == 6:
        if not _birth_date_ok(digits):
            raise InvalidInput("birth", "date")
        return digits
    if len(digits) == 10:
        if not business_number_ok(digits):
            raise InvalidInput("birth", "business")
        return digits
    raise InvalidInput("birth", "format")


def parse_pin2(text: str) -> str:
    """Exactly the first two digits of the card PIN."""
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput("pin", "empty")
    if len(cleaned) != 2 or not (cleaned.isascii() and cleaned.isdigit()):
        raise InvalidInput("pin", "format")
    return cleaned

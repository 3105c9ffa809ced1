"""The sandbox's test cards: who issued a number, and whether the card company approves it.

The full number only passes through `examine_card`; what comes out (`CardProfile`) holds the
masked number and a behaviour tag, so nothing the sandbox keeps or persists can leak a card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

APPROVE = "approve"
DECLINE_ALL = "decline_all"  # the billing key issues, every charge is declined
NO_INSTALMENT = "no_instalment"  # check card: an instalment charge is declined

LIMIT_EXCEEDED = "[8325]한도초과"
CHECK_CARD_INSTALMENT = "[8373]체크카드는 할부결제를 할 수 없습니다."
INVALID_NUMBER = "[F112]유효하지않은 카드번호를 입력하셨습니다."
AUTH_FAILED = (
    "[F113]카드인증에 실패하였습니다. 카드번호, 유효기간, 생년월일, 비밀번호 앞 2자리를 확인하세요."
)
EXPIRED = "[F114]유효기간이 만료된 카드입니다."
BAD_EXPIRY = "[F115]유효기간 형식이 올바르지 않습니다. (YYYY-MM)"
BAD_BIRTH = "[F116]생년월일 6자리 또는 사업자등록번호 10자리를 입력하세요."
BAD_PWD = "[F117]비밀번호 앞 2자리를 숫자로 입력하세요."


@dataclass(frozen=True)
class Issuer:
    card_name: str
    card_code: str
    card_type: int | None  # 0 credit, 1 check


SHINHAN = Issuer("신한카드", "366", 0)
KB = Issuer("KB국민카드", "381", 0)
BC_CHECK = Issuer("BC카드", "361", 1)
BC = Issuer("BC카드", "361", 0)
AMEX = Issuer("AMEX", "AMX", 0)
HYUNDAI = Issuer("현대카드", "367", 0)
SAMSUNG = Issuer("삼성카드", "365", 0)
LOTTE = Issuer("롯데카드", "368", 0)
NH = Issuer("NH농협카드", "371", 0)
HANA = Issuer("하나카드", "374", 0)
WOORI = Issuer("우리카드", "041", 0)
JCB = Issuer("JCB", "JCB", 0)
DINERS = Issuer("DINERS", "DIN", 0)

# number -> (issuer or None when the card never gets that far, behaviour or refusal message)
_TEST_CARDS: dict[str, tuple[Issuer | None, str]] = {
    "4242424242424242": (SHINHAN, APPROVE),
    "5555555555554444": (KB, APPROVE),
    "9490000000000008": (BC_CHECK, NO_INSTALMENT),
    "378282246310005": (AMEX, APPROVE),
    "4000000000000002": (None, AUTH_FAILED),
    "4000000000000069": (None, EXPIRED),
    "4000000000000341": (HYUNDAI, DECLINE_ALL),
}

# Any other Luhn-valid number: the issuer follows the first digit.
_BY_FIRST_DIGIT: dict[str, Issuer] = {
    "1": NH,
    "2": WOORI,
    "4": SHINHAN,
    "5": KB,
    "6": LOTTE,
    "7": HANA,
    "8": SAMSUNG,
    "9": BC,
    "0": HYUNDAI,
}

_EXPIRY = re.compile(r"^(\d{4})-?(\d{2})$")


class CardRefused(Exception):
    """The card company refused the card before any approval (PortOne code -1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CardProfile:
    """What the sandbox keeps about a card: never the number, only its masked form."""

    masked: str
    issuer: Issuer
    behaviour: str


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


MASK_STYLES = ("kcp", "inicis")


def mask(digits: str, style: str = "kcp") -> str:
    """The masked number as the PG gives it to PortOne (portone-v1.md §7).

    "kcp": first 6 and last 4 digits, "424242******4242". "inicis": first 6 and one trailing
    digit, "424242*********2" (a recorded KG Inicis answer shows "524242*********0").
    """
    if style == "inicis":
        return digits[:6] + "*" * (len(digits) - 7) + digits[-1:]
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def _issuer_for(digits: str) -> Issuer:
    if digits[0] == "3":
        if digits[:2] in ("34", "37"):
            return AMEX
        return JCB if digits[:2] == "35" else DINERS
    return _BY_FIRST_DIGIT[digits[0]]


def examine_card(
    card_number: str,
    expiry: str,
    birth: str,
    pwd_2digit: str | None,
    today: date,
    *,
    mask_style: str = "kcp",
) -> CardProfile:
    """Check card data the way the sandbox's card company does; raise CardRefused on refusal."""
    digits = re.sub(r"[\s-]", "", card_number)
    if not digits.isdigit() or not 14 <= len(digits) <= 16 or not luhn_ok(digits):
        raise CardRefused(INVALID_NUMBER)
    match = _EXPIRY.match(expiry.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise CardRefused(BAD_EXPIRY)
    birth = birth.strip()
    if not birth.isdigit() or len(birth) not in (6, 10):
        raise CardRefused(BAD_BIRTH)
    if pwd_2digit is not None and pwd_2digit != "":
        if len(pwd_2digit) != 2 or not pwd_2digit.isdigit():
            raise CardRefused(BAD_PWD)
        if pwd_2digit == "99":
            raise CardRefused(AUTH_FAILED)
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) < (today.year, today.month):
        raise CardRefused(AUTH_FAILED)
    issuer, behaviour = _TEST_CARDS.get(digits, (None, APPROVE))
    if issuer is None:
        if behaviour != APPROVE:
            raise CardRefused(behaviour)
        issuer = _issuer_for(digits)
    return CardProfile(masked=mask(digits, mask_style), issuer=issuer, behaviour=behaviour)


def decline_reason(behaviour: str, card_quota: int) -> str | None:
    """The card company's decline text for a charge on a card with this behaviour, or None."""
    if behaviour == DECLINE_ALL:
        return LIMIT_EXCEEDED
    if behaviour == NO_INSTALMENT and card_quota >= 2:
        return CHECK_CARD_INSTALMENT
    return None

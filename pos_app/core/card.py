"""Card rules and `KeyInCard`, the only object that carries key-in card data.

The field rules live in card_number.py and card_fields.py; this module re-exports them so callers
import everything card-related from one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn, final

from pos_app.core.card_fields import (
    MAX_EXPIRY_YEARS,
    business_number_ok,
    parse_birth,
    parse_expiry,
    parse_pin2,
)
from pos_app.core.card_number import (
    LENGTHS,
    MAX_DIGITS,
    Brand,
    brand_of,
    check_card_number,
    group_for_display,
    luhn_ok,
    mask,
    masked_form,
    normalize_card_number,
    portone_card_number,
)
from pos_app.core.errors import InvalidInput

__all__ = [
    "LENGTHS",
    "MAX_DIGITS",
    "MAX_EXPIRY_YEARS",
    "Brand",
    "CardWiped",
    "InvalidInput",
    "KeyInCard",
    "brand_of",
    "business_number_ok",
    "check_card_number",
    "group_for_display",
    "luhn_ok",
    "mask",
    "masked_form",
    "normalize_card_number",
    "parse_birth",
    "parse_expiry",
    "parse_pin2",
    "portone_card_number",
    "validate_card",
]


class CardWiped(RuntimeError):
    """The card data was already wiped; it cannot be sent again."""

    def __init__(self) -> None:
        super().__init__("카드 정보가 이미 지워졌습니다. 카드 정보를 다시 입력해 주세요.")


def _refuse_copy() -> NoReturn:
    raise TypeError("KeyInCard holds card data and cannot be pickled, copied or saved")


@final
class KeyInCard:
    """Validated key-in card data that never shows itself.

    Digits are held in bytearrays so `wipe()` can overwrite them (best effort: the caller's
    input strings and the strings `portone_fields()` returns are ordinary immutable str).
    repr/str/format show only the brand and last four digits; pickling and copying raise
    TypeError; equality is identity, so comparing two cards reveals nothing.
    Brand, last4 and masked stay readable after `wipe()`; `portone_fields()` then raises.
    """

    __slots__ = ("_birth", "_brand", "_expiry", "_last4", "_number", "_pin2", "_wiped")

    _number: bytearray
    _expiry: bytearray
    _birth: bytearray
    _pin2: bytearray
    _brand: Brand
    _last4: str
    _wiped: bool

    def __init__(
        self, number: str, expiry: str, birth: str, pin2: str, today: date | None = None
    ) -> None:
        """Same as `KeyInCard.parse`: validates every field, raises the first InvalidInput."""
        checked, errors = _check_fields(number, expiry, birth, pin2, today)
        if errors:
            raise errors[0]
        self._fill(checked)

    @classmethod
    def _from_checked(cls, checked: tuple[str, str, str, str]) -> KeyInCard:
        card = object.__new__(cls)
        card._fill(checked)
        return card

    def _fill(self, checked: tuple[str, str, str, str]) -> None:
        digits, expiry_text, birth_text, pin_text = checked
        init = object.__setattr__
        init(self, "_number", bytearray(digits, "ascii"))
        init(self, "_expiry", bytearray(expiry_text, "ascii"))
        init(self, "_birth", bytearray(birth_text, "ascii"))
        init(self, "_pin2", bytearray(pin_text, "ascii"))
        init(self, "_brand", brand_of(digits))
        init(self, "_last4", digits[-4:])
        init(self, "_wiped", False)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A subclass could add a __dict__ or a revealing __repr__; there is no reason for one.
        raise TypeError("KeyInCard cannot be subclassed")

    @classmethod
    def parse(
        cls, number: str, expiry: str, birth: str, pin2: str, today: date | None = None
    ) -> KeyInCard:
        """A KeyInCard from what the cashier typed; raises InvalidInput for the first bad field
        (in the order card_number, expiry, birth, pin)."""
        return cls(number, expiry, birth, pin2, today)

    # -- what may be known about the card -------------------------------------------------
    @property
    def brand(self) -> Brand:
        return self._brand

    @property
    def last4(self) -> str:
        return self._last4

    @property
    def masked(self) -> str:
        """Masked number, e.g. "**** **** **** 4242", grouped like the brand's cards."""
        return masked_form(self._brand, len(self._number), self._last4)

    @property
    def is_corporate(self) -> bool:
        """True when `birth` is a 10-digit business registration number."""
        # wipe() zeroes the buffers in place, so their lengths outlive the digits.
        return len(self._birth) == 10

    @property
    def is_wiped(self) -> bool:
        return self._wiped

    # -- the one way out ---------------------------------------------------------------
    def portone_fields(self) -> dict[str, str]:
        """The card fields of a PortOne issue/onetime request.

        card_number is dash-grouped (see `portone_card_number`: 16 digits dddd-dddd-dddd-dddd,
        15-digit AMEX dddd-dddddd-ddddd); pwd_2digit is left out only when a corporate card
        was entered without it.
        """
        if self._wiped:
            raise CardWiped()
        fields = {
            "card_number": portone_card_number(self._number.decode("ascii")),
            "expiry": self._expiry.decode("ascii"),
            "birth": self._birth.decode("ascii"),
        }
        if self._pin2:
            fields["pwd_2digit"] = self._pin2.decode("ascii")
        return fields

    def portone_v2_credential(self) -> dict[str, str]:
        """The card as PortOne V2's `CardCredential` (`POST /billing-keys`, `.../instant`):
        digits only, expiry year (two digits) and month apart, birth date or business number,
        the PIN's two digits (left out only for a corporate card entered without them).

        Keys are the SDK's parameter names (`portone_server_sdk.common.CardCredential`).
        """
        if self._wiped:
            raise CardWiped()
        expiry = self._expiry.decode("ascii")  # "YYYY-MM"
        credential = {
            "number": self._number.decode("ascii"),
            "expiry_year": expiry[2:4],
            "expiry_month": expiry[5:7],
            "birth_or_business_registration_number": self._birth.decode("ascii"),
        }
        if self._pin2:
            credential["password_two_digits"] = self._pin2.decode("ascii")
        return credential

    def wipe(self) -> None:
        """Overwrite the digits and forget them. Safe to call more than once."""
        for buffer in (self._number, self._expiry, self._birth, self._pin2):
            for index in range(len(buffer)):
                buffer[index] = 0
        object.__setattr__(self, "_wiped", True)

    # -- everything else reveals nothing -----------------------------------------------
    def __repr__(self) -> str:
        state = ", wiped" if self._wiped else ""
        return f"KeyInCard({self._brand.label} **** {self._last4}{state})"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("KeyInCard is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("KeyInCard is read-only")

    def __reduce__(self) -> NoReturn:
        _refuse_copy()

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        _refuse_copy()

    def __getstate__(self) -> NoReturn:
        _refuse_copy()

    def __copy__(self) -> NoReturn:
        _refuse_copy()

    def __deepcopy__(self, memo: Any) -> NoReturn:
        _refuse_copy()

    # Identity equality (object's default), stated so nobody adds a value comparison.
    __eq__ = object.__eq__
    __hash__ = object.__hash__


def _check_fields(
    number: str, expiry: str, birth: str, pin2: str, today: date | None
) -> tuple[tuple[str, str, str, str], list[InvalidInput]]:
    errors: list[InvalidInput] = []

    def attempt(check: Callable[[], str]) -> str:
        try:
            return check()
        except InvalidInput as error:
            # Drop the traceback: its frames hold the raw input strings.
            errors.append(error.with_traceback(None))
            return ""

    digits = attempt(lambda: check_card_number(number))
    expiry_text = attempt(lambda: parse_expiry(expiry, today))
    birth_text = attempt(lambda: parse_birth(birth))
    # A corporate card (10-digit business number) may go without the PIN digits.
    corporate = sum(ch.isdigit() for ch in birth) == 10
    pin_text = "" if corporate and not pin2.strip() else attempt(lambda: parse_pin2(pin2))
    return (digits, expiry_text, birth_text, pin_text), errors


def validate_card(
    number: str, expiry: str, birth: str, pin2: str, today: date | None = None
) -> tuple[KeyInCard | None, list[InvalidInput]]:
    """Check every field at once, for a form: (card, []) or (None, [errors in field order])."""
    checked, errors = _check_fields(number, expiry, birth, pin2, today)
    if errors:
        return None, errors
    return KeyInCard._from_checked(checked), []

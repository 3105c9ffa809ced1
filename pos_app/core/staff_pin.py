"""A staff member's PIN (4 to 8 digits) and its slow salted hash.

`StaffPin` holds the digits in a bytearray so `wipe()` can overwrite them, never shows them
(repr is `StaffPin(****)`), and refuses pickling and copying, as `KeyInCard` does for cards. Only
its hash is ever stored: scrypt from the standard library (no extra dependency in the frozen
build), salted per PIN, costly enough that each guess takes about 0.1 s. A PIN of four digits is
still only 10,000 guesses for someone who copies the file: the real protection is the lockout
after five wrong PINs and the file's owner-only permissions (docs/staff.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Any, ClassVar, NoReturn, final

PIN_MIN = 4
PIN_MAX = 8

# scrypt cost: N = 2**15, r = 8, p = 1 takes 32 MiB and about 0.09 s on the counter PCs we measured
# (2 cores); the stored hash names its own parameters, so raising them later keeps old PINs valid.
_LOG2_N = 15
_R = 8
_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
_MAXMEM = 128 * 1024 * 1024
_SCHEME = "scrypt"


class InvalidPin(ValueError):
    """The PIN breaks a rule: `code` is pin_length, pin_digits or pin_mismatch. The message never
    contains what was typed."""

    _TEXT: ClassVar[dict[str, tuple[str, str]]] = {
        "pin_length": (
            f"PIN은 숫자 {PIN_MIN}~{PIN_MAX}자리입니다.",
            f"The PIN is {PIN_MIN} to {PIN_MAX} digits.",
        ),
        "pin_digits": ("PIN에는 숫자만 쓸 수 있습니다.", "The PIN may contain only digits."),
        "pin_mismatch": (
            "두 번 입력한 PIN이 다릅니다. 다시 입력하세요.",
            "The two PINs differ. Enter them again.",
        ),
    }

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(self.message("en"))

    def message(self, lang: str = "ko") -> str:
        ko, en = self._TEXT[self.code]
        return en if lang == "en" else ko


def _refuse_copy() -> NoReturn:
    raise TypeError("StaffPin holds a PIN and cannot be pickled, copied or saved")


@final
class StaffPin:
    """Validated PIN digits that never show themselves; `wipe()` overwrites them."""

    __slots__ = ("_digits", "_wiped")

    _digits: bytearray
    _wiped: bool

    def __init__(self, text: str) -> None:
        if not text.isascii() or not text.isdigit():
            raise InvalidPin("pin_digits" if text else "pin_length")
        if not PIN_MIN <= len(text) <= PIN_MAX:
            raise InvalidPin("pin_length")
        object.__setattr__(self, "_digits", bytearray(text, "ascii"))
        object.__setattr__(self, "_wiped", False)

    @classmethod
    def twice(cls, first: str, second: str) -> StaffPin:
        """A new PIN typed twice: the rules first (so the message says what is wrong with it),
        then that both entries are the same."""
        pin = cls(first)
        if not hmac.compare_digest(first.encode(), second.encode()):
            pin.wipe()
            raise InvalidPin("pin_mismatch")
        return pin

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError("StaffPin cannot be subclassed")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("StaffPin is read-only")

    def __repr__(self) -> str:
        return "StaffPin(****)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return self is other  # comparing two PINs must not become a way to test guesses

    def __hash__(self) -> int:
        return id(self)

    def __reduce__(self) -> NoReturn:
        _refuse_copy()

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        _refuse_copy()

    def __copy__(self) -> NoReturn:
        _refuse_copy()

    def __deepcopy__(self, memo: Any) -> NoReturn:
        _refuse_copy()

    @property
    def wiped(self) -> bool:
        return self._wiped

    def wipe(self) -> None:
        for i in range(len(self._digits)):
            self._digits[i] = 0
        object.__setattr__(self, "_wiped", True)

    def hash(self) -> str:
        """A new salted hash to store: `scrypt$15$8$1$<salt>$<key>` (base64)."""
        salt = os.urandom(_SALT_BYTES)
        key = self._derive(salt, _LOG2_N, _R, _P)
        return "$".join(
            (_SCHEME, str(_LOG2_N), str(_R), str(_P), _b64(salt), _b64(key)),
        )

    def matches(self, stored: str) -> bool:
        """Whether this PIN is the one `stored` was made from (constant-time compare)."""
        try:
            scheme, log2_n, r, p, salt, key = stored.split("$")
            if scheme != _SCHEME:
                return False
            expected = base64.b64decode(key, validate=True)
            salt_bytes = base64.b64decode(salt, validate=True)
            derived = self._derive(salt_bytes, int(log2_n), int(r), int(p))
        except (ValueError, TypeError):
            return False  # a damaged or foreign hash matches nothing
        return hmac.compare_digest(derived, expected)

    def _derive(self, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
        if self._wiped:
            raise ValueError("the PIN was already wiped")
        if not 10 <= log2_n <= 20 or not 1 <= r <= 32 or not 1 <= p <= 4:
            raise ValueError("unreasonable scrypt parameters")
        return hashlib.scrypt(
            self._digits, salt=salt, n=2**log2_n, r=r, p=p, maxmem=_MAXMEM, dklen=_KEY_BYTES
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")

"""StaffPin: the PIN rules, a hash that checks the right PIN only, and nothing that shows it."""

from __future__ import annotations

import copy
import pickle

import pytest

from pos_app.core.staff_pin import InvalidPin, StaffPin


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "pin_length"),
        ("123", "pin_length"),
        ("123456789", "pin_length"),
        ("12a4", "pin_digits"),
        ("12 34", "pin_digits"),
        ("１２３４", "pin_digits"),  # full-width digits are digits to str.isdigit, not to a keypad
    ],
)
def test_rules(text: str, code: str) -> None:
    with pytest.raises(InvalidPin) as caught:
        StaffPin(text)
    assert caught.value.code == code
    assert text not in str(caught.value) or not text


def test_twice_must_match() -> None:
    with pytest.raises(InvalidPin) as caught:
        StaffPin.twice("4821", "4812")
    assert caught.value.code == "pin_mismatch"
    StaffPin.twice("4821", "4821")


def test_hash_matches_only_the_same_pin() -> None:
    stored = StaffPin("4821").hash()
    assert stored.startswith("scrypt$15$8$1$")
    assert "4821" not in stored
    assert StaffPin("4821").matches(stored)
    assert not StaffPin("4822").matches(stored)
    assert not StaffPin("48210").matches(stored)
    # Salted: the same PIN hashes differently each time.
    assert StaffPin("4821").hash() != stored


def test_damaged_hash_matches_nothing() -> None:
    stored = StaffPin("4821").hash()
    for broken in ("", "scrypt$15$8$1$xx", "bcrypt" + stored[6:], stored.replace("$15$", "$40$")):
        assert not StaffPin("4821").matches(broken)


def test_never_shows_itself() -> None:
    pin = StaffPin("482193")
    for shown in (repr(pin), str(pin), f"{pin}", f"{pin!r}"):
        assert "482193" not in shown
    with pytest.raises(TypeError):
        pickle.dumps(pin)
    with pytest.raises(TypeError):
        copy.copy(pin)
    with pytest.raises(TypeError):
        copy.deepcopy(pin)
    assert pin != StaffPin("482193")


def test_wipe_overwrites_and_refuses_use() -> None:
    pin = StaffPin("4821")
    stored = pin.hash()
    pin.wipe()
    assert pin.wiped
    assert bytes(pin._digits) == b"\0" * 4
    assert not pin.matches(stored)
    with pytest.raises(ValueError):
        pin.hash()

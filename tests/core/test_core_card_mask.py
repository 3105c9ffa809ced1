"""The card as the app shows it: only digits PortOne really gave, where it gave them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.card_mask import card_tail, tail_digits


@pytest.mark.parametrize(
    ("masked", "shown"),
    [
        ("424242******4242", "**** 4242"),  # KCP-like: first six, last four
        ("53651019****3392", "**** 3392"),  # first eight, last four (portone-v1.md §3)
        # KG Inicis shows ONE trailing digit (a recorded html5_inicis answer, portone-v1.md §7):
        # the old rule took "the last four digits anywhere" and printed "**** 2420".
        ("524242*********0", "**** ***0"),
        ("378282*****0005", "**** 0005"),  # AMEX, 15 digits
        ("5365-10**-****-3392", "**** 3392"),  # grouped with dashes
        ("4242 42** **** 4242", "**** 4242"),  # grouped with spaces
        ("************4242", "**** 4242"),
        ("4242", "**** 4242"),
        ("42", "**** **42"),
        ("424242XXXXXX4242", "**** 4242"),  # other mask characters
        ("424242******42**", "**** 42**"),
        ("4242424242424242", "**** 4242"),  # never more than the last four, even unmasked
    ],
)
def test_shows_only_the_digits_portone_gives_in_their_positions(masked: str, shown: str) -> None:
    assert card_tail(masked) == shown


@pytest.mark.parametrize("masked", ["", None, "    ", "4242********", "****", "---", "５２４２"])
def test_no_digit_in_the_last_four_positions_shows_nothing(masked: str | None) -> None:
    # "4242********" shows only the BIN: those digits must never pass for the last four.
    assert card_tail(masked) == ""


def test_tail_digits() -> None:
    assert tail_digits("424242******4242") == "4242"
    assert tail_digits("524242*********0") == "0"
    assert tail_digits("4242********") == ""


@given(st.text(alphabet="0123456789*- X", max_size=24))
def test_shape_and_idempotence(masked: str) -> None:
    shown = card_tail(masked)
    assert shown == "" or (len(shown) == 9 and shown.startswith("**** "))
    # Stored values pass through again unchanged (journal and customer index rows).
    assert card_tail(shown) == shown
    # Every digit shown is a digit PortOne gave in that position from the end.
    given_positions = [ch for ch in masked if ch not in " -"]
    for offset, ch in enumerate(reversed(shown[5:])):
        if ch.isdigit():
            assert given_positions[-1 - offset] == ch

"""Card number rules: normalising, brand, length, Luhn, display grouping, masking, PortOne form."""

from __future__ import annotations

import pytest
from card_strategies import valid_numbers, written_forms
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.card import (
    Brand,
    InvalidInput,
    brand_of,
    check_card_number,
    group_for_display,
    luhn_ok,
    mask,
    normalize_card_number,
    portone_card_number,
)

FAST = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    "text",
    [
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "4242424242424242",
        "  4242 4242-4242  4242 ",
        "4242\u00a04242\u20134242 4242",
        "４２４２４２４２４２４２４２４２",
    ],
)
def test_any_grouping_normalises_to_digits(text: str) -> None:
    assert normalize_card_number(text) == "4242424242424242"


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty"), ("  - ", "empty"), ("4242x4242", "chars")]
)
def test_normalise_refuses_empty_and_letters(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_card_number(text)
    assert (caught.value.field, caught.value.code) == ("card_number", code)


@pytest.mark.parametrize(
    ("digits", "brand"),
    [
        ("4242424242424242", Brand.VISA),
        ("5105105105105100", Brand.MASTERCARD),
        ("5555555555554444", Brand.MASTERCARD),
        ("2221000000000009", Brand.MASTERCARD),
        ("2720990000000007", Brand.MASTERCARD),
        ("2220990000000000", Brand.UNKNOWN),
        ("2721000000000000", Brand.UNKNOWN),
        ("378282246310005", Brand.AMEX),
        ("341111111111111", Brand.AMEX),
        ("3530111333300000", Brand.JCB),
        ("3528000000000000", Brand.JCB),
        ("3589000000000000", Brand.JCB),
        ("3590000000000000", Brand.UNKNOWN),
        ("6200000000000005", Brand.UNIONPAY),
        ("30569309025904", Brand.DINERS),
        ("30000000000004", Brand.DINERS),
        ("30600000000000", Brand.UNKNOWN),
        ("36000000000008", Brand.DINERS),
        ("38520000023237", Brand.DINERS),
        ("39000000000000", Brand.DINERS),
        ("9490000000000008", Brand.KOREAN_DOMESTIC),
        ("6011111111111117", Brand.UNKNOWN),
        ("1234567812345670", Brand.UNKNOWN),
    ],
)
def test_brand_by_issuer_prefix(digits: str, brand: Brand) -> None:
    assert brand_of(digits) is brand


def test_brand_of_partial_input_waits_for_enough_digits() -> None:
    assert brand_of("") is Brand.UNKNOWN
    assert brand_of("3") is Brand.UNKNOWN
    assert brand_of("35") is Brand.UNKNOWN  # JCB needs four digits to tell
    assert brand_of("37") is Brand.AMEX
    assert brand_of("4") is Brand.VISA
    assert brand_of("22") is Brand.UNKNOWN
    assert brand_of("2500") is Brand.MASTERCARD


@pytest.mark.parametrize(
    "digits",
    [
        "4242424242424242",
        "5555555555554444",
        "378282246310005",
        "9490000000000008",
        "4000000000000002",
        "4000000000000069",
        "4000000000000341",
        "30569309025904",
    ],
)
def test_luhn_accepts_known_good_numbers(digits: str) -> None:
    assert luhn_ok(digits)


@pytest.mark.parametrize("digits", ["4242424242424241", "378282246310006", "", "42a2", "１２"])
def test_luhn_refuses_bad_or_non_digit_input(digits: str) -> None:
    assert not luhn_ok(digits)


@given(valid_numbers(), st.integers(0, 18), st.integers(1, 9))
@FAST
def test_changing_one_digit_breaks_luhn(digits: str, position: int, delta: int) -> None:
    position %= len(digits)
    changed = str((int(digits[position]) + delta) % 10)
    assert not luhn_ok(digits[:position] + changed + digits[position + 1 :])


@given(st.data())
@FAST
def test_every_written_form_of_a_valid_number_normalises_the_same(data: st.DataObject) -> None:
    digits = data.draw(valid_numbers())
    text = data.draw(written_forms(digits))
    assert normalize_card_number(text) == digits
    assert check_card_number(text) == digits


@given(st.text("0123456789 -", max_size=30))
@FAST
def test_no_luhn_invalid_number_passes(text: str) -> None:
    digits = "".join(ch for ch in text if ch.isdigit())
    if luhn_ok(digits):
        return
    with pytest.raises(InvalidInput):
        check_card_number(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("4242 4242 4242 4241", "luhn"),
        ("4242 4242 4242 424", "length"),  # 15-digit Visa
        ("5555 5555 5555 44448", "length"),
        ("3782 822463 1000", "length"),
        ("6011 1111 1111 1117", "brand"),
        ("1234 5678 1234 5670", "brand"),
        ("", "empty"),
        ("4242 4242 4242 424O", "chars"),
    ],
)
def test_check_card_number_refusals(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_card_number(text)
    assert caught.value.field == "card_number"
    assert caught.value.code == code


def test_lengths_per_brand_accept_listed_lengths() -> None:
    from card_strategies import luhn_complete

    for prefix, length in [("4", 13), ("4", 16), ("4", 19), ("3528", 17), ("62", 18), ("36", 14)]:
        digits = luhn_complete(prefix + "0" * (length - len(prefix) - 1))
        assert check_card_number(digits) == digits


def test_length_message_names_the_expected_lengths() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_card_number("4242 4242 4242 42")
    assert "13, 16, 19" in str(caught.value)
    assert "13, 16, 19" in caught.value.message("en")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("", ""),
        ("4", "4"),
        ("4242", "4242"),
        ("42424", "4242 4"),
        ("4242-4242-4242-4242", "4242 4242 4242 4242"),
        ("4242424242424242424", "4242 4242 4242 4242 424"),
        ("3782", "3782"),
        ("37828", "3782 8"),
        ("3782822463", "3782 822463"),
        ("37828224631", "3782 822463 1"),
        ("378282246310005", "3782 822463 10005"),
        ("30569309025904", "3056 930902 5904"),
        ("9490 0000 0000 0008", "9490 0000 0000 0008"),
    ],
)
def test_group_for_display_while_typing(typed: str, shown: str) -> None:
    assert group_for_display(typed) == shown


@given(valid_numbers())
@FAST
def test_display_grouping_keeps_every_digit_in_order(digits: str) -> None:
    for end in range(len(digits) + 1):
        assert group_for_display(digits[:end]).replace(" ", "") == digits[:end]


@pytest.mark.parametrize(
    ("digits", "masked"),
    [
        ("4242424242424242", "**** **** **** 4242"),
        ("378282246310005", "**** ****** *0005"),
        ("30569309025904", "**** ****** 5904"),
        ("4242", "****"),
        ("", ""),
    ],
)
def test_mask_shows_only_the_last_four(digits: str, masked: str) -> None:
    assert mask(digits) == masked


@pytest.mark.parametrize(
    ("digits", "form"),
    [
        ("4242424242424242", "4242-4242-4242-4242"),
        ("378282246310005", "3782-822463-10005"),
        ("30569309025904", "3056-9309-0259-04"),
        ("4222222222222", "4222-2222-2222-2"),
        ("4242424242424242424", "4242-4242-4242-4242-424"),
    ],
)
def test_portone_card_number_form(digits: str, form: str) -> None:
    assert portone_card_number(digits) == form

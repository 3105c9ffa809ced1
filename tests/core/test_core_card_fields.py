"""Expiry, birth date / business number and PIN rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.card import (
    InvalidInput,
    business_number_ok,
    parse_birth,
    parse_expiry,
    parse_pin2,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/29", "2029-12"),
        ("1229", "2029-12"),
        ("12/2029", "2029-12"),
        ("2029-12", "2029-12"),
        ("2029/12", "2029-12"),
        ("122029", "2029-12"),
        ("202912", "2029-12"),
        ("8/29", "2029-08"),
        (" 08 / 29 ", "2029-08"),
        ("08-29", "2029-08"),
        ("11/26", "2026-11"),  # the current month is still valid
        ("11/46", "2046-11"),  # exactly 20 years ahead
    ],
)
def test_expiry_forms(text: str, expected: str) -> None:
    assert parse_expiry(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("13/29", "month"),
        ("00/29", "month"),
        ("2029-13", "month"),
        ("10/26", "past"),
        ("12/25", "past"),
        ("12/46", "too_far"),
        ("01/99", "too_far"),
        ("1/2/29", "format"),
        ("12/2", "format"),
        ("122", "format"),
        ("aa/bb", "format"),
        ("12/290", "format"),
    ],
)
def test_expiry_refusals(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_expiry(text, today=TODAY)
    assert (caught.value.field, caught.value.code) == ("expiry", code)


def test_expiry_defaults_to_the_real_today() -> None:
    next_year = date.today().year + 1
    assert parse_expiry(f"01/{next_year % 100:02d}") == f"{next_year}-01"


@given(st.integers(1, 12), st.integers(2000, 2099))
@settings(max_examples=200, deadline=None)
def test_every_expiry_form_agrees(month: int, year: int) -> None:
    forms = [
        f"{month:02d}/{year % 100:02d}",
        f"{month:02d}{year % 100:02d}",
        f"{month:02d}/{year}",
        f"{year}-{month:02d}",
    ]
    results = set()
    for form in forms:
        try:
            results.add(parse_expiry(form, today=TODAY))
        except InvalidInput as error:
            results.add(error.code)
    assert len(results) == 1
    months_ahead = (year * 12 + month) - (TODAY.year * 12 + TODAY.month)
    expected = (
        "past" if months_ahead < 0 else "too_far" if months_ahead > 240 else (f"{year}-{month:02d}")
    )
    assert results == {expected}


# Business numbers whose check digit was computed by hand (weights 1,3,7,1,3,7,1,3,5):
# 220-81-62517: 2+6+0+8+3+42+2+15+5 = 83, + (1*5)//10 = 0 -> 83; (10 - 3) % 10 = 7.
# 124-81-00998: 1+6+28+8+3+0+0+27+45 = 118, + (9*5)//10 = 4 -> 122; (10 - 2) % 10 = 8.
VALID_BUSINESS = ["2208162517", "1248100998"]


@pytest.mark.parametrize("number", VALID_BUSINESS)
def test_business_number_check_digit(number: str) -> None:
    assert business_number_ok(number)
    for wrong in "0123456789":
        if wrong != number[-1]:
            assert not business_number_ok(number[:-1] + wrong)


@pytest.mark.parametrize("number", ["", "123", "22081625170", "22O8162517"])
def test_business_number_shape(number: str) -> None:
    assert not business_number_ok(number)


@given(st.text("0123456789", min_size=9, max_size=9))
@settings(max_examples=200, deadline=None)
def test_exactly_one_check_digit_fits(first_nine: str) -> None:
    assert sum(business_number_ok(first_nine + d) for d in "0123456789") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("990101", "990101"),
        ("000229", "000229"),  # 2000-02-29 exists
        ("991231", "991231"),
        ("99.01.31", "990131"),
        ("19990131", "990131"),
        ("20010131", "010131"),
        ("220-81-62517", "2208162517"),
        ("2208162517", "2208162517"),
        (" 124 81 00998 ", "1248100998"),
    ],
)
def test_birth_and_business_number(text: str, expected: str) -> None:
    assert parse_birth(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("990230", "date"),
        ("991301", "date"),
        ("990100", "date"),
        ("010229", "date"),  # 2001 and 1901 are not leap years
        ("99013", "format"),
        ("9901011", "format"),
        ("99o101", "format"),
        ("2208162518", "business"),
        ("12345678901", "format"),
    ],
)
def test_birth_refusals(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_birth(text)
    assert (caught.value.field, caught.value.code) == ("birth", code)


@pytest.mark.parametrize(("text", "expected"), [("12", "12"), (" 00 ", "00"), ("９９", "99")])
def test_pin_two_digits(text: str, expected: str) -> None:
    assert parse_pin2(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("1", "format"), ("123", "format"), ("1a", "format"), ("1 2", "format")],
)
def test_pin_refusals(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_pin2(text)
    assert (caught.value.field, caught.value.code) == ("pin", code)


@given(st.text("0123456789", min_size=6, max_size=6))
@settings(max_examples=200, deadline=None)
def test_six_digit_birth_is_accepted_exactly_when_it_is_a_date(text: str) -> None:
    try:
        date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
        real = True
    except ValueError:
        real = False
    if real:
        assert parse_birth(text) == text
    else:
        with pytest.raises(InvalidInput):
            parse_birth(text)

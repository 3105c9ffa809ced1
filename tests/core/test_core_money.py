"""Money: amounts in whole won, tax-free part, VAT rounding, instalment rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import InvalidInput
from pos_app.core.money import (
    MAX_AMOUNT,
    check_installment,
    format_krw,
    installment_allowed,
    parse_amount,
    parse_tax_free,
    vat_of,
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12,000", 12000),
        ("12000", 12000),
        ("12000원", 12000),
        (" 12,000 원 ", 12000),
        ("₩12,000", 12000),
        ("1", 1),
        ("99,999,999", 99_999_999),
        ("1,234,567", 1_234_567),
        ("１２,０００", 12000),
        (50000, 50000),
    ],
)
def test_parse_amount(text: str | int, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("  ", "empty"),
        ("0", "not_positive"),
        ("-5000", "not_positive"),
        (0, "not_positive"),
        (-1, "not_positive"),
        ("12000.5", "decimal"),
        ("12,000.00", "decimal"),
        ("100,000,000", "too_large"),
        (100_000_000, "too_large"),
        ("12,00", "format"),
        ("1,2000", "format"),
        ("abc", "format"),
        ("12 000", "format"),
        ("1e5", "format"),
        (True, "format"),
        (12000.0, "decimal"),
        (None, "format"),
    ],
)
def test_parse_amount_refusals(text: object, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.code) == ("amount", code)


def test_ceiling_message_names_the_ceiling() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_amount(MAX_AMOUNT + 1)
    assert "99,999,999" in str(caught.value)
    assert "99,999,999" in caught.value.message("en")


@pytest.mark.parametrize(
    ("text", "amount", "tax_free"),
    [("", 10000, 0), ("0", 10000, 0), ("3,000", 10000, 3000), ("10000원", 10000, 10000)],
)
def test_parse_tax_free(text: str, amount: int, tax_free: int) -> None:
    assert parse_tax_free(text, amount) == tax_free


@pytest.mark.parametrize(
    ("text", "code"), [("10001", "range"), ("-1", "range"), ("1.5", "decimal"), ("x", "format")]
)
def test_parse_tax_free_refusals(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_tax_free(text, 10000)
    assert (caught.value.field, caught.value.code) == ("tax_free", code)


@pytest.mark.parametrize(
    ("amount", "tax_free", "vat"),
    [
        (11000, 0, 1000),
        (12000, 0, 1091),  # 1090.909 -> 1091
        (1000, 0, 91),  # 90.909 -> 91
        (5, 0, 0),  # 0.4545 -> 0
        (6, 0, 1),  # 0.5454 -> 1
        (10000, 10000, 0),
        (10000, 3000, 636),  # 636.36 -> 636
        (1, 0, 0),
    ],
)
def test_vat_rounds_half_up(amount: int, tax_free: int, vat: int) -> None:
    assert vat_of(amount, tax_free) == vat


@given(st.integers(1, MAX_AMOUNT), st.data())
@settings(max_examples=200, deadline=None)
def test_vat_matches_exact_rounding(amount: int, data: st.DataObject) -> None:
    tax_free = data.draw(st.integers(0, amount))
    exact = Fraction(amount - tax_free, 11)
    assert vat_of(amount, tax_free) == int(exact + Fraction(1, 2))
    assert abs(vat_of(amount, tax_free) - exact) <= Fraction(1, 2)


def test_vat_refuses_tax_free_above_amount() -> None:
    with pytest.raises(InvalidInput):
        vat_of(1000, 1001)


@pytest.mark.parametrize(
    ("months", "amount", "card_type"),
    [(0, 1, 0), (0, 1, 1), (0, 1, None), (2, 50000, 0), (12, 50000, None), (3, 1_000_000, 0)],
)
def test_installment_allowed_cases(months: int, amount: int, card_type: int | None) -> None:
    check_installment(months, amount, card_type)


@pytest.mark.parametrize(
    ("months", "amount", "card_type", "code"),
    [
        (1, 100000, 0, "months"),
        (13, 100000, 0, "months"),
        (-1, 100000, 0, "months"),
        (2, 49999, 0, "min_amount"),
        (2, 100000, 1, "check_card"),
        (2, 1000, 1, "check_card"),
    ],
)
def test_installment_refusals(months: int, amount: int, card_type: int | None, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_installment(months, amount, card_type)
    assert (caught.value.field, caught.value.code) == ("installment", code)


def test_installment_allowed() -> None:
    assert installment_allowed(50000, 0)
    assert installment_allowed(50000, None)
    assert not installment_allowed(49999, 0)
    assert not installment_allowed(100000, 1)


def test_format_krw() -> None:
    assert format_krw(12000) == "12,000원"
    assert format_krw(0) == "0원"
    assert format_krw(99_999_999) == "99,999,999원"

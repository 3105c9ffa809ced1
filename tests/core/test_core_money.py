"""Money: amounts in whole won, tax-free part, VAT rounding, instalment rule."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import InvalidInput
from pos_app.core.money import (
    MAX_AMOUNT,
    RefundSplit,
    check_installment,
    format_krw,
    installment_allowed,
    parse_amount,
    parse_tax_free,
    refund_split,
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


# -- refund_split ---------------------------------------------------------------------------------


def _refund_all(sale: int, tax_free: int, amounts: list[int]) -> list[RefundSplit]:
    splits, refunded, refunded_tf = [], 0, 0
    for amount in amounts:
        split = refund_split(
            sale_amount=sale,
            sale_tax_free=tax_free,
            refunded=refunded,
            refunded_tax_free=refunded_tf,
            amount=amount,
        )
        splits.append(split)
        refunded += amount
        refunded_tf += split.tax_free
    return splits


def test_a_full_refund_carries_the_sales_own_split() -> None:
    assert refund_split(
        sale_amount=33_000, sale_tax_free=11_000, refunded=0, refunded_tax_free=0, amount=33_000
    ) == RefundSplit(tax_free=11_000, vat_amount=2_000)
    assert refund_split(
        sale_amount=10_000, sale_tax_free=0, refunded=0, refunded_tax_free=0, amount=10_000
    ) == RefundSplit(0, vat_of(10_000))
    assert refund_split(
        sale_amount=10_000, sale_tax_free=10_000, refunded=0, refunded_tax_free=0, amount=10_000
    ) == RefundSplit(10_000, 0)


def test_partial_refunds_follow_the_sales_proportion_and_the_last_takes_the_rest() -> None:
    # 30,000 of which 10,000 tax-free; VAT of the taxable 20,000 is 1,818.
    splits = _refund_all(30_000, 10_000, [10_000, 10_000, 10_000])
    assert [s.tax_free for s in splits] == [3_333, 3_334, 3_333]
    assert sum(s.vat_amount for s in splits) == vat_of(30_000, 10_000) == 1_818
    assert [s.vat_amount for s in splits] == [606, 606, 606]


def test_a_sale_without_tax_free_part_refunds_with_tax_free_zero() -> None:
    splits = _refund_all(10_001, 0, [3_333, 3_333, 3_335])
    assert [s.tax_free for s in splits] == [0, 0, 0]
    assert sum(s.vat_amount for s in splits) == vat_of(10_001)


def test_earlier_refunds_sent_without_a_split_are_squared_by_the_last() -> None:
    # Two refunds went out before this rule (tax_free 0 each); the last one must still leave
    # the totals equal to the sale's tax-free part, within what it can carry.
    last = refund_split(
        sale_amount=30_000,
        sale_tax_free=10_000,
        refunded=20_000,
        refunded_tax_free=0,
        amount=10_000,
    )
    assert last.tax_free == 10_000
    assert last.vat_amount == 0  # the taxable part was already refunded in full


@pytest.mark.parametrize(
    "kwargs",
    [
        {"refunded": 0, "refunded_tax_free": 0, "amount": 0},
        {"refunded": 0, "refunded_tax_free": 0, "amount": 30_001},
        {"refunded": 20_000, "refunded_tax_free": 0, "amount": 10_001},
        {"refunded": 5_000, "refunded_tax_free": 6_000, "amount": 1},
        {"refunded": 0, "refunded_tax_free": 1, "amount": 1},
        {"refunded": -1, "refunded_tax_free": 0, "amount": 1},
    ],
)
def test_refund_split_refuses_what_cannot_be(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        refund_split(sale_amount=30_000, sale_tax_free=10_000, **kwargs)


@settings(max_examples=300)
@given(
    sale=st.integers(1, MAX_AMOUNT),
    tax_free_share=st.fractions(0, 1),
    cuts=st.lists(st.fractions(0, 1), max_size=6),
)
def test_refunds_always_add_up_to_the_sale(
    sale: int, tax_free_share: Fraction, cuts: list[Fraction]
) -> None:
    tax_free = int(sale * tax_free_share)
    points = sorted({int(sale * c) for c in cuts} - {0, sale})
    bounds = [0, *points, sale]
    amounts = [b - a for a, b in itertools.pairwise(bounds)]
    splits = _refund_all(sale, tax_free, amounts)
    assert sum(s.tax_free for s in splits) == tax_free
    assert sum(s.vat_amount for s in splits) == vat_of(sale, tax_free)
    for amount, split in zip(amounts, splits, strict=True):
        assert 0 <= split.tax_free <= amount
        assert 0 <= split.vat_amount <= amount - split.tax_free
        # Each refund's VAT is the sale's rate applied to its own taxable part, to the won.
        assert abs(split.vat_amount - vat_of(amount, split.tax_free)) <= 1


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("20000", 20000),
        ("20,000원", 20000),
        ("55,000", 55000),
        ("55,001", "range"),
        ("0", "range"),
        ("-100", "range"),
        ("12.5", "decimal"),
        ("5500020000", "range"),  # a prefilled amount typed onto, not replaced
        ("12,00", "format"),
        ("abc", "format"),
    ],
)
def test_a_refund_amount_is_whole_won_within_what_is_left(text: str, outcome: int | str) -> None:
    from pos_app.core.money import parse_refund_amount

    if isinstance(outcome, int):
        assert parse_refund_amount(text, 55000) == outcome
        return
    with pytest.raises(InvalidInput) as caught:
        parse_refund_amount(text, 55000)
    assert (caught.value.field, caught.value.code) == ("refund_amount", outcome)
    assert "{" not in caught.value.message("en")

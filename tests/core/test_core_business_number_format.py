"""Showing a saved business registration number (사업자등록번호) the way people write it."""

from __future__ import annotations

import pytest

from pos_app.core.card_fields import business_number_ok, format_business_number


@pytest.mark.parametrize(
    ("digits", "shown"),
    [("2208162517", "220-81-62517"), ("1248100998", "124-81-00998")],
)
def test_ten_digits_are_grouped_3_2_5(digits: str, shown: str) -> None:
    assert business_number_ok(digits)
    assert format_business_number(digits) == shown
    assert shown.replace("-", "") == digits


@pytest.mark.parametrize(
    "text", ["", "220816251", "22081625170", "220-81-62517", "２２０８１６２５１７"]
)
def test_anything_else_is_shown_unchanged(text: str) -> None:
    assert format_business_number(text) == text

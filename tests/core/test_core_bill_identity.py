"""A bill row's merchant_uid follows from its meaning and period, nothing else."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.bill_identity import (
    bill_merchant_uid,
    current_period,
    parse_period,
    previous_period,
)
from pos_app.core.errors import InvalidInput
from pos_app.core.order import check_merchant_uid

UIDS = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=80
)
AMOUNTS = st.integers(1, 99_999_999)
# Order names as people type them: Hangul, ASCII, spaces; never blank.
NAMES = st.text(
    st.sampled_from(list("가나다회비월 abcXYZ0123456789()-")), min_size=1, max_size=30
).filter(lambda s: s.strip())
PERIODS = st.one_of(
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2000, 2099), st.integers(1, 12)),
    st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=16),
)


@settings(max_examples=300)
@given(PERIODS, UIDS, AMOUNTS, NAMES)
def test_id_is_a_valid_merchant_uid_and_deterministic(
    period: str, uid: str, amount: int, name: str
) -> None:
    merchant_uid = bill_merchant_uid(period, uid, amount, name)
    assert check_merchant_uid(merchant_uid) == merchant_uid  # <= 40 of [A-Za-z0-9_-]
    assert merchant_uid.startswith(f"B{parse_period(period)}-")
    assert bill_merchant_uid(period, uid, amount, name) == merchant_uid


@settings(max_examples=300)
@given(PERIODS, UIDS, AMOUNTS, NAMES, st.data())
def test_any_change_of_meaning_is_a_different_id(
    period: str, uid: str, amount: int, name: str, data: st.DataObject
) -> None:
    base = bill_merchant_uid(period, uid, amount, name)
    other_period = data.draw(PERIODS.filter(lambda p: parse_period(p) != parse_period(period)))
    other_uid = data.draw(UIDS.filter(lambda u: u != uid))
    other_amount = data.draw(AMOUNTS.filter(lambda a: a != amount))
    other_name = data.draw(NAMES.filter(lambda n: " ".join(n.split()) != " ".join(name.split())))
    assert bill_merchant_uid(other_period, uid, amount, name) != base
    assert bill_merchant_uid(period, other_uid, amount, name) != base
    assert bill_merchant_uid(period, uid, other_amount, name) != base
    assert bill_merchant_uid(period, uid, amount, other_name) != base


def test_spelling_of_the_same_name_and_period_is_the_same_id() -> None:
    composed = bill_merchant_uid("2026-11", "kim_4242", 55000, "11월 회비")
    decomposed = "11월 회비".replace("월", "\u110b\u116f\u11af").replace("회", "\u1112\u116c")
    decomposed = decomposed.replace("비", "\u1107\u1175")  # macOS-style NFD Hangul
    assert decomposed != "11월 회비"
    for name in ("  11월 회비 ", "11월\u3000회비", "11월   회비", decomposed):
        assert bill_merchant_uid("2026-11", "kim_4242", 55000, name) == composed
    for period in ("202611", "2026_11", " 2026-11 "):
        assert bill_merchant_uid(period, "kim_4242", 55000, "11월 회비") == composed
    assert bill_merchant_uid("Spring", "k", 1, "x") == bill_merchant_uid("spring", "k", 1, "x")


def test_parts_cannot_run_into_each_other() -> None:
    assert bill_merchant_uid("2026-11", "k1", 11, "0 x") != bill_merchant_uid(
        "2026-11", "k", 111, "0 x"
    )


def test_no_terminal_or_time_in_the_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POS_APP_TERMINAL", "T9")
    assert re.fullmatch(r"B2026-11-[0-9a-f]{20}", bill_merchant_uid("2026-11", "k", 1, "x"))


@pytest.mark.parametrize(
    ("text", "period"),
    [("2026-11", "2026-11"), ("2026-1", "2026-01"), ("202611", "2026-11"), ("Q4_gym", "q4_gym")],
)
def test_periods(text: str, period: str) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-13", "month"),
        ("2026-00", "month"),
        ("", "format"),
        ("a" * 17, "format"),
        ("11월", "format"),
        ("2026/11", "format"),
        ("a b", "format"),
    ],
)
def test_bad_periods(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_period(text)
    assert (raised.value.field, raised.value.code) == ("billing_period", code)


def test_current_and_previous_period() -> None:
    assert current_period(datetime(2026, 11, 30, 23, 59)) == "2026-11"
    assert previous_period("2026-11") == "2026-10"
    assert previous_period("2026-01") == "2025-12"
    assert previous_period("spring") is None


@pytest.mark.parametrize("bad", [("k k", 1, "x"), ("k", 0, "x"), ("k", 1, ""), ("k", 1, "a\tb")])
def test_no_id_for_a_row_that_cannot_be_charged(bad: tuple[str, int, str]) -> None:
    with pytest.raises(InvalidInput):
        bill_merchant_uid("2026-11", *bad)

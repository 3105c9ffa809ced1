"""Member plans' calendar: billing days, and which months are due on a date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.billing_day import (
    LAST_DAY,
    billing_date,
    day_label,
    due_months,
    next_billing_date,
    parse_billing_day,
    parse_month,
)
from pos_app.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1", 1),
        ("28", 28),
        (" 5 ", 5),
        ("5일", 5),
        ("말일", LAST_DAY),
        ("last", LAST_DAY),
        ("END", LAST_DAY),
        ("31", LAST_DAY),
        (7, 7),
    ],
)
def test_billing_days_people_write(text: str | int, day: int) -> None:
    assert parse_billing_day(text) == day


@pytest.mark.parametrize("text", ["0", "29", "30", "32", "-1", "", "5.0", "５", "매월 5일", "1st"])
def test_days_that_move_around_or_are_not_days_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_billing_day(text)
    assert caught.value.field == "billing_day"


def test_last_day_is_the_months_last_day() -> None:
    assert billing_date("2026-02", LAST_DAY) == date(2026, 2, 28)
    assert billing_date("2028-02", LAST_DAY) == date(2028, 2, 29)
    assert billing_date("2026-04", LAST_DAY) == date(2026, 4, 30)
    assert billing_date("2026-03", 5) == date(2026, 3, 5)
    assert (day_label(LAST_DAY), day_label(5), day_label(2, "en")) == ("말일", "5일", "2nd")


def test_due_this_month_once_the_day_has_come() -> None:
    since = date(2026, 1, 1)
    assert due_months(5, date(2026, 3, 4), since=since) == [("2026-02", date(2026, 2, 5))]
    assert due_months(5, date(2026, 3, 5), since=since) == [
        ("2026-02", date(2026, 2, 5)),
        ("2026-03", date(2026, 3, 5)),
    ]


def test_days_missed_across_the_month_boundary_are_caught_up() -> None:
    """PC off from the 30th to the 2nd: the members due on the 30th and the last day are still
    charged, for the month before."""
    since = date(2025, 12, 1)
    assert due_months(LAST_DAY, date(2026, 2, 2), since=since) == [("2026-01", date(2026, 1, 31))]
    assert due_months(28, date(2026, 3, 2), since=since) == [("2026-02", date(2026, 2, 28))]


def test_nothing_before_the_plan_was_switched_on_nor_outside_its_months() -> None:
    # Joined on the 20th with day 5: first charged next month.
    assert due_months(5, date(2026, 3, 20), since=date(2026, 3, 20)) == []
    assert due_months(5, date(2026, 4, 5), since=date(2026, 3, 20)) == [
        ("2026-04", date(2026, 4, 5))
    ]
    since = date(2025, 1, 1)
    assert due_months(5, date(2026, 3, 9), since=since, start="2026-03") == [
        ("2026-03", date(2026, 3, 5))
    ]
    assert due_months(5, date(2026, 3, 9), since=since, end="2026-02") == [
        ("2026-02", date(2026, 2, 5))
    ]


@settings(max_examples=300)
@given(
    st.sampled_from([*range(1, 29), LAST_DAY]),
    st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    st.integers(0, 120),
)
def test_each_month_at_most_once_and_never_early(day: int, today: date, back: int) -> None:
    since = date.fromordinal(today.toordinal() - back)
    due = due_months(day, today, since=since)
    months = [m for m, _ in due]
    assert len(months) == len(set(months)) <= 2
    assert all(since <= when <= today for _, when in due)


def test_months_and_the_next_date() -> None:
    assert parse_month("2026-3") == parse_month("202603") == "2026-03"
    with pytest.raises(InvalidInput):
        parse_month("2026-13")
    assert next_billing_date(5, date(2026, 3, 5)) == date(2026, 4, 5)
    assert next_billing_date(LAST_DAY, date(2026, 1, 31)) == date(2026, 2, 28)
    assert next_billing_date(5, date(2026, 3, 9), end="2026-03") is None
    assert next_billing_date(5, date(2026, 3, 1), start="2026-06") == date(2026, 6, 5)

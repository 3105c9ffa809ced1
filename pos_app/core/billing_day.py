"""Member plans' calendar: a billing day of the month (1–28, or 말일 — the month's last day), the
months a plan runs in, and which charges are due on a date.

A plan is charged once per calendar month, for that month (the billing period "2026-03"), on its
billing day. The days 29–31 are not offered: a "31st" that moves around is what 말일 is for.

**Due on a date.** A charge is due on `today` for a month when its billing date in that month has
come (≤ today), the month is inside the plan's start and end months, and the billing date is not
before `since` — the day the plan was last switched on (created, imported or resumed): a member
who joins on the 20th with billing day 5 is first charged next month, and a plan paused over a
month is not charged for it when it is switched on again. Days missed while the counter PC was
off are caught up: the previous month is looked at as well as this one, so a PC off from the 30th
to the 2nd still charges the members due on the 30th and the 31st (for the month before).
Nothing older than the previous month is charged by itself.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from pos_app.core.errors import InvalidInput

# The billing day that means "the last day of the month" (말일).
LAST_DAY = 31
FIRST_DAY, LATEST_FIXED_DAY = 1, 28
_LAST_WORDS = frozenset({"말일", "말", "last", "end", "eom"})
_MONTH = re.compile(r"(\d{4})[-_]?(\d{1,2})")


def parse_billing_day(text: str | int) -> int:
    """1–28, or LAST_DAY for 말일 ("말일", "last", "end"; also "31"). Raises
    InvalidInput("billing_day", "format")."""
    value = str(text).strip().lower().removesuffix("일")  # "5일" is 5, "말일" is 말
    if value in _LAST_WORDS:
        return LAST_DAY
    if value.isascii() and value.isdigit():
        day = int(value)
        if FIRST_DAY <= day <= LATEST_FIXED_DAY:
            return day
        if day == LAST_DAY:
            return LAST_DAY
    raise InvalidInput("billing_day", "format")


def day_label(day: int, lang: str = "ko") -> str:
    """How a billing day is shown: "5일" / "말일" ("5th" / "last day")."""
    if day == LAST_DAY:
        return "last day" if lang.startswith("en") else "말일"
    if lang.startswith("en"):
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
        return f"{day}{suffix}"
    return f"{day}일"


def parse_month(text: str) -> str:
    """A plan's start or end month, "2026-03" (also "202603", "2026-3"). Raises InvalidInput."""
    found = _MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise InvalidInput("plan_month", "format")
    return f"{found.group(1)}-{int(found.group(2)):02d}"


def check_months(start: str | None, end: str | None) -> None:
    if start and end and end < start:
        raise InvalidInput("plan_month", "order")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def billing_date(month: str, day: int) -> date:
    """The plan's billing date in `month` ("2026-02", 31 → 2026-02-28)."""
    year, number = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, number)[1]
    return date(year, number, min(day, last))


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def due_months(
    day: int,
    today: date,
    *,
    since: date,
    start: str | None = None,
    end: str | None = None,
) -> list[tuple[str, date]]:
    """(month, billing date) of every charge due on `today` (the rule above), oldest first."""
    this = month_of(today)
    due = []
    for month in (previous_month(this), this):
        when = billing_date(month, day)
        if when > today or when < since:
            continue
        if (start and month < start) or (end and month > end):
            continue
        due.append((month, when))
    return due


def check_due_date(day: date, today: date) -> None:
    """Refuse a run date after today: every plan's billing date would have "come", so one slip
    of the calendar (or `--date 2027-…`) would charge every member for months not yet begun.
    Raises InvalidInput("due_date", "future")."""
    if day > today:
        raise InvalidInput("due_date", "future", today=today.isoformat())


def next_billing_date(
    day: int, today: date, *, start: str | None = None, end: str | None = None
) -> date | None:
    """The first billing date after `today` inside the plan's months (None: the plan has ended)."""
    month = month_of(today)
    for _ in range(14):
        when = billing_date(month, day)
        if when > today and (not start or month >= start):
            return None if end and month > end else when
        year, number = int(month[:4]), int(month[5:7])
        month = f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"
    return None


__all__ = [
    "LAST_DAY",
    "billing_date",
    "check_due_date",
    "check_months",
    "day_label",
    "due_months",
    "month_of",
    "next_billing_date",
    "parse_billing_day",
    "parse_month",
    "previous_month",
]

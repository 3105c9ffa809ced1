"""End-of-day totals from journal rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from pos_app.services.report import local_day_bounds, rows_for, totals_of
from pos_app.store.journal import Journal, State


def test_totals_count_money_that_moved(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        states: list[tuple[str, State, int]] = [
            ("A", "paid", 10000),
            ("B", "paid", 5000),
            ("C", "declined", 7000),
            ("D", "void", 1000),
            ("E", "refused", 1000),
            ("F", "unknown", 3000),
        ]
        for uid, state, amount in states:
            row = journal.begin(uid, "charge_again", origin="s", amount=amount, customer_uid="c")
            journal.settle(row.id, state)
        refund = journal.begin(
            "A", "refund", origin="s", amount=4000, imp_uid="imp_1", checksum=10000
        )
        journal.settle(refund.id, "refunded")
        failed = journal.begin(
            "B", "refund", origin="s", amount=5000, imp_uid="imp_2", checksum=5000
        )
        journal.settle(failed.id, "refused")
        rows = rows_for(journal, date.today())
        assert rows_for(journal, date.today() - timedelta(days=1)) == []
    totals = totals_of(rows)
    assert (totals.paid_count, totals.paid_amount) == (2, 15000)
    assert (totals.refunded_count, totals.refunded_amount, totals.net_amount) == (1, 4000, 11000)
    assert (totals.declined_count, totals.not_charged_count) == (1, 2)
    assert (totals.unknown_count, totals.unknown_amount) == (1, 3000)


def test_day_bounds_are_local_midnights() -> None:
    start, end = local_day_bounds(date(2026, 11, 23), date(2026, 11, 24))
    assert datetime.fromtimestamp(start).strftime("%Y-%m-%d %H:%M") == "2026-11-23 00:00"
    assert datetime.fromtimestamp(end).strftime("%Y-%m-%d %H:%M") == "2026-11-25 00:00"

"""End-of-day totals from journal rows."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.services.export import safe_cell
from pos_app.services.report import (
    local_day_bounds,
    member_names,
    rows_for,
    totals_of,
    write_csv,
)
from pos_app.store.customers import CustomerIndex
from pos_app.store.journal import Journal, JournalRow, State


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


def _day_rows(journal: Journal) -> list[JournalRow]:
    states: list[tuple[str, str, State, int]] = [
        ("A", "kim_4242", "paid", 10000),
        ("B", "lee_4242", "paid", 5000),
        ("C", "kim_4242", "declined", 7000),
        ("D", "kim_4242", "void", 1000),
        ("E", "lee_4242", "refused", 1000),
        ("F", "ghost_0000", "unknown", 3000),
    ]
    for uid, customer, state, amount in states:
        row = journal.begin(
            uid,
            "charge_again",
            origin="s",
            amount=amount,
            customer_uid=customer,
            order_name="=cmd|' /C calc'!A0" if uid == "A" else "1월 회비",
            card_quota=3 if uid == "B" else 0,
        )
        journal.settle(row.id, state)
    refund = journal.begin(
        "A",
        "refund",
        origin="s",
        amount=4000,
        customer_uid="kim_4242",
        imp_uid="imp_1",
        checksum=10000,
    )
    journal.settle(refund.id, "refunded")
    failed = journal.begin("B", "refund", origin="s", amount=5000, imp_uid="imp_2", checksum=5000)
    journal.settle(failed.id, "void")
    return rows_for(journal, date.today())


def test_day_csv_adds_up_to_net_sales_with_member_names(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal, CustomerIndex(tmp_path / "c.sqlite3") as index:
        index.upsert("kim_4242", name="김하늘")
        rows = _day_rows(journal)
        names = member_names(index, rows)
    assert names == {"kim_4242": "김하늘"}
    stream = io.StringIO()
    write_csv(rows, stream, names=names)
    table = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(table[0])[:6] == ["일시", "구분", "상태", "금액", "매출 미반영", "면세"]
    summed = sum(int(r["금액"]) for r in table if r["금액"])
    assert summed == totals_of(rows).net_amount == 11000
    assert [(r["구분"], r["상태"], r["금액"], r["매출 미반영"]) for r in table] == [
        ("재결제", "승인", "10000", ""),
        ("재결제", "승인", "5000", ""),
        ("재결제", "거절", "", "7000"),
        ("재결제", "결제 안 됨", "", "1000"),
        ("재결제", "요청 거부", "", "1000"),
        ("재결제", "확인 필요", "", "3000"),
        ("환불", "환불됨", "-4000", ""),
        ("환불", "환불 안 됨", "", "5000"),
    ]
    assert [r["회원"] for r in table] == ["김하늘", "", "김하늘", "김하늘", "", "", "김하늘", ""]
    assert table[0]["주문명"] == "'=cmd|' /C calc'!A0"
    assert [r["할부"] for r in table][:2] == ["일시불", "3개월"] and table[6]["할부"] == ""


def test_day_csv_in_english(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        rows = _day_rows(journal)
    stream = io.StringIO()
    write_csv(rows, stream, lang="en")
    table = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(table[0])[:5] == ["Time", "Type", "Status", "Amount", "Not in sales"]
    assert [(r["Type"], r["Status"]) for r in table][::3] == [
        ("Saved card charge", "Approved"),
        ("Saved card charge", "Not charged"),
        ("Refund", "Refunded"),
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+82 10", "'+82 10"),
        ("-5000", "'-5000"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("1월 회비", "1월 회비"),
        ("a=b", "a=b"),
        (-5000, -5000),
        (0, 0),
        (None, ""),
    ],
)
def test_formula_cells_are_neutralised_and_numbers_stay_numbers(
    value: str | int | None, written: str | int
) -> None:
    assert safe_cell(value) == written

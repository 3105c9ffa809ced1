"""`pos-app bill` as a person with a spreadsheet uses it: re-saved, re-ordered and appended files
charge each row once; a file that is not exactly right is refused whole before anything is sent;
Korean Excel's CP949 is read right and anything else is refused (issue 11 items 1, 3, 9)."""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pos_app_runner import PosApp

HEADER = "customer_uid,amount,name"
ROWS = ["kim_4242,30000,11월 회비", "lee_4242,55000,PT 10회", "park_4242,12000,교재비"]


def summary_of(stdout: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def paid(pos_app: PosApp) -> list[dict[str, Any]]:
    return [p for p in pos_app.payments() if p["status"] == "paid"]


def requests(pos_app: PosApp) -> list[dict[str, Any]]:
    answer = httpx.get(pos_app.api_base + "/__sandbox__/requests", timeout=10)
    answer.raise_for_status()
    result: list[dict[str, Any]] = answer.json()["response"]
    return result


@pytest.fixture
def members(pos_app: PosApp) -> PosApp:
    for uid in ("kim_4242", "lee_4242", "park_4242", "choi_4242"):
        pos_app.save_card(uid)
    return pos_app


def test_resaved_reordered_and_appended_bill_charges_each_row_once(
    members: PosApp, tmp_path: Path
) -> None:
    pos_app = members
    bill = tmp_path / "11월.csv"
    bill.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    first = pos_app.run("bill", str(bill), "--period", "2026-11")
    assert first.returncode == 0, first.stdout + first.stderr
    summary = summary_of(first.stdout)
    assert (summary["outcome"], summary["period"], summary["bill_id"]) == (
        "ran",
        "2026-11",
        "B2026-11",
    )
    assert (summary["paid"], summary["already_done"], summary["amount_paid"]) == (3, 0, 97000)
    charged = {p["merchant_uid"] for p in paid(pos_app)}
    assert len(charged) == 3 and all(uid.startswith("B2026-11-") for uid in charged)

    # Excel's re-save: a byte-order mark, CRLF, every cell quoted, the amount grouped.
    resaved = [HEADER] + [
        ",".join(f'"{c}"' for c in (u, f"{int(a):,}", n))
        for u, a, n in (row.split(",") for row in ROWS)
    ]
    bill.write_bytes(codecs.BOM_UTF8 + "\r\n".join(resaved).encode() + b"\r\n")
    again = pos_app.run("bill", str(bill), "--period", "2026-11")
    assert again.returncode == 0, again.stdout + again.stderr
    summary = summary_of(again.stdout)
    assert (summary["paid"], summary["already_done"]) == (3, 3)  # 3 done earlier, 0 new
    assert len(paid(pos_app)) == 3

    # One member added at the end: only that row is charged.
    bill.write_text("\n".join([HEADER, *ROWS, "choi_4242,20000,11월 회비"]) + "\n", "utf-8")
    appended = pos_app.run("bill", str(bill), "--period", "2026-11")
    summary = summary_of(appended.stdout)
    assert (summary["paid"], summary["already_done"]) == (4, 3)
    assert len(paid(pos_app)) == 4
    assert {p["customer_uid"] for p in paid(pos_app)} == {u.split(",")[0] for u in ROWS} | {
        "choi_4242"
    }

    # Rows re-ordered, without the header: nothing new.
    reordered = ["choi_4242,20000,11월 회비", *reversed(ROWS)]
    bill.write_text("\n".join(reordered) + "\n", encoding="utf-8")
    shuffled = pos_app.run("bill", str(bill), "--period", "2026-11")
    assert summary_of(shuffled.stdout)["already_done"] == 4
    assert len(paid(pos_app)) == 4

    # December is a new bill: naming it is the decision to charge the same rows again.
    december = pos_app.run("bill", str(bill), "--period", "2026-12")
    assert summary_of(december.stdout)["paid"] == 4
    assert len(paid(pos_app)) == 8


def test_period_defaults_to_this_month(members: PosApp, tmp_path: Path) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    before = datetime.now().astimezone().strftime("%Y-%m")
    result = members.run("bill", str(bill))
    after = datetime.now().astimezone().strftime("%Y-%m")
    summary = summary_of(result.stdout)
    assert summary["period"] in (before, after) and summary["paid"] == 1
    assert paid(members)[0]["merchant_uid"].startswith(f"B{summary['period']}-")


def test_an_unfinished_bill_of_last_month_is_not_restarted_as_this_months(
    members: PosApp, tmp_path: Path
) -> None:
    # A bill killed at 23:58 on the last day and run again after midnight without --period:
    # the earlier month's rows ran minutes ago, so the run stops and asks which month is meant.
    bill = tmp_path / "bill.csv"
    bill.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    now = datetime.now().astimezone()
    last_month = f"{now.year - 1}-12" if now.month == 1 else f"{now.year}-{now.month - 1:02d}"
    assert members.run("bill", str(bill), "--period", last_month).returncode == 0
    count = len(requests(members))
    resumed = members.run("bill", str(bill))
    assert resumed.returncode == 1, resumed.stdout + resumed.stderr
    summary = summary_of(resumed.stdout)
    assert summary["outcome"] == "refused"
    assert [p["code"] for p in summary["problems"]] == ["period_boundary"]
    assert f"--period {last_month}" in resumed.stderr
    assert not [r for r in requests(members)[count:] if r["path"].endswith("/again")]
    assert len(paid(members)) == 3


def refused(pos_app: PosApp, bill: Path) -> dict[str, Any]:
    """Run the bill, check it was refused whole with nothing sent, and return the JSON."""
    before = len(requests(pos_app))
    result = pos_app.run("bill", str(bill), "--period", "2026-11")
    assert result.returncode == 1, result.stdout + result.stderr
    summary = summary_of(result.stdout)
    assert summary["outcome"] == "refused" and summary["paid"] == 0
    # Nothing at all reached PortOne: not a charge, not even a token.
    assert requests(pos_app)[before:] == []
    assert pos_app.payments() == []
    for problem in summary["problems"]:
        where = f"{bill}:{problem['line']}" if problem["line"] else str(bill)
        assert f"{where}: {problem['message']}" in result.stderr
    return summary


def test_an_unquoted_comma_in_the_amount_refuses_the_whole_file(
    members: PosApp, tmp_path: Path
) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_text(
        "\n".join([HEADER, ROWS[0], "kim_4242,55,000,unquoted comma", ROWS[1]]) + "\n",
        encoding="utf-8",
    )
    summary = refused(members, bill)
    assert [(p["line"], p["code"]) for p in summary["problems"]] == [(3, "columns")]
    assert summary["rows"] == 3


def test_a_headerless_grouped_amount_is_refused(members: PosApp, tmp_path: Path) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_text("kim_4242,2,000,Monthly fee\nlee_4242,3000,Monthly fee\n", encoding="utf-8")
    summary = refused(members, bill)
    assert [(p["line"], p["code"]) for p in summary["problems"]] == [(1, "columns")]


def test_a_stray_opening_quote_is_refused_with_its_line(members: PosApp, tmp_path: Path) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_text(
        "\n".join([HEADER, ROWS[0], 'lee_4242,55000,"PT 10회', ROWS[2], "choi_4242,1000,x"]) + "\n",
        encoding="utf-8",
    )
    summary = refused(members, bill)
    assert [(p["line"], p["code"]) for p in summary["problems"]] == [(3, "quote_unclosed")]
    assert summary["rows"] == 4  # the lines after the quote were read as rows, not swallowed


def test_every_bad_line_is_listed_at_once(members: PosApp, tmp_path: Path) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_text(
        "\n".join(
            [
                HEADER,
                ROWS[0],
                "lee_4242,12000원,x",
                "park 4242,1000,x",
                "choi_4242,1000,회비\u202e",
                ROWS[0],
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    summary = refused(members, bill)
    assert [(p["line"], p["code"]) for p in summary["problems"]] == [
        (3, "amount_format"),
        (4, "customer_uid.format"),
        (5, "order_name.control"),
        (6, "duplicate"),
    ]


def test_english_messages_with_lang_en(members: PosApp, tmp_path: Path) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_text("kim_4242,2,000,Monthly fee\n", encoding="utf-8")
    result = members.run("--lang", "en", "bill", str(bill), "--period", "2026-11")
    assert result.returncode == 1
    assert f"{bill}:1: The line has 4 cells" in result.stderr
    assert "nothing was charged" in result.stderr


def test_a_cp949_file_from_korean_excel_is_charged_with_the_right_names(
    members: PosApp, tmp_path: Path
) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_bytes("\r\n".join([HEADER, *ROWS, "choi_4242,1000,똠방 특강"]).encode("cp949"))
    result = members.run("bill", str(bill), "--period", "2026-11")
    assert result.returncode == 0, result.stdout + result.stderr
    names = {p["customer_uid"]: p["name"] for p in paid(members)}
    assert names == {
        "kim_4242": "11월 회비",
        "lee_4242": "PT 10회",
        "park_4242": "교재비",
        "choi_4242": "똠방 특강",
    }


@pytest.mark.parametrize(
    "data",
    [
        "kim_4242,1000,Café crème\n".encode("latin-1"),
        "kim_4242,1000,회비\n".encode("utf-16"),
        codecs.BOM_UTF8 + "kim_4242,1000,회비\n".encode("cp949"),
    ],
    ids=["latin-1", "utf-16", "bom-but-cp949"],
)
def test_a_file_neither_utf8_nor_cp949_is_refused(
    members: PosApp, tmp_path: Path, data: bytes
) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_bytes(data)
    summary = refused(members, bill)
    assert [p["line"] for p in summary["problems"]] == [0]


def test_a_bad_period_is_an_error(members: PosApp, tmp_path: Path) -> None:
    bill = tmp_path / "bill.csv"
    bill.write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    result = members.run("bill", str(bill), "--period", "2026-13")
    assert result.returncode == 1 and summary_of(result.stdout)["outcome"] == "error"
    assert members.payments() == []


@pytest.mark.parametrize("name", ["회비\n1월", "회비\t1월", "회비\u202e1월", "회\u200b비"])
def test_charge_refuses_an_order_name_with_control_characters(members: PosApp, name: str) -> None:
    before = len(requests(members))
    result = members.run("charge", "--customer-uid", "kim_4242", "--amount", "1000", "--name", name)
    assert result.returncode == 1
    answer = summary_of(result.stdout)
    assert (answer["outcome"], answer["field"]) == ("error", "order_name")
    assert not [r for r in requests(members)[before:] if r["path"].startswith("/subscribe")]
    assert members.payments() == []


def test_journal_csv_neutralises_formulas_and_adds_up(members: PosApp) -> None:
    formula = "=cmd|' /C calc'!A0"
    for name, amount in ((formula, "10000"), ("+1+1", "2000"), ("@SUM(1)", "3000")):
        result = members.run(
            "charge", "--customer-uid", "kim_4242", "--amount", amount, "--name", name
        )
        assert result.returncode == 0, result.stdout
    members.save_card("decl_0341", "4000000000000341")
    declined = members.run(
        "charge", "--customer-uid", "decl_0341", "--amount", "7000", "--name", "-1"
    )
    assert declined.returncode == 2
    table = members.run("journal", "--csv")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].startswith("일시,구분,상태,금액,매출 미반영,")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [r["주문명"] for r in rows] == ["'" + formula, "'+1+1", "'@SUM(1)", "'-1"]
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r.values())
    assert sum(int(r["금액"] or 0) for r in rows) == 15000  # the declined 7,000 is not sales
    assert rows[3]["매출 미반영"] == "7000" and rows[3]["상태"] == "거절"
    english = members.run("--lang", "en", "journal", "--csv")
    assert english.stdout.splitlines()[0].startswith("Time,Type,Status,Amount,Not in sales,")
